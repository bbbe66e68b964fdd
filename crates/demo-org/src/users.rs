//! The seeded users and what each one demonstrates.

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::factors::{Factor, FactorKind};
use crate::totp::TotpKey;

/// The password of every seeded user.
pub const DEMO_PASSWORD: &str = "Demo-Pa55word!";

/// A user the demo org starts with, for demo screens and docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeededUser {
    pub login: &'static str,
    pub display_name: &'static str,
    /// What signing in as this user shows, in a sentence.
    pub demonstrates: &'static str,
}

const SEEDED: [SeededUser; 9] = [
    SeededUser {
        login: "enroll@demo.test",
        display_name: "Erin Enroll",
        demonstrates: "First sign-in: the org requires Okta Verify push (TOTP optional), so you enroll by scanning a QR code.",
    },
    SeededUser {
        login: "push@demo.test",
        display_name: "Pat Push",
        demonstrates: "Okta Verify push already enrolled: approve the push on the phone.",
    },
    SeededUser {
        login: "number@demo.test",
        display_name: "Nora Number",
        demonstrates: "Push with number challenge: tap the number the desktop shows.",
    },
    SeededUser {
        login: "totp@demo.test",
        display_name: "Toby Totp",
        demonstrates: "Okta Verify code only: type the six-digit code from the phone.",
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
        demonstrates: "Locked account: Okta answers as for a wrong password, unless the org shows lockout failures (then sign-in reports the lockout).",
    },
];

/// The users every demo org starts with (after start and after `/_demo/reset`).
pub fn seeded_users() -> &'static [SeededUser] {
    &SEEDED
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordState {
    Current,
    Warn { expires_in_days: u32 },
    Expired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enrollment {
    Required,
    Optional,
}

impl Enrollment {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Required => "REQUIRED",
            Self::Optional => "OPTIONAL",
        }
    }
}

/// A code the phone's authenticator shows: seeded TOTP factors and any `otpauth://` QR the
/// phone scanned.
#[derive(Debug)]
pub(crate) struct AuthenticatorEntry {
    pub issuer: String,
    pub account: String,
    pub key: TotpKey,
}

pub(crate) struct User {
    pub id: String,
    pub login: String,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub password: Zeroizing<String>,
    pub password_state: PasswordState,
    pub password_changed_at: OffsetDateTime,
    pub failed_attempts: u8,
    pub locked: bool,
    pub mfa_required: bool,
    pub enrollment_policy: Vec<(FactorKind, Enrollment)>,
    pub number_challenge: bool,
    pub factors: Vec<Factor>,
    pub authenticator: Vec<AuthenticatorEntry>,
}

impl User {
    pub(crate) fn factor(&self, id: &str) -> Option<&Factor> {
        self.factors.iter().find(|factor| factor.id == id)
    }

    pub(crate) fn factor_mut(&mut self, id: &str) -> Option<&mut Factor> {
        self.factors.iter_mut().find(|factor| factor.id == id)
    }

    pub(crate) fn active_factors(&self) -> impl Iterator<Item = &Factor> {
        self.factors.iter().filter(|factor| factor.is_active())
    }

    pub(crate) fn has_active(&self, kind: FactorKind) -> bool {
        self.active_factors().any(|factor| factor.kind == kind)
    }

    pub(crate) fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
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
                id: crate::ids::object_id("00u"),
                login: seeded.login.to_owned(),
                first_name,
                last_name,
                password: Zeroizing::new(password.to_owned()),
                password_state: PasswordState::Current,
                password_changed_at: now - time::Duration::days(80),
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
            };
            match seeded.login {
                "push@demo.test" => user.factors.push(Factor::active(FactorKind::Push)),
                "number@demo.test" => {
                    user.factors.push(Factor::active(FactorKind::Push));
                    user.number_challenge = true;
                }
                "totp@demo.test" => user.factors.push(Factor::active(FactorKind::Totp)),
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
                }
                _ => {}
            }
            for factor in &user.factors {
                if let Some(totp) = &factor.totp {
                    user.authenticator.push(AuthenticatorEntry {
                        issuer: issuer.to_owned(),
                        account: user.login.clone(),
                        key: totp.key.clone(),
                    });
                }
            }
            user
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeded_user_is_built() {
        let users = seed(OffsetDateTime::now_utc(), "demo", DEMO_PASSWORD);
        assert_eq!(users.len(), seeded_users().len());
        let multi = users.iter().find(|u| u.login == "multi@demo.test").unwrap();
        assert!(multi.has_active(FactorKind::Push) && multi.has_active(FactorKind::Totp));
        assert_eq!(multi.authenticator.len(), 1);
    }
}
