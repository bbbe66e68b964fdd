//! The help desk's notes on a recovery: what was asked for, which factor proved (or failed
//! to prove) who the person is, the step in play when it ended and why it failed. Its own
//! file because the terminal flow keeps them and the recovery prompts add to them.

use oktadesk_core::{Recovery, Stage};
use serde::Serialize;

use crate::exit::CliError;
use crate::render;

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
    pub(in crate::signin) fn new(recovery: Recovery) -> Self {
        Self {
            recovery: Some(recovery),
            ..Self::default()
        }
    }

    /// Follows a stage: the factor in use, the step in play, and a refusal that leaves the
    /// step standing (a wrong code, a refused link or password).
    pub(in crate::signin) fn observe(&mut self, stage: &Stage) {
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
    pub(in crate::signin) fn ended_with(&mut self, error: &CliError) {
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
    use oktadesk_core::{ErrorInfo, ErrorKind, FactorChoice, FactorKind};

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
