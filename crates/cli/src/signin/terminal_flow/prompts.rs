//! The stages that wait for an answer: a factor to use, a code, a phone number, a security
//! question. On a terminal each is a prompt; in a script (or with `--code-stdin`) the answer
//! is the next line of standard input.

use oktadesk_core::{
    CodePurpose, ErrorInfo, ErrorKind, FactorChoice, FactorKind, FactorPurpose, PhoneNumber,
    Secret, SecurityQuestion,
};

use super::{Input, TerminalFlow};
use crate::exit::CliError;
use crate::output::{self, BAD};
use crate::terminal;

/// What a script writes (instead of a number) to set up a question of its own.
const OWN_QUESTION: &str = "custom";

impl TerminalFlow {
    pub(super) async fn choose_factor(
        &mut self,
        purpose: FactorPurpose,
        factors: &[FactorChoice],
        can_skip: bool,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        let verb = match purpose {
            FactorPurpose::Enroll => "set up",
            FactorPurpose::Recover => "use to reset your password",
            FactorPurpose::Unlock => "use to unlock your account",
            _ => "use",
        };
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        if !self.interactive {
            // Okta refused the factor picked (or limited the rate): a script cannot pick
            // again, so it ends with why.
            if let Some(error) = last_error {
                self.end_flow(CliError::from_kind(error.kind, error.message))
                    .await;
                return Ok(());
            }
            let offered = factors
                .iter()
                .filter(|factor| !factor.needs_browser)
                .map(|factor| factor.kind.as_str())
                .collect::<Vec<_>>();
            let first = offered.first().copied().unwrap_or("push");
            self.end_flow(CliError::usage(format!(
                "Okta offers several factors to {verb} ({}). Choose one with --factor {first}.",
                offered.join(" or ")
            )))
            .await;
            return Ok(());
        }
        output::say(&match purpose {
            FactorPurpose::Recover => {
                "Reset your password: how should Okta verify it's you?".to_owned()
            }
            FactorPurpose::Unlock => {
                "Unlock your account: how should Okta verify it's you?".to_owned()
            }
            _ => format!("Which factor do you want to {verb}?"),
        });
        for (index, factor) in factors.iter().enumerate() {
            let device = factor
                .device_name
                .as_deref()
                .map(|name| format!(" on {name}"))
                .unwrap_or_default();
            let browser = if factor.needs_browser {
                " (in the browser only)"
            } else {
                ""
            };
            output::say(&format!(
                "  {}. {}{device}{browser}",
                index + 1,
                factor.label
            ));
        }
        if can_skip {
            output::say("  s. Skip for now");
        }
        loop {
            terminal::print_prompt(&format!("Choose 1-{}: ", factors.len()));
            let answer = match self.read_line().await {
                Input::Line(answer) => answer.trim().to_ascii_lowercase(),
                Input::End => {
                    self.end_flow(CliError::usage(
                        "No factor was chosen. Choose one with --factor (push, totp, google, sms, call, email, question or token).",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
            if can_skip && answer == "s" {
                self.command(self.flow.skip()).await;
                return Ok(());
            }
            if let Some(factor) = answer
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|index| factors.get(index))
            {
                self.command(self.flow.choose_factor(factor.key.clone()))
                    .await;
                return Ok(());
            }
        }
    }

    /// A code: typed from an app or a token, or sent by Okta. On a terminal, `r` asks for a
    /// new code when Okta sent it.
    pub(super) async fn code(
        &mut self,
        factor: &FactorChoice,
        purpose: CodePurpose,
        resend_in_seconds: Option<u64>,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        match &last_error {
            Some(error) => self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message)),
            None if resend_in_seconds.is_some() => self.human(&sent_notice(factor)),
            None => {}
        }
        let resend_hint = match resend_in_seconds {
            Some(_) if self.interactive => " (r: send a new one)",
            _ => "",
        };
        let prompt = match (purpose, factor.kind) {
            (CodePurpose::Activate, FactorKind::Totp | FactorKind::Google) => format!(
                "Add the account in {} by scanning the QR code, then type the code it shows: ",
                factor.label.trim_end_matches(" code")
            ),
            _ if resend_in_seconds.is_some() => format!("Code{resend_hint}: "),
            _ => format!("{}: ", factor.label),
        };
        loop {
            if self.interactive || !self.json {
                terminal::print_prompt(&prompt);
            }
            match self.read_line().await {
                Input::Line(line) if self.interactive && line.trim().eq_ignore_ascii_case("r") => {
                    if resend_in_seconds.is_none() {
                        continue;
                    }
                    match self.flow.resend_code().await {
                        Ok(()) | Err(oktadesk_core::Error::FlowEnded) => {
                            self.asked_resend = true;
                            return Ok(());
                        }
                        // Too soon: say when, and ask for the code again.
                        Err(error) => self.human(&format!("{} {error}", output::styled(BAD, "!"))),
                    }
                }
                Input::Line(code) if !code.trim().is_empty() => {
                    self.command(self.flow.submit_code(Secret::new(code.trim())))
                        .await;
                    return Ok(());
                }
                Input::Line(_) | Input::End => {
                    let (kind, message) = match last_error {
                        Some(error) => (error.kind, error.message),
                        None => (
                            ErrorKind::InvalidCode,
                            format!(
                                "No code was given. Type the code from {} (in a script, on the line after the password).",
                                factor.label
                            ),
                        ),
                    };
                    self.end_flow(CliError::from_kind(kind, message)).await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            }
        }
    }

    /// SMS or voice call enrollment: the phone number to send codes to.
    pub(super) async fn phone_number(
        &mut self,
        factor: &FactorChoice,
        current_phone: Option<&str>,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        if let Some(current) = current_phone {
            self.human(&format!(
                "Your account has the phone {current}: the number you give replaces it."
            ));
        }
        if self.interactive || !self.json {
            terminal::print_prompt(&format!(
                "Phone number for {} codes, with its country code (e.g. +14155550123): ",
                factor.label
            ));
        }
        match self.read_line().await {
            Input::Line(typed) if !typed.trim().is_empty() => {
                // The core's one reading of a number as people write it. One it cannot read
                // goes as typed, so the flow refuses it in its own words and asks again.
                let number = PhoneNumber::read(&typed)
                    .map(|number| number.as_str().to_owned())
                    .unwrap_or_else(|_| typed.trim().to_owned());
                self.command(self.flow.submit_phone_number(number)).await;
            }
            Input::Line(_) | Input::End => {
                let message = last_error.map(|error| error.message).unwrap_or_else(|| {
                    "No phone number was given. Type it with its country code (in a script, on the line after the password).".to_owned()
                });
                self.end_flow(CliError::from_kind(ErrorKind::InvalidPhoneNumber, message))
                    .await;
            }
            Input::Interrupted => self.interrupted().await?,
        }
        Ok(())
    }

    /// The security question the account has.
    pub(super) async fn answer(
        &mut self,
        question: &str,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        if self.interactive || !self.json {
            terminal::print_prompt(&format!("{question} "));
        }
        // An answer is a secret like a password: not shown while typed.
        let hidden = self.interactive.then(terminal::HiddenInput::start);
        let read = self.read_line().await;
        drop(hidden);
        match read {
            Input::Line(answer) if !answer.trim().is_empty() => {
                self.command(self.flow.submit_answer(Secret::new(answer.trim())))
                    .await;
            }
            Input::Line(_) | Input::End => {
                let message = last_error.map(|error| error.message).unwrap_or_else(|| {
                    "No answer was given to the security question (in a script, give it on the line after the password).".to_owned()
                });
                self.end_flow(CliError::from_kind(ErrorKind::InvalidAnswer, message))
                    .await;
            }
            Input::Interrupted => self.interrupted().await?,
        }
        Ok(())
    }

    /// Security question enrollment: one of the org's questions (its number, or Okta's
    /// name for it), then its answer, each on a line of its own. Where the org lets people
    /// write their own (`can_write_own`), the entry after the org's (or `custom`) asks for
    /// the question on the next line, then the answer.
    pub(super) async fn question_choice(
        &mut self,
        questions: &[SecurityQuestion],
        can_write_own: bool,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        if self.interactive || !self.json {
            output::say("Choose a security question:");
            for (index, question) in questions.iter().enumerate() {
                output::say(&format!("  {}. {}", index + 1, question.text));
            }
            if can_write_own {
                output::say(&format!("  {}. Write my own question", questions.len() + 1));
            }
        }
        let entries = questions.len() + usize::from(can_write_own);
        let picked = loop {
            if self.interactive || !self.json {
                terminal::print_prompt(&format!("Question 1-{entries}: "));
            }
            let line = match self.read_line().await {
                Input::Line(line) => line,
                Input::End => {
                    self.end_flow(CliError::from_kind(
                        ErrorKind::InvalidAnswer,
                        "No security question was chosen (in a script: its number or name on one line, the answer on the next).",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
            let wanted = line.trim();
            let own = can_write_own
                && (wanted == OWN_QUESTION || wanted.parse::<usize>().ok() == Some(entries));
            if own {
                break None;
            }
            let by_number = wanted
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|index| questions.get(index));
            match by_number.or_else(|| questions.iter().find(|q| q.key == wanted)) {
                Some(question) => break Some(question.key.clone()),
                None if self.interactive => continue,
                None => {
                    self.end_flow(CliError::usage(format!(
                        "There is no security question \"{wanted}\": give its number (1-{entries}) or its name."
                    )))
                    .await;
                    return Ok(());
                }
            }
        };
        let own = match picked {
            Some(_) => None,
            None => {
                if self.interactive || !self.json {
                    terminal::print_prompt("Your question: ");
                }
                match self.read_line().await {
                    Input::Line(question) if !question.trim().is_empty() => {
                        Some(question.trim().to_owned())
                    }
                    Input::Line(_) | Input::End => {
                        self.end_flow(CliError::from_kind(
                            ErrorKind::InvalidAnswer,
                            "No question was written (in a script: \"custom\", the question and the answer, each on a line).",
                        ))
                        .await;
                        return Ok(());
                    }
                    Input::Interrupted => return self.interrupted().await,
                }
            }
        };
        if self.interactive || !self.json {
            terminal::print_prompt("Answer: ");
        }
        match self.read_line().await {
            Input::Line(answer) if !answer.trim().is_empty() => {
                let answer = Secret::new(answer.trim());
                match (own, picked) {
                    (Some(question), _) => {
                        self.command(self.flow.enroll_custom_question(question, answer))
                            .await;
                    }
                    (None, picked) => {
                        let picked = picked.unwrap_or_default();
                        self.command(self.flow.enroll_question(picked, answer))
                            .await;
                    }
                }
            }
            Input::Line(_) | Input::End => {
                self.end_flow(CliError::from_kind(
                    ErrorKind::InvalidAnswer,
                    "No answer was given to the security question.",
                ))
                .await;
            }
            Input::Interrupted => self.interrupted().await?,
        }
        Ok(())
    }
}

/// "Okta sent a code by SMS to +1 XXX-XXX-1337."
fn sent_notice(factor: &FactorChoice) -> String {
    let how = match factor.kind {
        FactorKind::Call => "is calling",
        _ => "sent a code",
    };
    let by = match factor.kind {
        FactorKind::Sms => " by SMS",
        FactorKind::Email => " by email",
        _ => "",
    };
    let to = factor
        .sent_to
        .as_deref()
        .map(|destination| format!(" to {destination}"))
        .unwrap_or_default();
    match factor.kind {
        FactorKind::Call => format!("Okta {how}{to} to read out a code."),
        _ => format!("Okta {how}{by}{to}."),
    }
}
