//! What IDX's authenticators are called and what kind each is, by the same rules as Classic's
//! factors (`flow/naming.rs`): an authenticator and its method are read as the Classic factor
//! they are (`okta_verify` + `push` is `push`/OKTA), so "Okta Verify push", "SMS to +1 XXX…"
//! and the rest read the same whichever engine the org runs.

use super::wire::{Authenticator, Form, IdxResponse};
use crate::flow::factors::{self, Offered};
use crate::flow::naming;
use crate::stage::{FactorChoice, FactorKind, FactorPurpose};
use crate::wire::{Factor, FactorEmbedded, FactorLinks, FactorProfile};

/// One thing a person can pick in a `select-authenticator-*` form: an option of its
/// `authenticator` field, with the method when the option offers several.
#[derive(Debug, Clone)]
pub(crate) struct Pick {
    pub choice: FactorChoice,
    /// The option's place in the `authenticator` field.
    pub option: usize,
    /// The `methodType` to send, when the option lets one be picked.
    pub method: Option<String>,
    /// The option's `channel` field takes `qrcode` (Okta Verify enrollment).
    pub has_channel: bool,
    /// The password: the driver sends the one it holds, without asking.
    pub password: bool,
}

/// Every authenticator (and method) the select form offers, in Okta's order.
pub(crate) fn picks(form: &Form, doc: &IdxResponse, purpose: FactorPurpose) -> Vec<Pick> {
    let Some(field) = form.value.iter().find(|f| f.name == "authenticator") else {
        return Vec::new();
    };
    let mut picks = Vec::new();
    for (index, option) in field.options.iter().enumerate() {
        let Some(nested) = option.nested() else {
            continue;
        };
        let text = |name: &str| {
            nested
                .field(name)
                .and_then(|field| field.text())
                .map(|value| value.expose().to_owned())
        };
        let authenticator = option
            .relates_to
            .as_deref()
            .and_then(|path| doc.related(path))
            .cloned()
            .unwrap_or_default();
        let id = text("enrollmentId")
            .or_else(|| text("id"))
            .unwrap_or_default();
        let method_field = nested.field("methodType");
        let methods: Vec<Option<String>> = match method_field {
            Some(field) if field.text().is_some() => vec![text("methodType")],
            Some(field) if !field.options.is_empty() => field
                .option_values()
                .into_iter()
                .map(|value| Some(value.to_owned()))
                .collect(),
            _ => vec![authenticator.method().map(str::to_owned)],
        };
        let choosable = method_field.is_some_and(|field| field.text().is_none());
        for method in &methods {
            let factor = as_factor(&authenticator, method.as_deref(), &option.label);
            let key = match (&method, methods.len()) {
                (Some(method), 2..) => format!("{id}:{method}"),
                _ => id.clone(),
            };
            picks.push(Pick {
                choice: describe(&factor, key, purpose),
                option: index,
                method: method.clone().filter(|_| choosable),
                has_channel: nested.field("channel").is_some(),
                password: factor.factor_type == "password",
            });
        }
    }
    distinct_keys(&mut picks);
    picks
}

/// Two options can carry one id (two email addresses of one email authenticator, without an
/// `enrollmentId`): the second and later get `#2`, `#3`, so each pick key names one option.
fn distinct_keys(picks: &mut [Pick]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for pick in picks.iter_mut() {
        let count = seen.entry(pick.choice.key.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            pick.choice.key = format!("{}#{count}", pick.choice.key);
        }
    }
}

/// The picks as the shared factor rules take them.
pub(crate) fn offered(picks: &[Pick]) -> Vec<Offered> {
    picks
        .iter()
        .map(|pick| (pick.choice.clone(), placeholder(&pick.choice)))
        .collect()
}

/// The authenticator in play, described as a choice (for stages that name it).
pub(crate) fn current_choice(
    doc: &IdxResponse,
    method: Option<&str>,
    purpose: FactorPurpose,
) -> FactorChoice {
    let authenticator = doc.current().cloned().unwrap_or_default();
    let method = method.or(authenticator.method());
    let factor = as_factor(&authenticator, method, "");
    describe(
        &factor,
        authenticator.id.clone().unwrap_or_default(),
        purpose,
    )
}

