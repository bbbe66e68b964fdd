//! `POST /oauth2/{server}/v1/token` with `grant_type=interaction_code`: the code must be one
//! this server issued, unused and fresh, for this client, and the PKCE verifier must hash to
//! the challenge `/interact` got. The answer carries an access token, an ID token (RS256, the
//! claims its scopes allow, the nonce if one was given), and a refresh token when
//! `offline_access` was asked for.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use super::interact::{s256, verifier_well_formed};
use super::messages::OAuthError;
use super::store::{AuthServer, IssuedCode};
use crate::state::{Org, OrgState};

/// How long the access and ID tokens live, in seconds (Okta's default hour).
const TOKEN_LIFETIME_SECONDS: i64 = 3600;

impl Org {
    pub(crate) fn idx_token(
        &self,
        server: AuthServer,
        form: &HashMap<String, String>,
    ) -> Result<Value, OAuthError> {
        let param = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
        let grant_type = param("grant_type").ok_or_else(|| {
            OAuthError::invalid_request("The 'grant_type' parameter is required.")
        })?;
        if grant_type != "interaction_code" {
            return Err(OAuthError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!(
                    "The authorization grant type '{grant_type}' is not supported by this demo authorization server; use 'interaction_code'."
                ),
            ));
        }
        let client_id = param("client_id").ok_or_else(OAuthError::invalid_client)?;
        if client_id != self.config.oidc_client_id {
            return Err(OAuthError::invalid_client());
        }
        let code = param("interaction_code").ok_or_else(|| {
            OAuthError::invalid_request("The 'interaction_code' parameter is required.")
        })?;
        let verifier = param("code_verifier").ok_or_else(|| {
            OAuthError::invalid_request(
                "PKCE verification failed: the 'code_verifier' parameter is required.",
            )
        })?;
        let (mut state, now) = self.begin();
        let OrgState { users, idx, .. } = &mut *state;
        idx.saw_verifier(verifier);
        let expired =
            || OAuthError::invalid_grant("The interaction code is invalid or has expired.");
        // A code is used once, whether or not this attempt succeeds: a guessed verifier
        // must not get a second try.
        let issued: IssuedCode = idx
            .codes
            .remove(code)
            .filter(|issued| issued.expires_at > now)
            .ok_or_else(expired)?;
        if issued.request.client_id != client_id || issued.request.server != server {
            return Err(expired());
        }
        if !verifier_well_formed(verifier) || s256(verifier) != issued.request.code_challenge {
            return Err(OAuthError::invalid_grant("PKCE verification failed."));
        }
        // The transaction is done once its code is exchanged.
        idx.transactions.retain(|_, tx| {
            tx.interaction_code
                .as_ref()
                .is_none_or(|issued_code| issued_code.as_str() != code)
        });
        let user = users
            .iter()
            .find(|user| user.id == issued.user_id)
            .ok_or_else(expired)?;
        let issuer = server.issuer(&self.origin);
        let iat = now.unix_timestamp();
        let exp = iat + TOKEN_LIFETIME_SECONDS;
        let scopes = &issued.request.scopes;
        let has = |scope: &str| scopes.iter().any(|granted| granted == scope);
        let access_token = super::jwt::sign(&json!({
            "ver": 1,
            "jti": crate::org::ids::token("AT.", &self.config.token_marker, 32),
            "iss": issuer,
            "aud": match server {
                AuthServer::Default => "api://default".to_owned(),
                AuthServer::Org => self.origin.clone(),
            },
            "iat": iat,
            "exp": exp,
            "cid": client_id,
            "uid": user.id,
            "scp": scopes,
            "auth_time": issued.auth_time.unix_timestamp(),
            "sub": user.login,
        }));
        let mut id_claims = json!({
            "sub": user.id,
            "ver": 1,
            "iss": issuer,
            "aud": client_id,
            "iat": iat,
            "exp": exp,
            "jti": crate::org::ids::token("ID.", &self.config.token_marker, 32),
            "amr": issued.amr,
            "idp": self.id,
            "auth_time": issued.auth_time.unix_timestamp(),
            "at_hash": at_hash(&access_token),
        });
        if let Some(nonce) = &issued.request.nonce {
            id_claims["nonce"] = json!(nonce);
        }
        if has("profile") {
            id_claims["name"] = json!(user.display_name());
            id_claims["preferred_username"] = json!(user.login);
        }
        if has("email") {
            id_claims["email"] = json!(user.login);
            id_claims["email_verified"] = json!(true);
        }
        let mut answer = json!({
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "access_token": access_token,
            "scope": scopes.join(" "),
            "id_token": super::jwt::sign(&id_claims),
        });
        if has("offline_access") {
            answer["refresh_token"] =
                json!(crate::org::ids::token("", &self.config.token_marker, 43));
        }
        Ok(answer)
    }
}

/// OIDC's `at_hash`: the left half of the access token's SHA-256, base64url.
fn at_hash(access_token: &str) -> String {
    let hash = digest(&SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&hash.as_ref()[..16])
}
