//! The OAuth ends of the Interaction Code flow: `interact` (the one URL built by hand with
//! `introspect`), and the `successWithInteractionCode` form that trades the interaction code
//! and the PKCE verifier for tokens at `/v1/token`.
//!
//! A native app gets tokens, not a browser session (Okta's "Interaction Code grant type"
//! guide: the token endpoint answers with `access_token`, `id_token` and, with
//! `offline_access`, `refresh_token`). OktaDesk reads who signed in from the ID token and
//! drops every token at once: it keeps none beyond the sign-in.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Idx;
use super::pkce::{Pkce, random_token};
use super::wire::{Form, IdxResponse};
use crate::client::{ION_JSON, Retry};
use crate::flow::conversation::Step;
use crate::handoff::{SessionHandoff, UserInfo};
use crate::oidc_client::IDX_REDIRECT_URI;
use crate::secret::{Secret, serialize_exposed};
use crate::stage::Stage;

/// Who signed in (`openid`), with their name and login (`profile`, `email`).
const SCOPES: &str = "openid profile email";

#[derive(Deserialize)]
struct Interaction {
    interaction_handle: Secret,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Introspect<'a> {
    #[serde(serialize_with = "serialize_exposed")]
    interaction_handle: &'a Secret,
}

/// The token endpoint's answer. Every token is a [`Secret`], dropped (and zeroed) with it.
#[derive(Deserialize)]
struct Tokens {
    #[serde(default)]
    #[allow(dead_code)] // Received and dropped unread: OktaDesk keeps no token.
    access_token: Option<Secret>,
    #[serde(default)]
    id_token: Option<Secret>,
    #[serde(default)]
    #[allow(dead_code)] // Likewise.
    refresh_token: Option<Secret>,
}

/// The ID token's claims OktaDesk shows.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub(crate) struct IdTokenClaims {
    pub sub: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub preferred_username: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub given_name: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub family_name: Option<String>,
}

impl Idx {
    /// `POST /oauth2/{server}/v1/interact` with a fresh PKCE challenge, then
    /// `POST /idp/idx/introspect` with the interaction handle: the first IDX answer.
    pub(super) async fn start(&mut self) -> Step<IdxResponse> {
        let pkce = Pkce::generate()?;
        // Echoed back only on redirects, which IDX's direct answers never make; sent because
        // Okta requires it.
        let state = random_token(16)?;
        let url = self.api.org().join(&self.client.endpoint_path("interact"));
        let interaction: Interaction = self
            .api
            .post_form(
                &url,
                &[
                    ("client_id", self.client.client_id.as_str()),
                    ("scope", SCOPES),
                    ("redirect_uri", IDX_REDIRECT_URI),
                    ("code_challenge", pkce.challenge.as_str()),
                    ("code_challenge_method", "S256"),
                    ("state", state.expose()),
                ],
            )
            .await?;
        self.pkce = Some(pkce);
        let url = self.api.org().join("/idp/idx/introspect");
        let body = Introspect {
            interaction_handle: &interaction.interaction_handle,
        };
        // Introspecting changes nothing: a poll's retries are safe.
        let answer = self
            .api
            .post_ion::<_, IdxResponse>(&url, &body, ION_JSON, Retry::Idempotent)
            .await?;
        Ok(answer)
    }

