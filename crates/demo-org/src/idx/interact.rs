//! `POST /oauth2/{server}/v1/interact`: checks the OAuth request against the org's one OIDC
//! native app (client id, redirect URI, scopes, S256 PKCE) and opens an IDX transaction,
//! answering its interaction handle. Also PKCE's S256 transform, which `/token` checks.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use zeroize::Zeroizing;

use super::messages::OAuthError;
use super::store::{AuthServer, AuthorizationRequest, IdxTransaction};
use crate::org::clock::span;
use crate::state::Org;

/// Scopes the demo authorization servers know.
const KNOWN_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "offline_access",
    "address",
    "phone",
];

/// PKCE S256: `BASE64URL(SHA256(verifier))`, no padding (RFC 7636 §4.2).
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// Verifiers are 43 to 128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1).
pub(crate) fn verifier_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

impl Org {
    /// Validates an `/interact` form and opens a transaction; answers the interaction handle.
    pub(crate) fn idx_interact(
        &self,
        server: AuthServer,
        form: &HashMap<String, String>,
    ) -> Result<Zeroizing<String>, OAuthError> {
        let param = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
        let client_id = param("client_id")
            .ok_or_else(|| OAuthError::invalid_request("The 'client_id' parameter is required."))?;
        if client_id != self.config.oidc_client_id {
            return Err(OAuthError::invalid_client());
        }
        let redirect_uri = param("redirect_uri").ok_or_else(|| {
            OAuthError::invalid_request("The 'redirect_uri' parameter is required.")
        })?;
        if redirect_uri != crate::org::seed::DEMO_REDIRECT_URI {
            return Err(OAuthError::invalid_request(format!(
                "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: {}/admin/app/oidc_client/instance/{client_id}#tab-general",
                self.origin
            )));
        }
        let scope = param("scope")
            .ok_or_else(|| OAuthError::invalid_request("The 'scope' parameter is required."))?;
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_owned).collect();
        if let Some(unknown) = scopes
            .iter()
            .find(|scope| !KNOWN_SCOPES.contains(&scope.as_str()))
        {
            return Err(OAuthError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_scope",
                format!(
                    "One or more scopes are not configured for the authorization server resource. ({unknown})"
                ),
            ));
        }
        if !scopes.iter().any(|scope| scope == "openid") {
            return Err(OAuthError::invalid_request(
                "The 'scope' parameter must include 'openid' to sign in through the Interaction Code flow.",
            ));
        }
        let code_challenge = param("code_challenge").ok_or_else(|| {
            OAuthError::invalid_request(
                "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.",
            )
        })?;
        match param("code_challenge_method") {
            Some("S256") => {}
            Some(_) | None => {
                return Err(OAuthError::invalid_request(
                    "The 'code_challenge_method' parameter must be 'S256'; 'plain' is not supported.",
                ));
            }
        }
        if code_challenge.len() != 43 {
            return Err(OAuthError::invalid_request(
                "The 'code_challenge' parameter must be the BASE64URL SHA-256 of the code verifier (43 characters).",
            ));
        }
        let state = param("state")
            .ok_or_else(|| OAuthError::invalid_request("The 'state' parameter is required."))?;
        let request = AuthorizationRequest {
            server,
            client_id: client_id.to_owned(),
            scopes,
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: code_challenge.to_owned(),
            state: state.to_owned(),
            nonce: param("nonce").map(str::to_owned),
        };
        let marker = &self.config.token_marker;
        let interaction_handle = Zeroizing::new(crate::org::ids::token("", marker, 43));
        let state_handle = crate::org::ids::token("02", marker, 40);
        let (mut state, now) = self.begin();
        let expires_at = now + span(self.config.state_token_lifetime);
        state
            .idx
            .interactions
            .insert(interaction_handle.to_string(), state_handle.clone());
        let mut tx = IdxTransaction::new(
            state_handle.clone(),
            interaction_handle.to_string(),
            request,
            expires_at,
        );
        tx.okta_verify_requires_biometrics = self.config.idx.okta_verify_requires_biometrics;
        tx.keep_me_signed_in_prompt = self.config.idx.keep_me_signed_in_prompt;
        state.idx.transactions.insert(state_handle, tx);
        Ok(interaction_handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_follow_the_rfc_alphabet_and_length() {
        assert!(verifier_well_formed(&"a".repeat(43)));
        assert!(!verifier_well_formed(&"a".repeat(42)));
        assert!(!verifier_well_formed(&format!("{}!", "a".repeat(43))));
    }
}
