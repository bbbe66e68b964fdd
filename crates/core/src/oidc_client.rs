//! The OIDC app an Identity Engine sign-in goes through: Okta's Interaction Code flow is an
//! OAuth flow, so it needs a client ID (an app an admin created in the org) and the
//! authorization server that app's tokens come from. Neither is a secret: a native app has no
//! client secret, and PKCE stands in for one.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The redirect URI OktaDesk names in `interact`. IDX never redirects there (the interaction
/// code comes back in the answer), but Okta checks it against the app's sign-in redirect
/// URIs: an admin registers exactly this value on the OktaDesk app.
pub const IDX_REDIRECT_URI: &str = "com.oktadesk.app:/callback";

/// The authorization server an org has out of the box, and the one an admin usually means.
pub const DEFAULT_AUTHORIZATION_SERVER: &str = "default";

/// An org's OktaDesk app: what [`FlowOptions::oidc_client`](crate::FlowOptions) carries so a
/// sign-in to an Identity Engine org can go through IDX. Serialised as
/// `{"clientId":"0oa…","authorizationServer":"default"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcClient {
    /// The app's client ID (`0oa…`), from the app's General tab in the Okta admin console.
    pub client_id: String,
    /// The custom authorization server's ID (`default`, or `aus…`); empty for the org
    /// authorization server (`/oauth2/v1/...`).
    #[serde(default = "default_authorization_server")]
    pub authorization_server: String,
}

fn default_authorization_server() -> String {
    DEFAULT_AUTHORIZATION_SERVER.to_owned()
}

/// Client IDs and authorization server IDs Okta makes are a few dozen letters, digits, `-`
/// and `_`; a longer one is a paste gone wrong.
const MAX_ID_CHARS: usize = 100;

fn is_okta_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_ID_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl OidcClient {
    /// The app as typed: `client_id` trimmed, and `authorization_server` trimmed (empty for
    /// the org authorization server). Both go into URLs and requests, so anything but an ID
    /// Okta could have made is refused, saying where to find the right one.
    pub fn parse(client_id: &str, authorization_server: &str) -> Result<Self, Error> {
        let client_id = client_id.trim();
        if !is_okta_id(client_id) {
            return Err(Error::Config(
                "The client ID is not one Okta makes (letters and digits, like 0oa1b2c3d4EXAMPLE). Copy it from the OktaDesk app's General tab in the Okta admin console.".into(),
            ));
        }
        let authorization_server = authorization_server.trim();
        if !authorization_server.is_empty() && !is_okta_id(authorization_server) {
            return Err(Error::Config(
                "The authorization server is not an ID Okta makes: use \"default\", an ID like aus1b2c3d4EXAMPLE from Security > API, or leave it empty for the org authorization server.".into(),
            ));
        }
        Ok(Self {
            client_id: client_id.to_owned(),
            authorization_server: authorization_server.to_owned(),
        })
    }

    /// The app `client_id` on the `default` authorization server.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            authorization_server: default_authorization_server(),
        }
    }

    /// The authorization server's issuer (`iss` of the tokens it signs), for the org at
    /// `origin` (`https://acme.okta.com`): `{origin}/oauth2/default`, or `{origin}` itself
    /// for the org authorization server.
    pub(crate) fn issuer(&self, origin: &str) -> String {
        let origin = origin.trim_end_matches('/');
        let server = self.authorization_server.trim().trim_matches('/');
        if server.is_empty() {
            origin.to_owned()
        } else {
            format!("{origin}/oauth2/{server}")
        }
    }

    /// The path of one of the authorization server's endpoints (`interact`, `token`):
    /// `/oauth2/default/v1/interact`, or `/oauth2/v1/interact` for the org server.
    pub(crate) fn endpoint_path(&self, endpoint: &str) -> String {
        let server = self.authorization_server.trim().trim_matches('/');
        if server.is_empty() {
            format!("/oauth2/v1/{endpoint}")
        } else {
            format!("/oauth2/{server}/v1/{endpoint}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_okta_could_have_made_are_taken() {
        let client = OidcClient::parse(" 0oa1demoOktaDesk0g47 ", " default ").unwrap();
        assert_eq!(client, OidcClient::new("0oa1demoOktaDesk0g47"));
        let org_server = OidcClient::parse("0oa1", "").unwrap();
        assert_eq!(org_server.endpoint_path("interact"), "/oauth2/v1/interact");
        for (id, server) in [
            ("", "default"),
            ("0oa 1", "default"),
            ("0oa1/../x", "default"),
            (&"x".repeat(MAX_ID_CHARS + 1), "default"),
            ("0oa1", "../../api"),
            ("0oa1", "aus1?x=1"),
        ] {
            let refused = OidcClient::parse(id, server).unwrap_err();
            assert_eq!(
                refused.kind(),
                crate::ErrorKind::Config,
                "{id:?} {server:?}"
            );
        }
    }

    #[test]
    fn reads_from_camel_case_json_with_the_default_server() {
        let client: OidcClient = serde_json::from_str(r#"{"clientId":"0oa1"}"#).unwrap();
        assert_eq!(client, OidcClient::new("0oa1"));
        assert_eq!(
            serde_json::to_string(&client).unwrap(),
            r#"{"clientId":"0oa1","authorizationServer":"default"}"#
        );
        assert_eq!(
            client.endpoint_path("interact"),
            "/oauth2/default/v1/interact"
        );
        let org_server = OidcClient {
            authorization_server: String::new(),
            ..client
        };
        assert_eq!(org_server.endpoint_path("token"), "/oauth2/v1/token");
    }
}