    /// `successWithInteractionCode`: its `issue` form, with the PKCE verifier, POSTed
    /// form-encoded to the token endpoint; who signed in is read from the ID token.
    pub(super) async fn redeem(&mut self, issue: &Form, doc: &IdxResponse) -> Step<Stage> {
        let verifier = self
            .pkce
            .take()
            .ok_or_else(|| {
                self.api
                    .unexpected_step("a success before the sign-in started")
            })?
            .verifier;
        let url = self.api.resolve(&issue.href)?;
        let body = self.fill(
            issue,
            super::form::Inputs::new().text("code_verifier", verifier.clone()),
        )?;
        let mut pairs = body.into_pairs();
        // The verifier made at `interact` always goes, whether or not the form lists it (an
        // older success shape does not): without it the token endpoint answers
        // `invalid_grant`.
        if !pairs.iter().any(|(name, _)| name == "code_verifier") {
            pairs.push(("code_verifier".to_owned(), verifier));
        }
        let exposed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.expose()))
            .collect();
        let tokens: Tokens = self.api.post_form(&url, &exposed).await?;
        drop(exposed);
        drop(pairs);
        self.cancel = None;
        let fallback_login = doc
            .user
            .as_ref()
            .and_then(|user| user.value.identifier.clone())
            .unwrap_or_else(|| self.username.as_str().to_owned());
        // The ID token came straight from the org's token endpoint over TLS, in answer to
        // this sign-in's own code and verifier: its signature need not be checked to read
        // who signed in (OpenID Connect Core 1.0, section 3.1.3.7, point 6).
        let user = match tokens.id_token.as_ref().map(id_token_claims) {
            Some(Ok(claims)) => user_info(claims, &fallback_login),
            Some(Err(problem)) => {
                self.api
                    .note("id token", format!("{problem}; showing the username"));
                fallback_user(doc, fallback_login)
            }
            None => fallback_user(doc, fallback_login),
        };
        drop(tokens);
        self.api.note(
            "tokens",
            "received; dropped at once: OktaDesk keeps no token, and IDX gives no browser session"
                .into(),
        );
        Ok(Stage::Success {
            user,
            session: SessionHandoff::without_browser_session(self.api.org().clone()),
        })
    }
}

/// The claims of a JWT's payload (its second part, base64url).
pub(crate) fn id_token_claims(token: &Secret) -> Result<IdTokenClaims, &'static str> {
    let payload = token
        .expose()
        .split('.')
        .nth(1)
        .ok_or("an ID token that is not a JWT")?;
    let bytes = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| "an ID token whose claims are not base64url")?,
    );
    serde_json::from_slice(&bytes).map_err(|_| "an ID token without a subject")
}

fn user_info(claims: IdTokenClaims, fallback_login: &str) -> UserInfo {
    let (first_name, last_name) = match (claims.given_name, claims.family_name) {
        (None, None) => (claims.name, None),
        names => names,
    };
    UserInfo {
        id: claims.sub,
        login: claims
            .preferred_username
            .filter(|login| !login.is_empty())
            .unwrap_or_else(|| fallback_login.to_owned()),
        first_name,
        last_name,
    }
}

fn fallback_user(doc: &IdxResponse, login: String) -> UserInfo {
    UserInfo {
        id: doc
            .user
            .as_ref()
            .and_then(|user| user.value.id.clone())
            .unwrap_or_default(),
        login,
        first_name: None,
        last_name: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> Secret {
        let part = |text: &str| URL_SAFE_NO_PAD.encode(text);
        Secret::new(format!(
            "{}.{}.c2lnbmF0dXJl",
            part(r#"{"kid":"k1","alg":"RS256"}"#),
            part(claims)
        ))
    }

    #[test]
    fn who_signed_in_is_read_from_the_id_tokens_claims() {
        let token = jwt(
            r#"{"sub":"00u1abc","preferred_username":"ada@acme.com","name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","aud":"0oa1","iss":"https://acme.okta.com/oauth2/default"}"#,
        );
        let claims = id_token_claims(&token).unwrap();
        assert_eq!(claims.sub, "00u1abc");
        let user = user_info(claims, "fallback");
        assert_eq!(user.login, "ada@acme.com");
        assert_eq!(user.display_name(), "Ada Lovelace");
        // Only `name`: shown whole.
        let user = user_info(
            id_token_claims(&jwt(r#"{"sub":"00u2","name":"Grace Hopper"}"#)).unwrap(),
            "grace@acme.com",
        );
        assert_eq!(user.display_name(), "Grace Hopper");
        assert_eq!(user.login, "grace@acme.com");
    }

    #[test]
    fn a_malformed_id_token_is_refused_without_showing_it() {
        for token in ["not-a-jwt", "a.!!!.c", "a.e30.c"] {
            let problem = id_token_claims(&Secret::new(token)).unwrap_err();
            assert!(!problem.contains(token), "{problem}");
        }
    }
}