fn describe(factor: &Factor, key: String, purpose: FactorPurpose) -> FactorChoice {
    let kind = FactorKind::of(&factor.factor_type, &factor.provider);
    let password = factor.factor_type == "password";
    FactorChoice {
        // An RSA SecurID or on-prem token is enrolled with its user name and the code it
        // shows (`credentials.clientData`, `credentials.passcode`), a YubiKey with its code;
        // Symantec VIP's two codes are the browser's. The password is the driver's to send,
        // never the person's to pick.
        needs_browser: password
            || match purpose {
                FactorPurpose::Enroll => {
                    !(naming::can_enroll(kind, factor) || factor.provider == ON_PREM)
                }
                FactorPurpose::Verify | FactorPurpose::Recover | FactorPurpose::Unlock => {
                    kind == FactorKind::Browser
                }
            },
        ..naming::choice(factor, kind, key)
    }
}

/// The Classic factor an IDX authenticator and method are: its type, provider and vendor.
fn as_factor(authenticator: &Authenticator, method: Option<&str>, label: &str) -> Factor {
    let display = authenticator
        .display_name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| Some(label.to_owned()).filter(|label| !label.trim().is_empty()));
    let key = match (authenticator.key(), authenticator.kind.as_deref()) {
        ("", Some("password")) => "okta_password",
        ("", Some("phone")) => "phone_number",
        ("", Some("email")) => "okta_email",
        ("", Some("security_question")) => "security_question",
        // Older answers name only the label ("Okta Phone") and the method.
        ("", _) => key_from(label, method),
        (key, _) => key,
    };
    let (factor_type, provider) = match (key, method) {
        ("okta_verify", Some("totp")) => ("token:software:totp", "OKTA"),
        ("okta_verify", Some("signed_nonce")) => ("signed_nonce", "OKTA"),
        ("okta_verify", _) => ("push", "OKTA"),
        ("phone_number", Some("voice")) => ("call", "OKTA"),
        ("phone_number", _) => ("sms", "OKTA"),
        ("okta_email", _) => ("email", "OKTA"),
        ("security_question", _) => ("question", "OKTA"),
        ("google_otp", _) => ("token:software:totp", "GOOGLE"),
        ("okta_password", _) => ("password", "OKTA"),
        ("webauthn", _) => ("webauthn", "FIDO"),
        ("duo", _) => ("web", "DUO"),
        ("rsa_token", _) => ("token", "RSA"),
        ("symantec_vip", _) => ("token", "SYMANTEC"),
        ("yubikey_token", _) => ("token:hardware", "YUBICO"),
        ("onprem_mfa", _) => ("token", ON_PREM),
        ("custom_otp", _) => ("token:hotp", "CUSTOM"),
        ("external_idp", _) => ("claims_provider", "CUSTOM"),
        ("custom_app", _) => ("push", "CUSTOM"),
        _ => ("idx:unknown", "OKTA"),
    };
    let profile = authenticator.profile.clone().unwrap_or_default();
    Factor {
        id: authenticator.id.clone(),
        factor_type: factor_type.to_owned(),
        provider: provider.to_owned(),
        vendor_name: display,
        status: None,
        enrollment: None,
        profile: Some(FactorProfile {
            name: profile.device_name,
            phone_number: profile.phone_number,
            email: profile.email,
            question_text: profile.question,
            ..FactorProfile::default()
        }),
        embedded: FactorEmbedded::default(),
        links: FactorLinks::default(),
    }
}

/// The provider an on-prem MFA token (`onprem_mfa`) is read as: a token like RSA SecurID,
/// enrolled the same way, named by the org's display name.
const ON_PREM: &str = "ON_PREM";

/// The key an option without an authenticator behind it stands for, by its label.
fn key_from(label: &str, method: Option<&str>) -> &'static str {
    let label = label.to_ascii_lowercase();
    match method {
        Some("sms" | "voice") => "phone_number",
        Some("email") => "okta_email",
        Some("password") => "okta_password",
        Some("webauthn") => "webauthn",
        Some("push" | "totp" | "signed_nonce") if label.contains("okta verify") => "okta_verify",
        _ if label.contains("okta verify") => "okta_verify",
        _ if label.contains("phone") => "phone_number",
        _ if label.contains("email") => "okta_email",
        _ if label.contains("security question") => "security_question",
        _ if label.contains("google authenticator") => "google_otp",
        _ if label.contains("password") => "okta_password",
        _ => "",
    }
}

/// The shared rules ([`crate::flow::factors`]) read choices only; the factor half of an
/// [`Offered`] is not looked at for IDX.
fn placeholder(choice: &FactorChoice) -> Factor {
    factors::bare_factor(
        Some(choice.key.clone()),
        String::new(),
        choice.provider.clone(),
    )
}
