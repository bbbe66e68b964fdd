//! Who the demo org starts with, after start and after `/_demo/reset`: the seeded users
//! and what each one demonstrates, the password, phone number and security answer they all
//! share, the OIDC app IDX sign-ins name, and how the users are built from all of that.

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::org::factors::{Factor, FactorKind, QuestionAnswer};
use crate::org::remembered_devices::{RememberDevicePolicy, RememberedDevices};
use crate::org::totp::TotpKey;
use crate::org::users::{AuthenticatorEntry, Enrollment, PasswordState, User};

/// The client id of the demo org's OIDC native app, Okta-shaped (`0oa…`, 20 characters).
pub const DEMO_OIDC_CLIENT_ID: &str = "0oa1demoOktaDesk0g47";

/// The sign-in redirect URI the demo org's OIDC app registers: OktaDesk's.
pub const DEMO_REDIRECT_URI: &str = "com.oktadesk.app:/callback";

/// The custom authorization server the demo org offers besides its own.
pub const DEMO_AUTH_SERVER_ID: &str = "default";

/// The password of every seeded user.
pub const DEMO_PASSWORD: &str = "Demo-Pa55word!";

/// The answer to every seeded user's security question.
pub const DEMO_SECURITY_ANSWER: &str = "blue cheese";

/// The phone number every seeded SMS and voice call factor sends to (a fictional number);
/// the texts and calls land in the user's inbox under `/_demo`.
pub const DEMO_PHONE_NUMBER: &str = "+15555550142";

/// A user the demo org starts with, for demo screens and docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeededUser {
    pub login: &'static str,
    pub display_name: &'static str,
    /// What signing in as this user shows, in a sentence.
    pub demonstrates: &'static str,
}

const SEEDED: [SeededUser; 20] = [
    SeededUser {
        login: "enroll@demo.test",
        display_name: "Erin Enroll",
        demonstrates: "First sign-in: the org requires Okta Verify push (TOTP optional), so you enroll by scanning a QR code.",
    },
    SeededUser {
        login: "push@demo.test",
        display_name: "Pat Push",
        demonstrates: "Okta Verify push already enrolled: approve the push on the phone. The org lets this device be remembered for a day.",
    },
    SeededUser {
        login: "number@demo.test",
        display_name: "Nora Number",
        demonstrates: "Push with number challenge: tap the number the desktop shows.",
    },
    SeededUser {
        login: "totp@demo.test",
        display_name: "Toby Totp",
        demonstrates: "Okta Verify code only: type the six-digit code from the phone. The org lets this device be remembered for a day.",
    },
    SeededUser {
        login: "multi@demo.test",
        display_name: "Mia Multi",
        demonstrates: "Push and code both enrolled: choose either.",
    },
    SeededUser {
        login: "nomfa@demo.test",
        display_name: "Noah Nomfa",
        demonstrates: "No MFA policy: the password alone signs you in.",
    },
    SeededUser {
        login: "warn@demo.test",
        display_name: "Wade Warn",
        demonstrates: "Password about to expire: change it now or skip.",
    },
    SeededUser {
        login: "expired@demo.test",
        display_name: "Eve Expired",
        demonstrates: "Password expired: you must choose a new one.",
    },
    SeededUser {
        login: "locked@demo.test",
        display_name: "Lou Locked",
        demonstrates: "Locked account: Okta answers as for a wrong password, unless the org shows lockout failures (then sign-in reports the lockout). Unlock it yourself by email: Classic mails a link (its token is in the demo inbox), Identity Engine a code.",
    },
    SeededUser {
        login: "sms@demo.test",
        display_name: "Sam Sms",
        demonstrates: "SMS: a code is texted to +1 XXX-XXX-0142 (read it in the demo phone's inbox). The org lets this device be remembered for a day.",
    },
    SeededUser {
        login: "call@demo.test",
        display_name: "Cal Call",
        demonstrates: "Voice call: a call reads out a five-digit code (in the demo phone's inbox).",
    },
    SeededUser {
        login: "email@demo.test",
        display_name: "Emma Email",
        demonstrates: "Email: a code is emailed (read it in the demo phone's inbox).",
    },
    SeededUser {
        login: "question@demo.test",
        display_name: "Quinn Question",
        demonstrates: "Security question: answer it (every demo answer is \"blue cheese\").",
    },
    SeededUser {
        login: "google@demo.test",
        display_name: "Gail Google",
        demonstrates: "First sign-in: the org requires Google Authenticator, so you add it by QR code or key, then type its code.",
    },
    SeededUser {
        login: "token@demo.test",
        display_name: "Tom Token",
        demonstrates: "Hardware token (RSA SecurID): type the code it shows (on the demo phone).",
    },
    SeededUser {
        login: "webauthn@demo.test",
        display_name: "Wendy Webauthn",
        demonstrates: "The org requires a security key (WebAuthn), which only the browser can set up.",
    },
    SeededUser {
        login: "allfactors@demo.test",
        display_name: "Alex Allfactors",
        demonstrates: "Every factor type enrolled: choose any, including one only the browser can do.",
    },
    SeededUser {
        login: "enrollall@demo.test",
        display_name: "Ella Enrollall",
        demonstrates: "Nothing enrolled yet: set up any factor the org offers (every type is listed).",
    },
    SeededUser {
        login: "forgot@demo.test",
        display_name: "Fay Forgot",
        demonstrates: "Forgot password, email only: reset it from the emailed link (Classic; the link and its token land in the demo inbox) or code (Identity Engine). Email is also her second factor.",
    },
    SeededUser {
        login: "recover@demo.test",
        display_name: "Reed Recover",
        demonstrates: "Forgot password by text or voice call, then the recovery question (\"blue cheese\"), then a new password. The phone is also his second factor.",
    },
];

