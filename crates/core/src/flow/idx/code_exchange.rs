//! The OAuth ends of the Interaction Code flow: `interact` (the one URL built by hand with
//! `introspect`), and the `successWithInteractionCode` form that trades the interaction code
//! and the PKCE verifier for tokens at `/v1/token`.
//!
//! A native app gets tokens, not a browser session (Okta's "Interaction Code grant type"
//! guide: the token endpoint answers with `access_token`, `id_token` and, with
//! `offline_access`, `refresh_token`). OktaDesk reads who signed in from the ID token, once
//! its claims are validated, and drops every token at once: it keeps none beyond the sign-in.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::pkce::{Authorization, Pkce, random_token};
use super::state::Idx;
use super::wire::{Form, IdxResponse};
use crate::client::{ION_JSON, Retry};
use crate::flow::conversation::Step;
use crate::handoff::{SessionHandoff, UserInfo};
use crate::oidc_client::IDX_REDIRECT_URI;
use crate::secret::{Secret, serialize_exposed};
use crate::stage::Stage;

/// Who signed in (`openid`), with their name and login (`profile`, `email`).
const SCOPES: &str = "openid profile email";

/// How far the org's clock and the one a token's times are compared with may disagree, in
/// seconds: okta-auth-js's default `maxClockSkew`.
const CLOCK_SKEW_SECONDS: i64 = 300;

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
    /// RFC 6749's token answer has none; an answer that carries one must carry ours.
    #[serde(default)]
    state: Option<Secret>,
}

/// The ID token's claims OktaDesk checks and shows.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub(crate) struct IdTokenClaims {
    pub sub: String,
    #[serde(default)]
    pub iss: String,
    /// One audience or several (OIDC Core 1.0, section 2).
    #[serde(default, deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub iat: Option<i64>,
    #[serde(default)]
    pub nonce: Option<Secret>,
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
        // `state` comes back only on a redirect to the redirect URI, which IDX's direct
        // answers never make (a step that needs the browser is handed to it, and OktaDesk
        // takes no redirect); Okta requires it, and a token answer that carries one is held
        // to it. The nonce comes back in the ID token and ties it to this sign-in.
        let state = random_token(16)?;
        let nonce = random_token(16)?;
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
                    ("nonce", nonce.expose()),
                ],
            )
            .await?;
        self.authorization = Some(Authorization { pkce, nonce, state });
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
    /// form-encoded to the token endpoint; who signed in is read from the ID token once its
    /// claims pass every check, from IDX's `user` otherwise.
    pub(super) async fn redeem(&mut self, issue: &Form, doc: &IdxResponse) -> Step<Stage> {
        let Authorization { pkce, nonce, state } = self.authorization.take().ok_or_else(|| {
            self.api
                .unexpected_step("a success before the sign-in started")
        })?;
        let verifier = pkce.verifier;
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
        let (tokens, server_time): (Tokens, _) = self.api.post_form_dated(&url, &exposed).await?;
        drop(exposed);
        drop(pairs);
        if tokens
            .state
            .as_ref()
            .is_some_and(|returned| returned != &state)
        {
            return Err(self
                .api
                .unexpected_step("a token answer for another sign-in (not the state sent)")
                .into());
        }
        self.cancel = None;
        let fallback_login = doc
            .user
            .as_ref()
            .and_then(|user| user.value.identifier.clone())
            .unwrap_or_else(|| self.username.as_str().to_owned());
        // OpenID Connect Core 1.0, section 3.1.3.7: the ID token came straight from the
        // org's token endpoint over TLS, so point 6 lets TLS stand in for checking its
        // signature; it waives nothing else. The issuer (point 2), the audience (3), the
        // expiry and issue time (9, 10, against the org's clock, which dated the answer)
        // and the nonce (11) are checked; a token failing any is not read at all.
        let origin = self.api.org().as_url().origin().ascii_serialization();
        let issuer = self.client.issuer(&origin);
        let expected = Expected {
            issuer: &issuer,
            client_id: &self.client.client_id,
            nonce: &nonce,
            now: unix_seconds(server_time.unwrap_or_else(SystemTime::now)),
        };
        let user = match tokens
            .id_token
            .as_ref()
            .map(|token| validated_claims(token, &expected))
        {
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

/// What an ID token of this sign-in must say.
pub(crate) struct Expected<'a> {
    /// The authorization server's issuer.
    pub issuer: &'a str,
    /// Our client ID, which the audience must hold.
    pub client_id: &'a str,
    /// The nonce sent to `interact`.
    pub nonce: &'a Secret,
    /// Seconds since the epoch by the org's clock.
    pub now: i64,
}

/// The ID token's claims, if it is one of this sign-in's (see [`Expected`]); otherwise which
/// check it failed, in words that hold nothing of the token.
pub(crate) fn validated_claims(
    token: &Secret,
    expected: &Expected<'_>,
) -> Result<IdTokenClaims, &'static str> {
    let claims = id_token_claims(token)?;
    if claims.iss != expected.issuer {
        return Err("an ID token from another issuer than this sign-in's authorization server");
    }
    if !claims.aud.iter().any(|aud| aud == expected.client_id) {
        return Err("an ID token for another app (its audience is not this client ID)");
    }
    let (Some(exp), Some(iat)) = (claims.exp, claims.iat) else {
        return Err("an ID token without its expiry or issue time");
    };
    if exp < iat {
        return Err("an ID token that expired before it was issued");
    }
    if exp.saturating_add(CLOCK_SKEW_SECONDS) < expected.now {
        return Err("an expired ID token");
    }
    if iat > expected.now.saturating_add(CLOCK_SKEW_SECONDS) {
        return Err("an ID token issued in the future");
    }
    if claims.nonce.as_ref() != Some(expected.nonce) {
        return Err("an ID token without this sign-in's nonce");
    }
    Ok(claims)
}

