//! What OktaDesk remembers about an account: who and where, plus preferences. Never secrets.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use oktadesk_core::{DeviceToken, Engine, FactorKind, FlowOptions, OidcClient, OrgUrl, Username};

use crate::error::{AccountsError, Result};

/// Longest label accepted from the user; keeps the account list readable.
pub const MAX_LABEL_CHARS: usize = 100;

/// Identifies a remembered account; derived from the org URL and the username so that
/// signing in again as the same person updates the same keychain item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(String);

impl AccountId {
    /// The id of `username` at `org_url`.
    ///
    /// `username at org_url`: readable in a keychain viewer, and unambiguous because a
    /// normalised org URL has no spaces, so the last " at " always separates the two.
    pub fn for_account(org_url: &str, username: &str) -> Self {
        Self(format!("{username} at {org_url}"))
    }

    /// Wraps an id received from the UI or the CLI.
    pub fn from_string(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for AccountId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for AccountId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A remembered account.
///
/// It holds no password, session token or TOTP secret, and has no field that could: the
/// type is the guarantee that none reaches the keychain. The one thing it keeps that is not
/// for showing is Okta's device cookie ([`DeviceToken`]): it names this computer to the org
/// (so a device the person had remembered skips MFA), lives only in the keychain item, and is
/// never serialised to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    id: AccountId,
    #[serde(rename = "org_url")]
    org: OrgUrl,
    username: Username,
    /// What the account list shows; the username unless the user renamed it.
    pub label: String,
    /// The factor to use without asking when the org offers it.
    pub preferred_factor: Option<FactorKind>,
    /// Send the push as soon as the password is accepted.
    pub auto_push: bool,
    /// When a sign-in last succeeded.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_success: Option<OffsetDateTime>,
    /// The engine the org was last found to run (`OktaClient::detect_engine`); `None` until
    /// it has been checked, or when the org did not say.
    pub engine: Option<Engine>,
    /// The org's OktaDesk app (client ID and authorization server), through which sign-ins
    /// to an Identity Engine org go by IDX. Not a secret: a native app has none.
    pub oidc_client: Option<OidcClient>,
    /// Okta's `DT` cookie from the last sign-in from this computer.
    #[serde(skip)]
    device_token: Option<DeviceToken>,
}

impl Account {
    /// A new account for `username` at `org`, labelled with the username.
    pub fn of(org: OrgUrl, username: Username) -> Self {
        Self {
            id: AccountId::for_account(&org.to_string(), username.as_str()),
            label: username.to_string(),
            org,
            username,
            preferred_factor: None,
            auto_push: false,
            last_success: None,
            engine: None,
            oidc_client: None,
            device_token: None,
        }
    }

    /// A new account from an org URL and a username as typed or stored, checked with the
    /// same rules as a sign-in (the core's [`OrgUrl`] and [`Username`]).
    pub fn new(org_url: &str, username: &str) -> Result<Self> {
        let org = OrgUrl::parse(org_url).map_err(|error| AccountsError::InvalidAccount {
            reason: error.to_string(),
        })?;
        let username =
            Username::parse(username).map_err(|error| AccountsError::InvalidAccount {
                reason: error.to_string(),
            })?;
        Ok(Self::of(org, username))
    }

    /// How a sign-in to this account goes, by the account's own choices. Auto-push means the
    /// push is the factor to use. The window and the CLI go through `oktadesk-signin-setup`,
    /// which starts from this and decides the engine and the OIDC client for the sign-in.
    pub fn flow_options(&self) -> FlowOptions {
        FlowOptions {
            preferred_factor: self
                .preferred_factor
                .or(self.auto_push.then_some(FactorKind::Push)),
            auto_push: self.auto_push,
            engine: self.engine,
            oidc_client: self.oidc_client.clone(),
            ..FlowOptions::default()
        }
    }

