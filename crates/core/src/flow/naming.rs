//! What each factor is called, where its codes go and what they look like, and how a refused
//! code or answer is explained for it. Pure: every rule is tested here.

use crate::error::{Error, ErrorInfo};
use crate::stage::{FactorChoice, FactorKind};
use crate::verification_code::{CODE_DIGITS, CodeFormat};
use crate::wire::Factor;

/// Digits of the code Okta reads out in a voice call (its SMS and email codes have six).
const CALL_CODE_DIGITS: usize = 5;

/// `factor` as a choice names it, under `key`, for both drivers: its kind and vendor, label,
/// device and where its codes go. Neither required nor browser-only: the caller says.
pub(crate) fn choice(factor: &Factor, kind: FactorKind, key: String) -> FactorChoice {
    FactorChoice {
        key,
        kind,
        provider: factor.provider.clone(),
        label: label(factor, kind),
        device_name: factor.profile.as_ref().and_then(|p| p.name.clone()),
        sent_to: sent_to(factor),
        required: false,
        needs_browser: false,
    }
}

/// The name a person knows the factor by, with where its codes go when Okta says.
pub(crate) fn label(factor: &Factor, kind: FactorKind) -> String {
    let to = |what: &str| match sent_to(factor) {
        Some(destination) => format!("{what} to {destination}"),
        None => what.to_owned(),
    };
    let vendor = || factor.vendor_name.clone().filter(|name| !name.is_empty());
    match kind {
        FactorKind::Push => "Okta Verify push".into(),
        FactorKind::Totp => "Okta Verify code".into(),
        FactorKind::Google => "Google Authenticator".into(),
        FactorKind::Sms => to("SMS"),
        FactorKind::Call => to("Voice call"),
        FactorKind::Email => to("Email"),
        FactorKind::Question => "Security question".into(),
        FactorKind::Token => match factor.provider.to_ascii_uppercase().as_str() {
            "RSA" => "RSA SecurID".into(),
            "SYMANTEC" => "Symantec VIP".into(),
            "YUBICO" => "YubiKey".into(),
            _ => vendor().unwrap_or_else(|| "Hardware token".into()),
        },
        FactorKind::Browser => browser_label(factor).unwrap_or_else(|| {
            vendor().unwrap_or_else(|| format!("{} ({})", factor.factor_type, factor.provider))
        }),
    }
}

/// The factors only a browser can do, by what Okta calls them.
fn browser_label(factor: &Factor) -> Option<String> {
    let vendor = factor
        .vendor_name
        .as_deref()
        .filter(|name| !name.is_empty());
    Some(
        match factor.factor_type.as_str() {
            "webauthn" => "Security key or biometric (WebAuthn)",
            "u2f" => "Security key (U2F)",
            "web" => "Duo Security",
            "signed_nonce" => "Okta FastPass",
            "password" => "Okta password",
            "push" => return Some(format!("{} push", vendor?)),
            "claims_provider" => vendor.unwrap_or("Identity provider"),
            t if t.starts_with("assertion:") => vendor.unwrap_or("Third-party factor"),
            _ => return None,
        }
        .to_owned(),
    )
}

/// Where Okta sends this factor's codes, masked as Okta shows it.
pub(crate) fn sent_to(factor: &Factor) -> Option<String> {
    let profile = factor.profile.as_ref()?;
    profile
        .phone_number
        .clone()
        .or_else(|| profile.email.clone())
        .filter(|destination| !destination.is_empty())
}

/// Whether OktaDesk can set this factor up itself (the others need the browser).
pub(crate) fn can_enroll(kind: FactorKind, factor: &Factor) -> bool {
    match kind {
        FactorKind::Push
        | FactorKind::Totp
        | FactorKind::Google
        | FactorKind::Sms
        | FactorKind::Call
        | FactorKind::Email
        | FactorKind::Question => true,
        // A token is enrolled with the code it shows: an RSA SecurID token (known by a
        // credential id) or a YubiKey. Symantec VIP wants two consecutive codes and a custom
        // HOTP token its profile: Okta's own sign-in page knows them.
        FactorKind::Token => matches!(
            (
                factor.factor_type.as_str(),
                factor.provider.to_ascii_uppercase().as_str()
            ),
            ("token", "RSA") | ("token:hardware", "YUBICO")
        ),
        FactorKind::Browser => false,
    }
}

/// What the code of a factor looks like. `key_length` is what a TOTP activation says.
pub(crate) fn code_rule(kind: FactorKind, key_length: Option<u32>) -> (CodeFormat, usize) {
    match kind {
        FactorKind::Call => (CodeFormat::Digits, CALL_CODE_DIGITS),
        FactorKind::Token => (CodeFormat::Text, 0),
        FactorKind::Totp | FactorKind::Google => (
            CodeFormat::Digits,
            key_length
                .and_then(|digits| usize::try_from(digits).ok())
                .filter(|digits| (4..=10).contains(digits))
                .unwrap_or(CODE_DIGITS),
        ),
        _ => (CodeFormat::Digits, CODE_DIGITS),
    }
}

/// "the current six-digit code from Okta Verify": what to type, for prompts and refusals.
pub(crate) fn code_source(choice: &FactorChoice, format: CodeFormat, digits: usize) -> String {
    let code = match format {
        CodeFormat::Digits => format!("{}-digit code", number_word(digits)),
        CodeFormat::Text => "code".to_owned(),
    };
    let to = choice
        .sent_to
        .as_deref()
        .map(|destination| format!(" to {destination}"))
        .unwrap_or_default();
    match choice.kind {
        FactorKind::Totp => format!("the current {code} from Okta Verify"),
        FactorKind::Google => format!("the current {code} from your authenticator app"),
        FactorKind::Sms => format!("the {code} from the latest text message{to}"),
        FactorKind::Call => format!("the {code} read out in the latest call{to}"),
        FactorKind::Email => format!("the {code} from the latest email{to}"),
        _ => format!(
            "the {code} your {} shows now (after your PIN, if it has one)",
            choice.label
        ),
    }
}