fn unix_seconds(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |since| {
        i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
    })
}

/// `aud`: a string or an array of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// The claims of a JWT's payload (its second part, base64url), unchecked.
fn id_token_claims(token: &Secret) -> Result<IdTokenClaims, &'static str> {
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

    const NOW: i64 = 1_800_000_000;

    fn expected(nonce: &Secret) -> Expected<'_> {
        Expected {
            issuer: "https://acme.okta.com/oauth2/default",
            client_id: "0oaDesk",
            nonce,
            now: NOW,
        }
    }

    fn claims_with(change: impl FnOnce(&mut serde_json::Value)) -> Secret {
        let mut claims = serde_json::json!({
            "sub": "00u1", "name": "Ada Lovelace",
            "iss": "https://acme.okta.com/oauth2/default", "aud": "0oaDesk",
            "iat": NOW - 10, "exp": NOW + 3590, "nonce": "n0nce",
        });
        change(&mut claims);
        jwt(&claims.to_string())
    }

    #[test]
    fn an_id_token_of_this_sign_in_passes_every_check() {
        let nonce = Secret::new("n0nce");
        let claims = validated_claims(&claims_with(|_| {}), &expected(&nonce)).unwrap();
        assert_eq!(claims.sub, "00u1");
        // Several audiences, ours among them; times within the allowed skew.
        let token = claims_with(|c| {
            c["aud"] = serde_json::json!(["api://other", "0oaDesk"]);
            c["iat"] = serde_json::json!(NOW - 3800);
            c["exp"] = serde_json::json!(NOW - 200);
        });
        assert!(validated_claims(&token, &expected(&nonce)).is_ok());
        let token = claims_with(|c| {
            c["iat"] = serde_json::json!(NOW + 200);
            c["exp"] = serde_json::json!(NOW + 3800);
        });
        assert!(validated_claims(&token, &expected(&nonce)).is_ok());
        // The org authorization server's issuer is the org itself.
        let client = crate::OidcClient::parse("0oaDesk", "").unwrap();
        assert_eq!(
            client.issuer("https://acme.okta.com"),
            "https://acme.okta.com"
        );
        let client = crate::OidcClient::new("0oaDesk");
        assert_eq!(
            client.issuer("https://acme.okta.com/"),
            "https://acme.okta.com/oauth2/default"
        );
    }

    #[test]
    fn an_id_token_failing_any_check_is_not_read() {
        let nonce = Secret::new("n0nce");
        type Change = Box<dyn FnOnce(&mut serde_json::Value)>;
        let failing: [(&str, Change); 10] = [
            (
                "another issuer",
                Box::new(|c| c["iss"] = "https://evil.test/oauth2/default".into()),
            ),
            (
                "the org server",
                Box::new(|c| c["iss"] = "https://acme.okta.com".into()),
            ),
            (
                "no issuer",
                Box::new(|c| drop(c.as_object_mut().unwrap().remove("iss"))),
            ),
            ("another app", Box::new(|c| c["aud"] = "0oaOther".into())),
            (
                "no audience",
                Box::new(|c| c["aud"] = serde_json::json!([])),
            ),
            ("expired", Box::new(|c| c["exp"] = (NOW - 301).into())),
            (
                "from the future",
                Box::new(|c| c["iat"] = (NOW + 301).into()),
            ),
            (
                "no expiry",
                Box::new(|c| drop(c.as_object_mut().unwrap().remove("exp"))),
            ),
            ("another nonce", Box::new(|c| c["nonce"] = "other".into())),
            (
                "no nonce",
                Box::new(|c| drop(c.as_object_mut().unwrap().remove("nonce"))),
            ),
        ];
        for (case, change) in failing {
            let token = claims_with(change);
            let problem = validated_claims(&token, &expected(&nonce)).unwrap_err();
            assert!(problem.starts_with("an"), "{case}: {problem}");
            assert!(
                !problem.contains("evil") && !problem.contains("0oa"),
                "{case}: {problem}"
            );
        }
    }

    #[test]
    fn a_malformed_id_token_is_refused_without_showing_it() {
        for token in ["not-a-jwt", "a.!!!.c", "a.e30.c"] {
            let problem = id_token_claims(&Secret::new(token)).unwrap_err();
            assert!(!problem.contains(token), "{problem}");
        }
    }
}