/// The users every demo org starts with (after start and after `/_demo/reset`).
pub fn seeded_users() -> &'static [SeededUser] {
    &SEEDED
}

/// Builds the seeded users afresh, with new ids and TOTP secrets.
pub(crate) fn seed(now: OffsetDateTime, issuer: &str, password: &str) -> Vec<User> {
    SEEDED
        .iter()
        .map(|seeded| {
            let (first_name, last_name) = seeded
                .display_name
                .split_once(' ')
                .unwrap_or((seeded.display_name, ""));
            let mut user = User {
                id: crate::org::ids::object_id("00u"),
                login: seeded.login.to_owned(),
                first_name,
                last_name,
                password: Zeroizing::new(password.to_owned()),
                password_state: PasswordState::Current,
                password_changed_at: now - time::Duration::days(80),
                password_history: Vec::new(),
                recovery_question: None,
                failed_attempts: 0,
                locked: false,
                mfa_required: true,
                enrollment_policy: vec![
                    (FactorKind::Push, Enrollment::Required),
                    (FactorKind::Totp, Enrollment::Optional),
                ],
                number_challenge: false,
                factors: Vec::new(),
                authenticator: Vec::new(),
                inbox: Vec::new(),
                phone_on_file: None,
                spare_token: None,
                remember_device: None,
                remembered_devices: RememberedDevices::default(),
            };
            match seeded.login {
                "push@demo.test" => {
                    user.factors.push(Factor::active(FactorKind::Push));
                    user.remember_device = Some(RememberDevicePolicy::ONE_DAY);
                }
                "number@demo.test" => {
                    user.factors.push(Factor::active(FactorKind::Push));
                    user.number_challenge = true;
                }
                "totp@demo.test" => {
                    user.factors.push(Factor::active(FactorKind::Totp));
                    user.remember_device = Some(RememberDevicePolicy::ONE_DAY);
                }
                "multi@demo.test" => {
                    user.factors.push(Factor::active(FactorKind::Push));
                    user.factors.push(Factor::active(FactorKind::Totp));
                }
                "nomfa@demo.test" => user.mfa_required = false,
                "warn@demo.test" => {
                    user.mfa_required = false;
                    user.password_state = PasswordState::Warn { expires_in_days: 4 };
                }
                "expired@demo.test" => {
                    user.mfa_required = false;
                    user.password_state = PasswordState::Expired;
                }
                "locked@demo.test" => {
                    user.mfa_required = false;
                    user.locked = true;
                    user.factors.push(enrolled(FactorKind::Email));
                }
                login => seed_factors(&mut user, login),
            }
            for factor in &user.factors {
                if let Some(totp) = &factor.totp {
                    user.authenticator.push(AuthenticatorEntry {
                        issuer: authenticator_issuer(factor.kind, issuer),
                        account: user.login.clone(),
                        key: totp.key.clone(),
                    });
                }
            }
            if let Some(key) = &user.spare_token {
                user.authenticator.push(AuthenticatorEntry {
                    issuer: authenticator_issuer(FactorKind::Token, issuer),
                    account: user.login.clone(),
                    key: key.clone(),
                });
            }
            user
        })
        .collect()
}

