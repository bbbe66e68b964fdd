//! Which of Okta's two authentication engines an org runs: Classic Engine or Identity Engine.
//!
//! Okta names the engine in `GET /.well-known/okta-organization` as its `pipeline`: `v1` for
//! Classic Engine, `idx` for Identity Engine. Every org created since March 2022 runs Identity
//! Engine; there `/api/v1/authn` still answers, but only the global session policy applies to
//! it, so what a sign-in through it meets can differ from what the browser meets.

use std::fmt;

use serde::{Deserialize, Serialize};

const IDENTITY_ENGINE_NOTE: &str = "With the client ID of your org's OktaDesk app, OktaDesk signs in through Identity Engine itself (IDX), under the app's sign-on policy. Without one it signs in through Classic's /api/v1/authn, where only the org's global session policy applies, so what OktaDesk asks for can differ from what the browser asks for.";

/// What an admin sets up once so OktaDesk can sign in through IDX: every part Okta checks
/// (the org setting, the app, the authorization server's rule), in the admin console's words.
pub const IDX_APP_HELP: &str = "An Okta admin sets this up once: turn on Interaction Code under Settings > Account > Embedded widget sign-in support; create an app integration (OIDC, Native Application) with grant type Interaction Code only (leave Authorization Code and the others off: with Authorization Code on, another program of the same user could finish a browser sign-in with this app's client ID) and the sign-in redirect URI com.oktadesk.app:/callback, assigned to the people who use OktaDesk; and allow the Interaction Code grant in the access policy rule of its authorization server (Security > API, usually \"default\"). The client ID is on the app's General tab.";

/// The authentication engine of an org. Stored in account records as `classic` or
/// `identity_engine`: keep the names stable.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Okta Classic Engine (`pipeline: "v1"`): `/api/v1/authn` with the org's sign-on policies.
    Classic,
    /// Okta Identity Engine (`pipeline: "idx"`): the IDX API; `/api/v1/authn` answers with the
    /// global session policy only.
    IdentityEngine,
}

impl Engine {
    /// The engine a well-known `pipeline` value names; `None` for a value this version does
    /// not know.
    pub fn from_pipeline(pipeline: &str) -> Option<Self> {
        match pipeline {
            "v1" => Some(Self::Classic),
            "idx" => Some(Self::IdentityEngine),
            _ => None,
        }
    }

    /// The `pipeline` value Okta uses for this engine.
    pub fn pipeline(self) -> &'static str {
        match self {
            Self::Classic => "v1",
            Self::IdentityEngine => "idx",
        }
    }

    /// The stable machine name (`classic`, `identity_engine`), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::IdentityEngine => "identity_engine",
        }
    }

    /// What the engine means for a sign-in through OktaDesk, when it means anything: for the
    /// CLI's `signin` and `doctor` and the window's Add account alike. On Identity Engine it
    /// turns on the org's OktaDesk app ([`IDX_APP_HELP`] says how an admin makes one).
    pub const fn sign_in_note(self) -> Option<&'static str> {
        match self {
            Self::Classic => None,
            Self::IdentityEngine => Some(IDENTITY_ENGINE_NOTE),
        }
    }

    /// Okta's own name for the engine, for people.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Classic => "Okta Classic Engine",
            Self::IdentityEngine => "Okta Identity Engine",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8252 §8.6: with the Authorization Code grant on, any program that claims the
    /// redirect URI's scheme can finish an `/authorize` with OktaDesk's client ID.
    #[test]
    fn the_admin_help_asks_for_interaction_code_only() {
        assert!(IDX_APP_HELP.contains("Interaction Code only"));
        assert!(IDX_APP_HELP.contains("leave Authorization Code and the others off"));
        assert!(IDX_APP_HELP.contains(crate::IDX_REDIRECT_URI));
    }

    #[test]
    fn pipelines_name_the_engines_and_unknown_ones_name_none() {
        assert_eq!(Engine::from_pipeline("v1"), Some(Engine::Classic));
        assert_eq!(Engine::from_pipeline("idx"), Some(Engine::IdentityEngine));
        assert_eq!(Engine::from_pipeline("IDX"), None);
        assert_eq!(Engine::from_pipeline("v2"), None);
        for engine in [Engine::Classic, Engine::IdentityEngine] {
            assert_eq!(Engine::from_pipeline(engine.pipeline()), Some(engine));
            let json = serde_json::to_string(&engine).unwrap();
            assert_eq!(json, format!("\"{}\"", engine.as_str()));
            assert_eq!(serde_json::from_str::<Engine>(&json).unwrap(), engine);
        }
    }
}
