//! The stages only a password reset or an unlock has: the link Okta emailed (or the recovery
//! token in it), and the new password. Secrets are typed without echo on a terminal and read
//! a line each from stdin in a script. What the help desk is told of a recovery is in
//! `help_desk_notes.rs`.

use oktadesk_core::wire::PasswordComplexity;
use oktadesk_core::{ErrorInfo, ErrorKind, FactorChoice, Recovery, Secret};
use zeroize::Zeroizing;

use super::{Input, TerminalFlow};
use crate::exit::CliError;
use crate::output::{self, BAD, DIM};
use crate::terminal::{self, HiddenInput};

impl TerminalFlow {
    /// Okta emailed a link: the person pastes it (or the token in it). On a terminal, `o`
    /// picks another recovery factor when the org offers one.
    pub(super) async fn recovery_email_sent(
        &mut self,
        factors: &[FactorChoice],
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        match &last_error {
            Some(error) => self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message)),
            None => self.human(&format!(
                "Okta emailed you a link to {}. Open the email, copy the link and paste it here (or only the code at its end).",
                self.recovery_words()
            )),
        }
        let others = self.interactive && !factors.is_empty();
        if others {
            self.human(&output::styled(
                DIM,
                "No email? Type o to have Okta verify it's you another way.",
            ));
        }
        if let Some(error) = last_error.filter(|_| !self.interactive) {
            // A script's link was refused: it has no other to give.
            self.end_flow(CliError::from_kind(error.kind, error.message))
                .await;
            return Ok(());
        }
        loop {
            let line = match self.read_secret("Recovery link: ").await {
                Input::Line(line) => line,
                Input::End => {
                    self.end_flow(CliError::from_kind(
                        ErrorKind::InvalidCode,
                        "No recovery link was given. Paste the link from Okta's email (in a script, on a line of standard input).",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
            let token = line.trim();
            if others && token.eq_ignore_ascii_case("o") {
                return self.choose_another_recovery_factor(factors).await;
            }
            if token.is_empty() {
                if self.interactive {
                    continue;
                }
                self.end_flow(CliError::from_kind(
                    ErrorKind::InvalidCode,
                    "No recovery link was given. Paste the link from Okta's email (in a script, on a line of standard input).",
                ))
                .await;
                return Ok(());
            }
            self.command(self.flow.submit_recovery_token(Secret::new(token)))
                .await;
            return Ok(());
        }
    }

    async fn choose_another_recovery_factor(
        &mut self,
        factors: &[FactorChoice],
    ) -> Result<(), CliError> {
        output::say("How should Okta verify it's you?");
        for (index, factor) in factors.iter().enumerate() {
            output::say(&format!("  {}. {}", index + 1, factor.label));
        }
        loop {
            terminal::print_prompt(&format!("Choose 1-{}: ", factors.len()));
            let answer = match self.read_line().await {
                Input::Line(answer) => answer.trim().to_owned(),
                Input::End => {
                    self.end_flow(CliError::usage(
                        "No recovery factor was chosen. Choose one with --factor (sms, call or email).",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
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

    /// The new password, after the recovery proved who the person is. The org's rules come
    /// first. On a terminal it is typed twice without echo; with `--new-password-stdin` it
    /// is the next line of stdin, once; otherwise a script cannot give one and ends.
    pub(super) async fn new_password(
        &mut self,
        complexity: Option<&PasswordComplexity>,
        last_error: Option<ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        let rules = password_rules(complexity);
        if !rules.is_empty() {
            self.human("Your new password needs:");
            for rule in &rules {
                self.human(&format!("  - {rule}"));
            }
        }
        if !self.new_password_stdin && !self.interactive {
            self.end_flow(CliError::usage(
                "Okta asks for a new password: give it on standard input with --new-password-stdin.",
            ))
            .await;
            return Ok(());
        }
        if let Some(error) = last_error.filter(|_| !self.interactive) {
            // The org's policy refused the one the script gave; a second line would only be
            // refused the same way.
            self.end_flow(CliError::from_kind(error.kind, error.message))
                .await;
            return Ok(());
        }
        loop {
            let first = match self.read_secret("New password: ").await {
                Input::Line(line) if !line.is_empty() => line,
                Input::Line(_) if self.interactive => continue,
                Input::Line(_) | Input::End => {
                    self.end_flow(CliError::usage(
                        "No new password was given (with --new-password-stdin, on a line of standard input).",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
            if self.interactive {
                let again = match self.read_secret("New password again: ").await {
                    Input::Line(line) => line,
                    Input::End => Zeroizing::new(String::new()),
                    Input::Interrupted => return self.interrupted().await,
                };
                if *again != *first {
                    output::say(&format!(
                        "{} The two passwords are not the same. Type it again.",
                        output::styled(BAD, "✘")
                    ));
                    continue;
                }
            }
            self.command(self.flow.set_new_password(Secret::new(first.as_str())))
                .await;
            return Ok(());
        }
    }

    /// A line typed without echo on a terminal (after `prompt`), or read from stdin.
    async fn read_secret(&mut self, prompt: &str) -> Input {
        if !self.interactive {
            if !self.json {
                terminal::print_prompt(prompt);
            }
            return self.read_line().await;
        }
        terminal::print_prompt(prompt);
        let _hidden = HiddenInput::start();
        self.read_line().await
    }

    fn recovery_words(&self) -> &'static str {
        match self.recovery {
            Some(Recovery::UnlockAccount) => "unlock your account",
            _ => "reset your password",
        }
    }
}

/// The final words of a lockout: with self-service unlock, the command that does it.
pub(super) fn locked_out_message(message: String, can_unlock: bool) -> String {
    if can_unlock && !message.contains("oktadesk-cli unlock") {
        format!("{message} To unlock it yourself: oktadesk-cli unlock.")
    } else {
        message
    }
}

/// The org's password rules, in words, as the app lists them.
pub(crate) fn password_rules(complexity: Option<&PasswordComplexity>) -> Vec<String> {
    let Some(rules) = complexity else {
        return Vec::new();
    };
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut words = Vec::new();
    if let Some(n) = rules.min_length.filter(|n| *n > 0) {
        words.push(format!("at least {n} characters"));
    }
    if let Some(n) = rules.min_lower_case.filter(|n| *n > 0) {
        words.push(plural(n, "lowercase letter", "lowercase letters"));
    }
    if let Some(n) = rules.min_upper_case.filter(|n| *n > 0) {
        words.push(plural(n, "uppercase letter", "uppercase letters"));
    }
    if let Some(n) = rules.min_number.filter(|n| *n > 0) {
        words.push(plural(n, "number", "numbers"));
    }
    if let Some(n) = rules.min_symbol.filter(|n| *n > 0) {
        words.push(plural(n, "symbol", "symbols"));
    }
    if rules.exclude_username == Some(true) {
        words.push("not your username".to_owned());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complexity() -> PasswordComplexity {
        serde_json::from_value(serde_json::json!({
            "minLength": 12,
            "minLowerCase": 1,
            "minUpperCase": 2,
            "minNumber": 1,
            "minSymbol": 0,
            "excludeUsername": true,
        }))
        .unwrap()
    }

    #[test]
    fn the_orgs_rules_read_as_words() {
        assert_eq!(
            password_rules(Some(&complexity())),
            [
                "at least 12 characters",
                "1 lowercase letter",
                "2 uppercase letters",
                "1 number",
                "not your username",
            ]
        );
        assert!(password_rules(None).is_empty());
    }

    #[test]
    fn a_lockout_names_the_unlock_command_when_okta_offers_it() {
        assert!(locked_out_message("Locked.".into(), true).ends_with("oktadesk-cli unlock."));
        assert_eq!(locked_out_message("Locked.".into(), false), "Locked.");
        let core = "Choose Unlock account (oktadesk-cli unlock in a terminal).";
        assert_eq!(locked_out_message(core.into(), true), core);
    }
}
