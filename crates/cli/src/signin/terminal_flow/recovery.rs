//! The stages only a password reset or an unlock has: the link Okta emailed (or the recovery
//! token in it), and the new password. Secrets are typed without echo on a terminal and read
//! a line each from stdin in a script. Also what the help desk is told of a recovery: which
//! factor proved who the person is, and which step failed and why.

use oktadesk_core::wire::PasswordComplexity;
use oktadesk_core::{ErrorInfo, ErrorKind, FactorChoice, Recovery, Secret, Stage};
use serde::Serialize;
use zeroize::Zeroizing;

use super::{Input, TerminalFlow};
use crate::exit::CliError;
use crate::output::{self, BAD, DIM};
use crate::render;
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

/// What the help desk needs of a recovery besides the HTTP steps: what was asked for, which
/// factor proved (or failed to prove) who the person is, the step in play when it ended and
/// why it failed. No secret: factor labels are Okta's masked ones.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(in crate::signin) struct HelpDeskNotes {
    recovery: Option<Recovery>,
    /// The recovery factor, as Okta labels it (`SMS to +1 XXX-XXX-1337`, `Email`).
    factor: Option<String>,
    /// Each stage the flow went through, by name.
    stages: Vec<String>,
    /// The last thing the engine was doing, in words.
    step: Option<String>,
    /// The step that failed and why, when one did.
    failure: Option<Failure>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Failure {
    step: String,
    kind: String,
    message: String,
}

impl HelpDeskNotes {
    pub(super) fn new(recovery: Recovery) -> Self {
        Self {
            recovery: Some(recovery),
            ..Self::default()
        }
    }

    /// Follows a stage: the factor in use, the step in play, and a refusal that leaves the
    /// step standing (a wrong code, a refused link or password).
    pub(super) fn observe(&mut self, stage: &Stage) {
        if self.recovery.is_none() {
            return;
        }
        if !matches!(stage, Stage::Working { .. }) {
            self.stages.push(stage.name().to_owned());
        }
        let refused = match stage {
            Stage::Working { activity } => {
                self.step = Some(render::activity(*activity).to_owned());
                None
            }
            Stage::NeedsCode {
                factor, last_error, ..
            } => {
                self.factor = Some(factor.label.clone());
                last_error.as_ref()
            }
            // A recovery question comes after the factor that sent the code (Classic's
            // RECOVERY): the help desk sees both.
            Stage::NeedsAnswer {
                factor, last_error, ..
            } => {
                self.factor = Some(match self.factor.take() {
                    Some(first) if !first.contains(&factor.label) => {
                        format!("{first}, then {}", factor.label)
                    }
                    Some(first) => first,
                    None => factor.label.clone(),
                });
                last_error.as_ref()
            }
            Stage::RecoveryEmailSent { last_error, .. } => {
                self.factor = Some(
                    self.factor
                        .clone()
                        .filter(|label| label.to_lowercase().contains("email"))
                        .unwrap_or_else(|| "Email (a recovery link)".to_owned()),
                );
                last_error.as_ref()
            }
            Stage::NeedsFactorChoice { last_error, .. }
            | Stage::NeedsNewPassword { last_error, .. } => last_error.as_ref(),
            Stage::CommandFailed { error, .. } => Some(error),
            Stage::Failed { kind, message } => {
                self.fail(kind.as_str(), message);
                None
            }
            _ => None,
        };
        if let Some(error) = refused {
            self.fail(error.kind.as_str(), &error.message);
        }
    }

    /// The flow ended with `error` (maybe the CLI's own reason, e.g. no new password given).
    pub(super) fn ended_with(&mut self, error: &CliError) {
        if self.recovery.is_some() {
            self.fail(&error.kind, &error.message);
        }
    }