    pub fn id(&self) -> &AccountId {
        &self.id
    }

    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    pub fn username(&self) -> &Username {
        &self.username
    }

    /// Okta's device cookie from the last sign-in from this computer, to present at the next
    /// one (`SignIn::start_on_device`).
    pub fn device_token(&self) -> Option<&DeviceToken> {
        self.device_token.as_ref()
    }

    /// Keeps the device cookie a sign-in left (`FlowHandle::device_token`).
    pub fn set_device_token(&mut self, device_token: Option<DeviceToken>) {
        self.device_token = device_token;
    }

    /// Sets the label after checking it: trimmed, not empty, at most [`MAX_LABEL_CHARS`].
    pub fn set_label(&mut self, label: &str) -> Result<()> {
        self.label = validate_label(label)?;
        Ok(())
    }
}

pub(crate) fn validate_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(AccountsError::InvalidAccount {
            reason: "the label is empty".to_owned(),
        });
    }
    if label.chars().count() > MAX_LABEL_CHARS || label.contains(char::is_control) {
        return Err(AccountsError::InvalidAccount {
            reason: format!("the label must be at most {MAX_LABEL_CHARS} characters on one line"),
        });
    }
    Ok(label.to_owned())
}

/// The stored form of an account: versioned JSON, so a future OktaDesk can change it and an
/// older one recognises what it cannot read instead of overwriting it.
pub(crate) const RECORD_FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    id: AccountId,
    org_url: String,
    username: String,
    label: String,
    // A factor this version does not know is dropped rather than making the account unreadable.
    #[serde(default, deserialize_with = "lenient_factor")]
    preferred_factor: Option<FactorKind>,
    #[serde(default)]
    auto_push: bool,
    #[serde(default, with = "time::serde::rfc3339::option")]
    last_success: Option<OffsetDateTime>,
    // Absent from records written before engines were detected; an engine this version does
    // not know reads as "not checked", so the account stays readable.
    #[serde(default, deserialize_with = "lenient_engine")]
    engine: Option<Engine>,
    // Absent from older records and from Classic accounts; one that is not an ID Okta could
    // have made reads as none, so the account stays readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oidc_client: Option<OidcClient>,
    // Okta's device cookie (see `Account::device_token`); absent from older records, and a
    // value that could not be a cookie is dropped rather than sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_cookie: Option<zeroize::Zeroizing<String>>,
}

fn lenient_engine<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Engine>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.and_then(|value| serde_json::from_value(value).ok()))
}

fn lenient_factor<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<FactorKind>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.and_then(|value| match value.as_str() {
        // The names OktaDesk 0.1 wrote before the account used the core's factor kinds.
        Some("okta_verify_push") => Some(FactorKind::Push),
        Some("okta_verify_code") => Some(FactorKind::Totp),
        _ => serde_json::from_value(value).ok(),
    }))
}

pub(crate) fn encode(account: &Account) -> Vec<u8> {
    let record = Record {
        format: RECORD_FORMAT,
        id: account.id.clone(),
        org_url: account.org.to_string(),
        username: account.username.to_string(),
        label: account.label.clone(),
        preferred_factor: account.preferred_factor,
        auto_push: account.auto_push,
        last_success: account.last_success,
        engine: account.engine,
        oidc_client: account.oidc_client.clone(),
        device_cookie: account
            .device_token
            .as_ref()
            .map(|token| zeroize::Zeroizing::new(token.expose().to_owned())),
    };
    serde_json::to_vec(&record).expect("an account always serialises to JSON")
}