fn number_word(digits: usize) -> String {
    match digits {
        4 => "four".into(),
        5 => "five".into(),
        6 => "six".into(),
        7 => "seven".into(),
        8 => "eight".into(),
        other => other.to_string(),
    }
}

/// Why a code for `choice` was refused, in words for that factor. A code that was already
/// used, or is outside its time window, keeps its own message.
pub(crate) fn code_refusal(
    error: &Error,
    choice: &FactorChoice,
    format: CodeFormat,
    digits: usize,
) -> ErrorInfo {
    if !matches!(error, Error::InvalidCode) {
        return error.info();
    }
    let again = if choice.kind.is_sent() {
        ", or ask for a new one"
    } else {
        ""
    };
    ErrorInfo {
        kind: error.kind(),
        message: format!(
            "That code is not right. Type {}{again}.",
            code_source(choice, format, digits)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn factor(json: &str) -> Factor {
        serde_json::from_str(json).unwrap()
    }

    fn choice(json: &str) -> FactorChoice {
        let factor = factor(json);
        let kind = FactorKind::of(&factor.factor_type, &factor.provider);
        FactorChoice {
            key: "k".into(),
            kind,
            provider: factor.provider.clone(),
            label: label(&factor, kind),
            device_name: None,
            sent_to: sent_to(&factor),
            required: false,
            needs_browser: false,
        }
    }

    #[test]
    fn factors_are_named_with_where_their_codes_go() {
        for (json, expected) in [
            (
                r#"{"factorType":"push","provider":"OKTA"}"#,
                "Okta Verify push",
            ),
            (
                r#"{"factorType":"token:software:totp","provider":"GOOGLE"}"#,
                "Google Authenticator",
            ),
            (
                r#"{"factorType":"sms","provider":"OKTA","profile":{"phoneNumber":"+1 XXX-XXX-1337"}}"#,
                "SMS to +1 XXX-XXX-1337",
            ),
            (r#"{"factorType":"call","provider":"OKTA"}"#, "Voice call"),
            (
                r#"{"factorType":"email","provider":"OKTA","profile":{"email":"d...y@example.com"}}"#,
                "Email to d...y@example.com",
            ),
            (r#"{"factorType":"token","provider":"RSA"}"#, "RSA SecurID"),
            (
                r#"{"factorType":"token:hardware","provider":"YUBICO"}"#,
                "YubiKey",
            ),
            (
                r#"{"factorType":"token:hotp","provider":"CUSTOM","vendorName":"Acme Token"}"#,
                "Acme Token",
            ),
            (
                r#"{"factorType":"webauthn","provider":"FIDO"}"#,
                "Security key or biometric (WebAuthn)",
            ),
            (r#"{"factorType":"web","provider":"DUO"}"#, "Duo Security"),
            (
                r#"{"factorType":"signed_nonce","provider":"OKTA"}"#,
                "Okta FastPass",
            ),
            (
                r#"{"factorType":"assertion:saml2","provider":"GENERIC_SAML","vendorName":"Third Party Factor"}"#,
                "Third Party Factor",
            ),
            (
                r#"{"factorType":"claims_provider","provider":"CUSTOM"}"#,
                "Identity provider",
            ),
            (
                r#"{"factorType":"future:thing","provider":"OKTA"}"#,
                "future:thing (OKTA)",
            ),
        ] {
            let factor = factor(json);
            let kind = FactorKind::of(&factor.factor_type, &factor.provider);
            assert_eq!(label(&factor, kind), expected, "{json}");
        }
    }

    #[test]
    fn codes_have_the_length_of_their_factor() {
        assert_eq!(code_rule(FactorKind::Call, None), (CodeFormat::Digits, 5));
        assert_eq!(code_rule(FactorKind::Sms, None), (CodeFormat::Digits, 6));
        assert_eq!(
            code_rule(FactorKind::Google, Some(8)),
            (CodeFormat::Digits, 8)
        );
        assert_eq!(
            code_rule(FactorKind::Totp, Some(0)),
            (CodeFormat::Digits, 6)
        );
        assert_eq!(code_rule(FactorKind::Token, None), (CodeFormat::Text, 0));
    }

    #[test]
    fn a_refused_code_is_explained_for_its_factor() {
        let sms = choice(
            r#"{"factorType":"sms","provider":"OKTA","profile":{"phoneNumber":"+1 XXX-XXX-1337"}}"#,
        );
        let info = code_refusal(&Error::InvalidCode, &sms, CodeFormat::Digits, 6);
        assert_eq!(info.kind, ErrorKind::InvalidCode);
        assert_eq!(
            info.message,
            "That code is not right. Type the six-digit code from the latest text message to +1 XXX-XXX-1337, or ask for a new one."
        );
        let okta_verify = choice(r#"{"factorType":"token:software:totp","provider":"OKTA"}"#);
        assert_eq!(
            code_refusal(&Error::InvalidCode, &okta_verify, CodeFormat::Digits, 6).message,
            Error::InvalidCode.to_string(),
            "one wording for Okta Verify, whichever way the refusal came"
        );
        let token = choice(r#"{"factorType":"token","provider":"RSA"}"#);
        let message = code_refusal(&Error::InvalidCode, &token, CodeFormat::Text, 0).message;
        assert!(message.contains("RSA SecurID shows now"), "{message}");
        assert_eq!(
            code_refusal(&Error::CodeReused, &token, CodeFormat::Text, 0).kind,
            ErrorKind::CodeReused
        );
    }
}