    fn fail(&mut self, kind: &str, message: &str) {
        self.failure = Some(Failure {
            step: self
                .step
                .clone()
                .unwrap_or_else(|| "Starting the recovery".to_owned()),
            kind: kind.to_owned(),
            message: message.to_owned(),
        });
    }

    /// Whether these notes are of a recovery (a sign-in keeps none).
    pub(in crate::signin) fn is_recovery(&self) -> bool {
        self.recovery.is_some()
    }

    /// A few lines for the top of a text transcript.
    pub(in crate::signin) fn report(&self) -> String {
        let what = match self.recovery {
            Some(Recovery::ResetPassword) => "password reset (forgot password)",
            Some(Recovery::UnlockAccount) => "account unlock",
            None => return String::new(),
        };
        let mut lines = vec![format!("Recovery: {what}")];
        lines.push(format!(
            "Recovery factor: {}",
            self.factor.as_deref().unwrap_or("none chosen")
        ));
        if !self.stages.is_empty() {
            lines.push(format!("Stages: {}", self.stages.join(" → ")));
        }
        match &self.failure {
            Some(failure) => lines.push(format!(
                "Failed at: {} ({}): {}",
                failure.step, failure.kind, failure.message
            )),
            None => lines.push("Failed at: nothing failed".to_owned()),
        }
        lines.join("\n") + "\n\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oktadesk_core::FactorKind;

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

    fn sms() -> FactorChoice {
        FactorChoice {
            key: "sms".into(),
            kind: FactorKind::Sms,
            provider: "OKTA".into(),
            label: "SMS to +1 XXX-XXX-1337".into(),
            device_name: None,
            sent_to: Some("+1 XXX-XXX-1337".into()),
            required: false,
            needs_browser: false,
        }
    }

    #[test]
    fn the_help_desk_reads_the_factor_and_the_step_that_failed() {
        let mut notes = HelpDeskNotes::new(Recovery::ResetPassword);
        notes.observe(&Stage::Working {
            activity: oktadesk_core::Activity::StartingRecovery,
        });
        notes.observe(&Stage::RecoveryEmailSent {
            factors: Vec::new(),
            last_error: None,
        });
        notes.observe(&Stage::Working {
            activity: oktadesk_core::Activity::VerifyingCode,
        });
        notes.observe(&Stage::Failed {
            kind: ErrorKind::Expired,
            message: "The recovery link expired. Start again.".into(),
        });
        let report = notes.report();
        assert!(report.contains("Recovery: password reset"), "{report}");
        assert!(
            report.contains("Recovery factor: Email (a recovery link)"),
            "{report}"
        );
        assert!(
            report.contains("Failed at: Checking the code (expired): The recovery link expired."),
            "{report}"
        );
        assert!(report.contains("recoveryEmailSent → failed"), "{report}");

        // An SMS code refused: the factor is Okta's masked label, the failure the refusal.
        let mut notes = HelpDeskNotes::new(Recovery::UnlockAccount);
        notes.observe(&Stage::NeedsCode {
            factor: sms(),
            purpose: oktadesk_core::CodePurpose::Recover,
            code_digits: 6,
            code_format: oktadesk_core::CodeFormat::Digits,
            resend_in_seconds: Some(30),
            last_error: Some(ErrorInfo {
                kind: ErrorKind::InvalidCode,
                message: "That code is not right.".into(),
            }),
            remember_device: None,
        });
        let report = notes.report();
        assert!(report.contains("Recovery: account unlock"), "{report}");
        assert!(
            report.contains("Recovery factor: SMS to +1 XXX-XXX-1337"),
            "{report}"
        );
        assert!(
            report.contains("(invalid_code): That code is not right."),
            "{report}"
        );
        // A sign-in keeps no notes.
        let mut signin = HelpDeskNotes::default();
        signin.observe(&Stage::Failed {
            kind: ErrorKind::Credentials,
            message: "no".into(),
        });
        assert!(!signin.is_recovery());
        assert_eq!(signin.report(), "");
    }
}