/// Decodes the item stored under `stored_id`; the error says why it is unreadable.
pub(crate) fn decode(stored_id: &str, bytes: &[u8]) -> std::result::Result<Account, String> {
    #[derive(Deserialize)]
    struct FormatOnly {
        format: u32,
    }
    let format = serde_json::from_slice::<FormatOnly>(bytes)
        .map_err(|_| "it is not an OktaDesk account record".to_owned())?
        .format;
    if format != RECORD_FORMAT {
        return Err(format!(
            "it was written in format {format} by a newer OktaDesk; update OktaDesk to read it"
        ));
    }
    let record: Record = serde_json::from_slice(bytes)
        .map_err(|error| format!("its account record is damaged ({error})"))?;
    let account = Account::new(&record.org_url, &record.username)
        .map_err(|_| "its org URL or username is empty or invalid".to_owned())?;
    if record.id.as_str() != stored_id || account.id != record.id {
        return Err(format!(
            "it describes {} but is stored as {stored_id}",
            record.id
        ));
    }
    let label = validate_label(&record.label).unwrap_or_else(|_| account.username.to_string());
    Ok(Account {
        label,
        preferred_factor: record.preferred_factor,
        auto_push: record.auto_push,
        last_success: record.last_success,
        engine: record.engine,
        oidc_client: record
            .oidc_client
            .and_then(|app| OidcClient::parse(&app.client_id, &app.authorization_server).ok()),
        device_token: record
            .device_cookie
            .as_deref()
            .and_then(|value| DeviceToken::parse(value)),
        ..account
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Account {
        let mut account = Account::new("https://acme.okta.com", "jane@acme.com").unwrap();
        account.preferred_factor = Some(FactorKind::Push);
        account.auto_push = true;
        account.last_success = Some(time::macros::datetime!(2026-11-28 09:00 UTC));
        account.engine = Some(Engine::IdentityEngine);
        account.oidc_client = Some(OidcClient::new("0oa1demoOktaDesk0g47"));
        account
    }

    #[test]
    fn round_trips_through_the_stored_form() {
        let account = sample();
        let bytes = encode(&account);
        assert_eq!(decode(account.id().as_str(), &bytes).unwrap(), account);
    }

    #[test]
    fn stored_form_names_org_and_user_and_nothing_secret() {
        let text = String::from_utf8(encode(&sample())).unwrap();
        assert!(
            text.contains("\"org_url\":\"https://acme.okta.com\""),
            "{text}"
        );
        assert!(text.contains("\"username\":\"jane@acme.com\""), "{text}");
        for secret_word in ["password", "token", "secret"] {
            assert!(!text.to_lowercase().contains(secret_word), "{text}");
        }
    }

    #[test]
    fn the_device_cookie_is_kept_in_the_record_and_never_shown() {
        let mut account = sample();
        account.set_device_token(DeviceToken::parse("dEv1ceCookie"));
        let bytes = encode(&account);
        assert!(String::from_utf8_lossy(&bytes).contains("\"device_cookie\":\"dEv1ceCookie\""));
        let decoded = decode(account.id().as_str(), &bytes).unwrap();
        assert_eq!(decoded.device_token().unwrap().expose(), "dEv1ceCookie");
        let shown = format!("{} {decoded:?}", serde_json::to_string(&decoded).unwrap());
        assert!(!shown.contains("dEv1ceCookie"), "{shown}");

        let damaged = String::from_utf8(bytes)
            .unwrap()
            .replace("dEv1ceCookie", "bad; value");
        let decoded = decode(account.id().as_str(), damaged.as_bytes()).unwrap();
        assert_eq!(decoded.device_token(), None, "a damaged cookie is dropped");
    }

    #[test]
    fn ids_differ_per_org_and_user() {
        let a = AccountId::for_account("https://a.okta.com", "jane");
        let b = AccountId::for_account("https://b.okta.com", "jane");
        let c = AccountId::for_account("https://a.okta.com", "joe");
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "jane at https://a.okta.com");
    }

    #[test]
    fn rejects_empty_or_malformed_fields() {
        assert!(Account::new("", "jane").is_err());
        assert!(Account::new("https://a b", "jane").is_err());
        assert!(Account::new("https://a.okta.com", "  ").is_err());
        let mut account = sample();
        assert!(account.set_label("   ").is_err());
        assert!(account.set_label(&"x".repeat(MAX_LABEL_CHARS + 1)).is_err());
        account.set_label("  Work  ").unwrap();
        assert_eq!(account.label, "Work");
    }

    #[test]
    fn unreadable_records_say_why() {
        assert!(
            decode("x", b"garbage")
                .unwrap_err()
                .contains("not an OktaDesk")
        );
        let newer = br#"{"format": 9}"#;
        assert!(decode("x", newer).unwrap_err().contains("newer OktaDesk"));
        let account = sample();
        let moved = decode("someone else", &encode(&account)).unwrap_err();
        assert!(moved.contains("stored as someone else"), "{moved}");
        let damaged = br#"{"format": 1, "id": "x"}"#;
        assert!(decode("x", damaged).unwrap_err().contains("damaged"));
    }

    #[test]
    fn unknown_factor_is_dropped_not_fatal() {
        let account = sample();
        let text = String::from_utf8(encode(&account)).unwrap().replace(
            r#""preferred_factor":"push""#,
            r#""preferred_factor":"webauthn""#,
        );
        let decoded = decode(account.id().as_str(), text.as_bytes()).unwrap();
        assert_eq!(decoded.preferred_factor, None);
        assert!(decoded.auto_push);
    }

    #[test]
    fn records_without_an_engine_or_with_an_unknown_one_still_read() {
        let account = sample();
        let encoded = String::from_utf8(encode(&account)).unwrap();
        assert!(
            encoded.contains(r#""engine":"identity_engine""#),
            "{encoded}"
        );
        let older = encoded.replace(r#","engine":"identity_engine""#, "");
        assert!(!older.contains("engine"), "{older}");
        let decoded = decode(account.id().as_str(), older.as_bytes()).unwrap();
        assert_eq!(decoded.engine, None);
        assert_eq!(decoded.preferred_factor, account.preferred_factor);
        let newer = encoded.replace(r#""identity_engine""#, r#""quantum""#);
        assert_eq!(
            decode(account.id().as_str(), newer.as_bytes())
                .unwrap()
                .engine,
            None
        );
    }

    #[test]
    fn an_account_tells_its_sign_in_the_engine() {
        let mut account = Account::new("acme", "jane@acme.com").unwrap();
        assert_eq!(account.flow_options().engine, None);
        account.engine = Some(Engine::Classic);
        assert_eq!(account.flow_options().engine, Some(Engine::Classic));
    }

    #[test]
    fn factors_stored_under_their_old_names_are_read() {
        let account = sample();
        let encoded = String::from_utf8(encode(&account)).unwrap();
        for (old, kind) in [
            ("okta_verify_push", FactorKind::Push),
            ("okta_verify_code", FactorKind::Totp),
        ] {
            let text = encoded.replace(
                r#""preferred_factor":"push""#,
                &format!(r#""preferred_factor":"{old}""#),
            );
            let decoded = decode(account.id().as_str(), text.as_bytes()).unwrap();
            assert_eq!(decoded.preferred_factor, Some(kind), "{old}");
        }
    }

    #[test]
    fn an_account_signs_in_with_its_own_choices() {
        let mut account = Account::new("acme", "jane@acme.com").unwrap();
        assert_eq!(account.org().to_string(), "https://acme.okta.com");
        assert_eq!(account.flow_options(), FlowOptions::default());
        account.auto_push = true;
        let options = account.flow_options();
        assert!(options.auto_push);
        assert_eq!(options.preferred_factor, Some(FactorKind::Push));
        account.preferred_factor = Some(FactorKind::Totp);
        assert_eq!(
            account.flow_options().preferred_factor,
            Some(FactorKind::Totp)
        );
        let refused = Account::new("acme", "jane\u{7}").unwrap_err();
        assert!(refused.to_string().contains("username"), "{refused}");
    }
}
