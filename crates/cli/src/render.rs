//! How stages look: the JSON events of `--json` and the words and QR code people see.

use oktadesk_core::{Activity, EnrollQr, FactorKind, LinkChannel, Stage};
use serde_json::{Value, json};

use crate::output::{self, STRONG};

/// Fields of a stage that never go into the JSON stream: the QR drawings encode the
/// single-use activation token, which would let whoever reads a log enroll a phone, and an
/// authenticator app's key would let them make its codes.
const QR_FIELDS: &[&str] = &["svg", "terminal", "pngDataUrl", "sharedSecret"];

/// A stage as one `--json` event: the core's serialisation (a `stage` tag, camelCase
/// fields), minus the QR drawings, plus `atMs` since the sign-in started.
pub(crate) fn stage_json(stage: &Stage, at_ms: u128) -> Value {
    let mut value =
        serde_json::to_value(stage).unwrap_or_else(|_| json!({ "stage": stage.name() }));
    if let Some(object) = value.as_object_mut() {
        for field in QR_FIELDS {
            object.remove(*field);
        }
        object.insert("atMs".into(), json!(at_ms));
    }
    value
}

/// The spinner's words for what the engine is doing.
pub(crate) fn activity(activity: Activity) -> &'static str {
    match activity {
        Activity::CheckingPassword => "Checking the password",
        Activity::Enrolling => "Setting up Okta Verify",
        Activity::SendingPush => "Sending a push",
        Activity::VerifyingCode => "Checking the code",
        Activity::SendingCode => "Asking Okta to send a code",
        Activity::VerifyingAnswer => "Checking the answer",
        Activity::LoadingQuestions => "Getting the security questions",
        Activity::SendingActivationLink => "Sending the activation link",
        Activity::RefreshingQr => "Getting a new QR code",
        Activity::ChangingPassword => "Changing the password",
        Activity::StartingRecovery => "Asking Okta to start the recovery",
        Activity::ResettingPassword => "Setting the new password",
        Activity::Skipping => "Skipping",
        Activity::SwitchingFactor => "Switching factor",
        Activity::Cancelling => "Cancelling the sign-in on the server",
        _ => "Working",
    }
}

pub(crate) fn channel(channel: LinkChannel) -> &'static str {
    match channel {
        LinkChannel::Email => "email",
        LinkChannel::Sms => "SMS",
    }
}

/// Draws the enrollment QR code on stderr with what to do.
pub(crate) fn enroll_qr(qr: &EnrollQr) {
    let expires = qr
        .expires_in_seconds
        .map(|seconds| format!(" It expires in {}.", minutes(seconds)))
        .unwrap_or_default();
    let (title, app) = match qr.factor {
        FactorKind::Google => ("Set up your authenticator app:", "your authenticator app"),
        _ => ("Set up Okta Verify:", "Okta Verify"),
    };
    output::say(&format!(
        "{} Open {app} on your phone, tap + (add an account) and scan this QR code.{expires}",
        output::styled(STRONG, title)
    ));
    match &qr.terminal {
        Some(drawing) => {
            // Never coloured or styled: the half blocks must stay exactly as drawn.
            eprintln!("{drawing}");
            output::say(
                "If your phone cannot read it, make the terminal window larger or its background darker.",
            );
        }
        None => output::say(
            "The QR code could not be drawn in the terminal. Use the OktaDesk app, or ask for an activation link instead.",
        ),
    }
    if let Some(key) = &qr.shared_secret {
        output::say(&format!(
            "Or type this key in the app instead of scanning: {}",
            output::styled(STRONG, &grouped(key.expose()))
        ));
    }
}