/// The factors and enrollment policies of the users who show one factor type each.
fn seed_factors(user: &mut User, login: &str) {
    let single = |kind| vec![enrolled(kind)];
    match login {
        "sms@demo.test" => {
            user.factors = single(FactorKind::Sms);
            user.remember_device = Some(RememberDevicePolicy::ONE_DAY);
        }
        "call@demo.test" => user.factors = single(FactorKind::Call),
        "email@demo.test" => user.factors = single(FactorKind::Email),
        "question@demo.test" => user.factors = single(FactorKind::Question),
        "token@demo.test" => user.factors = single(FactorKind::Token),
        "google@demo.test" => {
            user.enrollment_policy = vec![(FactorKind::Google, Enrollment::Required)];
        }
        "webauthn@demo.test" => {
            user.enrollment_policy = vec![
                (FactorKind::WebAuthn, Enrollment::Required),
                (FactorKind::Push, Enrollment::Optional),
            ];
        }
        "allfactors@demo.test" => {
            user.factors = FactorKind::ALL.into_iter().map(enrolled).collect();
            user.enrollment_policy = every_kind_optional();
        }
        "forgot@demo.test" => user.factors = single(FactorKind::Email),
        "recover@demo.test" => {
            user.factors = [FactorKind::Sms, FactorKind::Call, FactorKind::Question]
                .into_iter()
                .map(enrolled)
                .collect();
            user.recovery_question = Some(org_question());
        }
        "enrollall@demo.test" => {
            user.enrollment_policy = every_kind_optional();
            user.phone_on_file = Some(DEMO_PHONE_NUMBER.to_owned());
            user.spare_token = Some(TotpKey::generate());
        }
        _ => {}
    }
}

fn every_kind_optional() -> Vec<(FactorKind, Enrollment)> {
    FactorKind::ALL
        .into_iter()
        .map(|kind| (kind, Enrollment::Optional))
        .collect()
}

/// An active factor as a seeded user has it: on the demo phone, the demo number, the
/// demo security answer.
fn enrolled(kind: FactorKind) -> Factor {
    let mut factor = Factor::active(kind);
    if matches!(kind, FactorKind::Sms | FactorKind::Call) {
        factor.phone = Some(DEMO_PHONE_NUMBER.to_owned());
    }
    if kind == FactorKind::Question {
        factor.question = Some(org_question());
    }
    factor
}

/// The first of the org's questions, answered with the demo answer.
fn org_question() -> QuestionAnswer {
    let (key, text) = crate::org::questions::ORG_QUESTIONS[0];
    QuestionAnswer {
        key,
        text: text.to_owned(),
        answer: Zeroizing::new(DEMO_SECURITY_ANSWER.to_owned()),
    }
}

/// What the virtual phone calls an app's codes: the org for Okta Verify and authenticator
/// apps (as scanning the QR code names them), the token's maker for a hardware token.
fn authenticator_issuer(kind: FactorKind, issuer: &str) -> String {
    match kind {
        FactorKind::Google => format!("{issuer} (authenticator app)"),
        FactorKind::Token => "RSA SecurID".to_owned(),
        _ => issuer.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_id_looks_like_oktas() {
        assert_eq!(DEMO_OIDC_CLIENT_ID.len(), 20);
        assert!(DEMO_OIDC_CLIENT_ID.starts_with("0oa"));
    }

    #[test]
    fn every_seeded_user_is_built() {
        let users = seed(OffsetDateTime::now_utc(), "demo", DEMO_PASSWORD);
        assert_eq!(users.len(), seeded_users().len());
        let multi = users.iter().find(|u| u.login == "multi@demo.test").unwrap();
        assert!(multi.has_active(FactorKind::Push) && multi.has_active(FactorKind::Totp));
        assert_eq!(multi.authenticator.len(), 1);
    }
}
