//! The data the UI and the commands exchange (beyond the core's stages).

use oktadesk_accounts::{Account, AccountList, CorruptedEntry};
use oktadesk_core::{Engine, OidcClient, OrgUrl, Stage, TranscriptEntry};
use serde::Serialize;
use time::OffsetDateTime;

/// What the first screen needs to know about this copy of the app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// Present only when the app was started with `--demo` or `--demo-org-url`.
    pub demo: Option<DemoStatus>,
    /// The desktop's UI font family, for the page to name instead of `system-ui` (Linux).
    pub ui_font: Option<String>,
}

/// Whether the demo org asked for on the command line is serving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
// One value, made once at start-up: boxing `Running` would only complicate its matches.
#[allow(clippy::large_enum_variant)]
pub enum DemoStatus {
    #[serde(rename_all = "camelCase")]
    Running {
        org_url: OrgUrl,
        /// A second demo org, running Identity Engine (`--demo` starts both).
        identity_engine_org_url: Option<OrgUrl>,
        /// The demo org's one password, public by design: the demo has nothing to protect.
        password: &'static str,
        /// The client ID of the demo org's OktaDesk app, which Add account fills in when the
        /// demo org runs Identity Engine.
        client_id: &'static str,
        users: Vec<DemoUser>,
    },
    Unavailable {
        message: String,
    },
}

/// A seeded demo user, so the form can suggest who to sign in as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    pub login: &'static str,
    pub display_name: &'static str,
    pub demonstrates: &'static str,
}

/// `{kind, message}` for a problem the UI shows calmly (a banner) instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: String,
    pub message: String,
}

impl From<&crate::Error> for Problem {
    fn from(error: &crate::Error) -> Self {
        Self {
            kind: error.kind().to_owned(),
            message: error.to_string(),
        }
    }
}

/// A remembered account as the account list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub org_url: String,
    pub username: String,
    pub label: String,
    pub auto_push: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_success: Option<OffsetDateTime>,
    /// The engine the org was found to run, and its OktaDesk app for Identity Engine
    /// sign-ins (neither is a secret).
    pub engine: Option<Engine>,
    pub oidc_client: Option<OidcClient>,
}

impl From<&Account> for AccountView {
    fn from(account: &Account) -> Self {
        Self {
            id: account.id().to_string(),
            org_url: account.org().to_string(),
            username: account.username().to_string(),
            label: account.label.clone(),
            auto_push: account.auto_push,
            last_success: account.last_success,
            engine: account.engine,
            oidc_client: account.oidc_client.clone(),
        }
    }
}

/// The account list, which never fails: without a keychain it is empty and says why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountsView {
    pub accounts: Vec<AccountView>,
    /// Keychain items that could not be read: shown, never dropped or overwritten.
    pub unreadable: Vec<CorruptedEntry>,
    pub problem: Option<Problem>,
}

impl From<AccountList> for AccountsView {
    fn from(list: AccountList) -> Self {
        Self {
            accounts: list.accounts.iter().map(AccountView::from).collect(),
            unreadable: list.unreadable,
            problem: None,
        }
    }
}

/// A keychain that could not be listed becomes an empty list and the reason.
impl From<crate::error::Result<AccountList>> for AccountsView {
    fn from(listed: crate::error::Result<AccountList>) -> Self {
        match listed {
            Ok(list) => Self::from(list),
            Err(error) => Self {
                problem: Some(Problem::from(&error)),
                ..Self::default()
            },
        }
    }
}

/// What the window hears about one sign-in, in order, on the `Channel` it passed to
/// `start_sign_in`: each stage (`{"event":"stage","stage":"pushSent",...}`), then, after
/// success when the person asked to be remembered, what came of that
/// (`{"event":"remembered","account":...,"problem":null}`). The channel is the sign-in's
/// own, so nothing here needs to say which sign-in it belongs to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum SignInEvent {
    Stage(Stage),
    Remembered {
        account: Option<AccountView>,
        problem: Option<Problem>,
    },
    /// After a failure that can come from an org moved to another engine, the org was asked
    /// again and runs another engine than the account knew: what it runs now, and what that
    /// means (`{"event":"engineChanged","engine":"identity_engine","message":...}`).
    #[serde(rename_all = "camelCase")]
    EngineChanged {
        engine: oktadesk_core::Engine,
        message: String,
    },
}

/// What `start_sign_in` answers: the id the sign-in's commands name it by.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInStarted {
    pub flow_id: u64,
}

/// The step-by-step record of the current (or last) sign-in, for the Details screen.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptView {
    pub org_url: String,
    pub username: String,
    pub entries: Vec<TranscriptEntry>,
    /// The same as readable text, one line per step, ready for the clipboard.
    pub text: String,
}

/// What Add account says about an org's engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineView {
    /// `classic` or `identity_engine`; `None` when the org did not say.
    pub engine: Option<oktadesk_core::Engine>,
    /// "Okta Classic Engine", "Okta Identity Engine", or why it could not be told.
    pub summary: String,
    /// What the engine means for signing in with OktaDesk, when it means anything.
    pub note: Option<&'static str>,
    /// For Identity Engine: what an admin sets up so OktaDesk can sign in through IDX, and
    /// the redirect URI that app registers.
    pub app_help: Option<&'static str>,
    pub redirect_uri: Option<&'static str>,
}

impl From<&oktadesk_core::EngineReport> for EngineView {
    fn from(report: &oktadesk_core::EngineReport) -> Self {
        match report.engine {
            Some(engine) => Self {
                engine: Some(engine),
                summary: engine.display_name().to_owned(),
                note: engine.sign_in_note(),
                app_help: (engine == Engine::IdentityEngine).then_some(oktadesk_core::IDX_APP_HELP),
                redirect_uri: (engine == Engine::IdentityEngine)
                    .then_some(oktadesk_core::IDX_REDIRECT_URI),
            },
            None => Self {
                engine: None,
                summary: report.unknown_reason.clone().unwrap_or_else(|| {
                    "The organization did not say which Okta engine it runs.".to_owned()
                }),
                note: None,
                app_help: None,
                redirect_uri: None,
            },
        }
    }
}