/// An app key in groups of four, easier to type: `KBMT M32U JZSX Q2DW`.
fn grouped(key: &str) -> String {
    key.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn minutes(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=119 => "1 minute".to_owned(),
        _ => format!("{} minutes", seconds / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oktadesk_core::{QrUriKind, Secret, SecretBytes};

    #[test]
    fn json_events_drop_the_qr_drawings() {
        let qr = EnrollQr {
            factor: FactorKind::Push,
            uri_kind: QrUriKind::OktaVerify,
            svg: Some("<svg/>".into()),
            terminal: Some("▀▄".into()),
            png_data_url: Some("data:".into()),
            expires_at: None,
            expires_in_seconds: Some(600),
            link_channels: vec![LinkChannel::Email],
            shared_secret: Some(Secret::new("KBMTM32UJZSXQ2DW")),
            original_png: SecretBytes::new(vec![1, 2, 3]),
        };
        let value = stage_json(&Stage::EnrollQr(qr), 12);
        assert_eq!(value["stage"], "enrollQr");
        assert_eq!(value["expiresInSeconds"], 600);
        assert_eq!(value["atMs"], 12);
        for field in QR_FIELDS {
            assert!(value.get(*field).is_none(), "{field} in {value}");
        }
    }

    #[test]
    fn recovery_stages_are_json_events_with_their_fields() {
        use oktadesk_core::{ErrorInfo, ErrorKind, FactorChoice};
        let sms = FactorChoice {
            key: "mbl1".into(),
            kind: FactorKind::Sms,
            provider: "OKTA".into(),
            label: "SMS to +1 XXX-XXX-1337".into(),
            device_name: None,
            sent_to: Some("+1 XXX-XXX-1337".into()),
            required: false,
            needs_browser: false,
        };
        let sent = stage_json(
            &Stage::RecoveryEmailSent {
                factors: vec![sms],
                last_error: Some(ErrorInfo {
                    kind: ErrorKind::Expired,
                    message: "The link expired.".into(),
                }),
            },
            5,
        );
        assert_eq!(sent["stage"], "recoveryEmailSent");
        assert_eq!(sent["factors"][0]["kind"], "sms");
        assert_eq!(sent["lastError"]["kind"], "expired");
        assert_eq!(sent["atMs"], 5);

        let complexity = serde_json::from_value(json!({"minLength": 12, "minNumber": 1})).unwrap();
        let new_password = stage_json(
            &Stage::NeedsNewPassword {
                complexity: Some(complexity),
                last_error: None,
            },
            6,
        );
        assert_eq!(new_password["stage"], "needsNewPassword");
        assert_eq!(new_password["complexity"]["minLength"], 12);
        assert_eq!(new_password["lastError"], Value::Null);

        let unlocked = stage_json(
            &Stage::AccountUnlocked {
                username: "locked@demo.test".into(),
                message: "Your account is unlocked.".into(),
            },
            7,
        );
        assert_eq!(unlocked["stage"], "accountUnlocked");
        assert_eq!(unlocked["username"], "locked@demo.test");

        let locked = stage_json(
            &Stage::LockedOut {
                message: "Locked.".into(),
                can_unlock: true,
            },
            8,
        );
        assert_eq!(locked["canUnlock"], true);

        let choice = stage_json(
            &Stage::NeedsFactorChoice {
                purpose: oktadesk_core::FactorPurpose::Unlock,
                factors: Vec::new(),
                can_skip: false,
                last_error: None,
                remember_device: None,
            },
            9,
        );
        assert_eq!(choice["purpose"], "unlock");
    }

    #[test]
    fn recovery_activities_have_words() {
        assert_eq!(
            activity(Activity::StartingRecovery),
            "Asking Okta to start the recovery"
        );
        assert_eq!(
            activity(Activity::ResettingPassword),
            "Setting the new password"
        );
    }

    #[test]
    fn app_keys_are_grouped_for_typing() {
        assert_eq!(grouped("KBMTM32UJZSXQ2DW"), "KBMT M32U JZSX Q2DW");
        assert_eq!(grouped("ABCDE"), "ABCD E");
    }

    #[test]
    fn minutes_read_naturally() {
        assert_eq!(minutes(30), "30 s");
        assert_eq!(minutes(90), "1 minute");
        assert_eq!(minutes(600), "10 minutes");
    }
}
