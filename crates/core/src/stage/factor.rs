//! Factors as a UI shows them: their kinds, the choice a person makes, and the security
//! questions an org offers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of factor something is, as far as what a person does with it. Every factor type
/// Okta documents has a kind: the ones that need a browser (WebAuthn, U2F, Duo, FastPass, an
/// identity provider, and any type Okta adds later) are [`FactorKind::Browser`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FactorKind {
    /// Okta Verify push (`push`, provider OKTA).
    Push,
    /// A six-digit code from Okta Verify (`token:software:totp`, provider OKTA).
    Totp,
    /// A six-digit code from Google Authenticator or any other authenticator app
    /// (`token:software:totp`, provider GOOGLE).
    Google,
    /// A code sent by text message (`sms`).
    Sms,
    /// A code read out by a voice call (`call`).
    Call,
    /// A code sent by email (`email`).
    Email,
    /// The answer to a security question (`question`).
    Question,
    /// A code from a hardware or other token: RSA SecurID and Symantec VIP (`token`),
    /// YubiKey OTP (`token:hardware`), a custom HOTP token (`token:hotp`).
    Token,
    /// Only the browser can do it: WebAuthn, U2F, Duo (`web`), Okta FastPass
    /// (`signed_nonce`), an identity provider (`claims_provider`), and any other type.
    Browser,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Totp => "totp",
            Self::Google => "google",
            Self::Sms => "sms",
            Self::Call => "call",
            Self::Email => "email",
            Self::Question => "question",
            Self::Token => "token",
            Self::Browser => "browser",
        }
    }

    /// The kind of a factor as Okta lists it (`factorType` and `provider`).
    pub(crate) fn of(factor_type: &str, provider: &str) -> Self {
        match factor_type {
            "push" if provider.eq_ignore_ascii_case("OKTA") => Self::Push,
            "token:software:totp" if provider.eq_ignore_ascii_case("OKTA") => Self::Totp,
            "token:software:totp" => Self::Google,
            "sms" => Self::Sms,
            "call" => Self::Call,
            "email" => Self::Email,
            "question" => Self::Question,
            "token" | "token:hardware" | "token:hotp" => Self::Token,
            _ => Self::Browser,
        }
    }

    /// Whether a code for this factor is sent by Okta (and can be sent again), rather than
    /// read from an app or a token the person holds.
    pub(crate) fn is_sent(self) -> bool {
        matches!(self, Self::Sms | Self::Call | Self::Email)
    }
}

impl fmt::Display for FactorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FactorKind {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input.trim().to_ascii_lowercase().as_str() {
            "push" => Ok(Self::Push),
            "totp" | "code" | "token:software:totp" => Ok(Self::Totp),
            "google" | "authenticator" => Ok(Self::Google),
            "sms" | "text" => Ok(Self::Sms),
            "call" | "voice" => Ok(Self::Call),
            "email" => Ok(Self::Email),
            "question" | "security-question" => Ok(Self::Question),
            "token" | "hardware" => Ok(Self::Token),
            other => Err(format!(
                "unknown factor \"{other}\": use push, totp, google, sms, call, email, question or token"
            )),
        }
    }
}

/// A factor the user can pick. Pass `key` back to `choose_factor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorChoice {
    pub key: String,
    pub kind: FactorKind,
    /// Okta's provider: `OKTA`, `GOOGLE`, `RSA`, `YUBICO`, `FIDO`, `DUO`...
    pub provider: String,
    /// What a person knows it by: "Okta Verify push", "Google Authenticator",
    /// "SMS to +1 XXX-XXX-1337", "Security question", "YubiKey", "Security key or biometric".
    pub label: String,
    /// The enrolled phone, when Okta names it (Okta Verify).
    pub device_name: Option<String>,
    /// Where Okta sends codes, masked as Okta shows it: "+1 XXX-XXX-1337", "d...y@example.com".
    pub sent_to: Option<String>,
    /// Enrollment the org requires (as opposed to optional).
    pub required: bool,
    /// OktaDesk cannot do this one: choosing it leads to [`Stage::ContinueInBrowser`].
    ///
    /// [`Stage::ContinueInBrowser`]: crate::Stage::ContinueInBrowser
    pub needs_browser: bool,
}

/// A security question the org offers for enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityQuestion {
    /// Okta's name for it (`disliked_food`): pass it back to `enroll_question`.
    #[serde(rename = "question")]
    pub key: String,
    /// The question as a person reads it.
    #[serde(rename = "questionText")]
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_factor_type_has_a_kind() {
        for (factor_type, provider, kind) in [
            ("push", "OKTA", FactorKind::Push),
            ("push", "DUO", FactorKind::Browser),
            ("token:software:totp", "OKTA", FactorKind::Totp),
            ("token:software:totp", "GOOGLE", FactorKind::Google),
            ("sms", "OKTA", FactorKind::Sms),
            ("call", "OKTA", FactorKind::Call),
            ("email", "OKTA", FactorKind::Email),
            ("question", "OKTA", FactorKind::Question),
            ("token", "RSA", FactorKind::Token),
            ("token", "SYMANTEC", FactorKind::Token),
            ("token:hardware", "YUBICO", FactorKind::Token),
            ("token:hotp", "CUSTOM", FactorKind::Token),
            ("webauthn", "FIDO", FactorKind::Browser),
            ("u2f", "FIDO", FactorKind::Browser),
            ("web", "DUO", FactorKind::Browser),
            ("signed_nonce", "OKTA", FactorKind::Browser),
            ("claims_provider", "CUSTOM", FactorKind::Browser),
            ("something:new", "OKTA", FactorKind::Browser),
        ] {
            assert_eq!(FactorKind::of(factor_type, provider), kind, "{factor_type}");
        }
    }

    #[test]
    fn kinds_read_from_what_people_type() {
        for (typed, kind) in [
            ("push", FactorKind::Push),
            ("TOTP", FactorKind::Totp),
            ("google", FactorKind::Google),
            ("sms", FactorKind::Sms),
            ("call", FactorKind::Call),
            ("email", FactorKind::Email),
            ("question", FactorKind::Question),
            ("token", FactorKind::Token),
        ] {
            assert_eq!(typed.parse::<FactorKind>(), Ok(kind));
            assert_eq!(kind.as_str().parse::<FactorKind>(), Ok(kind));
        }
        assert!(
            "webauthn"
                .parse::<FactorKind>()
                .unwrap_err()
                .contains("google")
        );
    }

    #[test]
    fn questions_read_as_okta_lists_them() {
        let questions: Vec<SecurityQuestion> = serde_json::from_str(
            r#"[{"question":"disliked_food","questionText":"What is the food you least liked as a child?"}]"#,
        )
        .unwrap();
        assert_eq!(questions[0].key, "disliked_food");
        assert!(questions[0].text.starts_with("What is the food"));
    }
}
