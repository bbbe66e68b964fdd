//! What a successful sign-in hands over: a one-time session token and the user it belongs to.

use std::fmt;

use serde::{Serialize, Serializer};
use time::OffsetDateTime;
use url::Url;

use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::secret::Secret;
use crate::wire::User;

/// The signed-in user, as shown in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub id: String,
    pub login: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

impl UserInfo {
    pub(crate) fn from_wire(user: Option<&User>, fallback_login: &str) -> Self {
        match user {
            Some(user) => Self {
                id: user.id.clone(),
                login: if user.profile.login.is_empty() {
                    fallback_login.to_owned()
                } else {
                    user.profile.login.clone()
                },
                first_name: user.profile.first_name.clone(),
                last_name: user.profile.last_name.clone(),
            },
            None => Self {
                id: String::new(),
                login: fallback_login.to_owned(),
                first_name: None,
                last_name: None,
            },
        }
    }

    /// "Ada Lovelace", or the login when the profile has no name.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.login.clone()
        } else {
            name
        }
    }
}

/// The session token from a successful sign-in, ready to become a browser session.
///
/// The token is single use and short lived (about five minutes). It is never serialised: the
/// UI gets `{org, expiresAt}` only, and the browser URL is built on the Rust side.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionHandoff {
    org: OrgUrl,
    token: Secret,
    expires_at: Option<OffsetDateTime>,
}

impl SessionHandoff {
    pub(crate) fn new(org: OrgUrl, token: Secret, expires_at: Option<OffsetDateTime>) -> Self {
        Self {
            org,
            token,
            expires_at,
        }
    }

    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    pub fn session_token(&self) -> &Secret {
        &self.token
    }

    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// `https://{org}/login/sessionCookieRedirect?token=...&redirectUrl=...`: opening it in the
    /// browser sets Okta's session cookie and lands on `redirect` (the org's dashboard,
    /// `/app/UserHome`, when `None`). The URL holds the token, so it comes back as a
    /// [`Secret`]. Okta only redirects to trusted origins; this refuses any but the org's own.
    pub fn browser_url(&self, redirect: Option<&Url>) -> Result<Secret> {
        let redirect = match redirect {
            Some(url) if self.org.is_same_origin(url) => url.clone(),
            Some(url) => {
                return Err(Error::ForeignOrigin {
                    org: self.org.to_string(),
                    target: url.origin().ascii_serialization(),
                });
            }
            None => self.org.join("/app/UserHome"),
        };
        let mut url = self.org.join("/login/sessionCookieRedirect");
        url.query_pairs_mut()
            .append_pair("token", self.token.expose())
            .append_pair("redirectUrl", redirect.as_str());
        Ok(Secret::new(String::from(url)))
    }
}

impl fmt::Debug for SessionHandoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionHandoff")
            .field("org", &self.org)
            .field("token", &self.token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Serialize for SessionHandoff {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Public<'a> {
            org: &'a OrgUrl,
            #[serde(with = "time::serde::rfc3339::option")]
            expires_at: Option<OffsetDateTime>,
        }
        Public {
            org: &self.org,
            expires_at: self.expires_at,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handoff() -> SessionHandoff {
        SessionHandoff::new(
            OrgUrl::parse("acme").unwrap(),
            Secret::new("20111SessionTok"),
            None,
        )
    }

    #[test]
    fn never_shows_the_token() {
        let handoff = handoff();
        assert!(!format!("{handoff:?}").contains("SessionTok"));
        let json = serde_json::to_string(&handoff).unwrap();
        assert!(!json.contains("SessionTok"), "{json}");
        assert_eq!(json, r#"{"org":"https://acme.okta.com","expiresAt":null}"#);
    }

    #[test]
    fn browser_url_goes_to_the_dashboard_of_the_same_org_only() {
        let handoff = handoff();
        let url = handoff.browser_url(None).unwrap();
        assert_eq!(
            url.expose(),
            "https://acme.okta.com/login/sessionCookieRedirect?token=20111SessionTok&redirectUrl=https%3A%2F%2Facme.okta.com%2Fapp%2FUserHome"
        );
        assert_eq!(format!("{url:?}"), "[redacted]");
        let elsewhere = Url::parse("https://evil.example/").unwrap();
        assert_eq!(
            handoff
                .browser_url(Some(&elsewhere))
                .unwrap_err()
                .kind()
                .as_str(),
            "foreign_origin"
        );
    }
}
