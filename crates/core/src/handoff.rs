//! What a successful sign-in hands over: the user, and a one-time session token for the
//! browser when the protocol gives one (Classic does; an Identity Engine sign-in through IDX
//! ends with OAuth tokens for OktaDesk itself, which are dropped, and no browser session).

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

/// What a successful sign-in hands over: the org and, when there is one, the session token
/// that becomes a browser session.
///
/// The token is single use and short lived (about five minutes). It is never serialised: the
/// UI gets `{org, expiresAt}` only (plus `"browserSession": false` when there is no session
/// to hand over), and the browser URL is built on the Rust side.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionHandoff {
    org: OrgUrl,
    /// Empty when `browser_session` is false.
    token: Secret,
    expires_at: Option<OffsetDateTime>,
    browser_session: bool,
}

impl SessionHandoff {
    pub(crate) fn new(org: OrgUrl, token: Secret, expires_at: Option<OffsetDateTime>) -> Self {
        Self {
            org,
            token,
            expires_at,
            browser_session: true,
        }
    }

    /// A sign-in that proved who the person is but left no session a browser can take over
    /// (Identity Engine through IDX).
    pub(crate) fn without_browser_session(org: OrgUrl) -> Self {
        Self {
            org,
            token: Secret::default(),
            expires_at: None,
            browser_session: false,
        }
    }

    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    /// The one-time session token; empty when there is no browser session (see
    /// [`browser_session`](Self::browser_session), which says so without guessing).
    pub fn session_token(&self) -> &Secret {
        &self.token
    }

    /// The one-time session token the browser can take over, or `None` when the sign-in left
    /// none (Identity Engine through IDX).
    pub fn browser_session(&self) -> Option<&Secret> {
        self.browser_session.then_some(&self.token)
    }

    /// Whether [`browser_url`](Self::browser_url) can open the org signed in.
    pub fn has_browser_session(&self) -> bool {
        self.browser_session
    }

    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// `https://{org}/login/sessionCookieRedirect?token=...&redirectUrl=...`: opening it in the
    /// browser sets Okta's session cookie and lands on `redirect` (the org's dashboard,
    /// `/app/UserHome`, when `None`). The URL holds the token, so it comes back as a
    /// [`Secret`]. Okta only redirects to trusted origins; this refuses any but the org's own.
    ///
    /// Without a browser session it fails with [`Error::NoBrowserSession`], which says to
    /// sign in through the browser.
    pub fn browser_url(&self, redirect: Option<&Url>) -> Result<Secret> {
        if !self.browser_session {
            return Err(Error::NoBrowserSession);
        }
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
            .field("browser_session", &self.browser_session)
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
            /// Only `false` is written, so a Classic hand-off reads as it always has.
            #[serde(skip_serializing_if = "is_true")]
            browser_session: bool,
        }
        Public {
            org: &self.org,
            expires_at: self.expires_at,
            browser_session: self.browser_session,
        }
        .serialize(serializer)
    }
}

fn is_true(value: &bool) -> bool {
    *value
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
        assert_eq!(
            handoff.browser_session(),
            Some(&Secret::new("20111SessionTok"))
        );
    }

    #[test]
    fn a_sign_in_without_a_browser_session_says_so_and_opens_nothing() {
        let handoff = SessionHandoff::without_browser_session(OrgUrl::parse("acme").unwrap());
        assert!(!handoff.has_browser_session());
        assert_eq!(handoff.browser_session(), None);
        assert_eq!(
            handoff.browser_url(None).unwrap_err().kind().as_str(),
            "no_browser_session"
        );
        assert_eq!(
            serde_json::to_string(&handoff).unwrap(),
            r#"{"org":"https://acme.okta.com","expiresAt":null,"browserSession":false}"#
        );
    }
}
