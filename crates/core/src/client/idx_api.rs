//! The HTTP side of Identity Engine sign-ins: IDX's `application/ion+json` exchanges, whose
//! error answers carry the whole sign-in state, and the form-encoded OAuth endpoints
//! (`interact`, `token`). Everything goes through [`Api::send`], so retries, rate limits, the
//! body cap and the transcript work as for Classic.

use std::time::SystemTime;

use reqwest::Method;
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use super::api::Api;
use super::ion::ION_JSON;
use super::response::{is_json, is_oversized, server_date};
use super::retry::Retry;
use crate::error::{Error, Result};
use crate::okta_errors;

/// The OAuth endpoints' request type.
const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

/// An OAuth error body (`interact`, `token`): RFC 6749 section 5.2.
#[derive(Deserialize)]
struct OAuthErrorBody {
    #[serde(deserialize_with = "crate::plain_text::deserialize_code")]
    error: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize")]
    error_description: String,
}

impl Api {
    /// POSTs `body` as JSON typed `content_type` and reads an IDX document. IDX answers a
    /// wrong code or password with 400 or 401 and the whole state, messages included: error
    /// statuses whose body is an IDX document (it has a `version`; `T` must require one) come
    /// back as answers; any other error is read as for Classic.
    pub async fn post_ion<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &Url,
        body: &B,
        content_type: &str,
        retry: Retry,
    ) -> Result<T> {
        // The body holds the state handle (and codes, answers, passwords): zeroed once sent.
        let body = Zeroizing::new(serde_json::to_vec(body).map_err(|error| {
            Error::Config(format!("A request could not be encoded ({error})."))
        })?);
        let (status, headers, bytes) = self
            .send(
                Method::POST,
                url,
                Some((body.as_slice(), content_type)),
                retry,
                ION_JSON,
            )
            .await?;
        if !status.is_success()
            && !status.is_redirection()
            && is_json(&headers)
            && !is_oversized(&bytes)
            && let Ok(document) = serde_json::from_slice::<T>(&bytes)
        {
            return Ok(document);
        }
        self.reader()
            .document_from(status, &headers, &bytes, "an IDX answer")
    }

    /// POSTs `pairs` form-encoded to an OAuth endpoint and reads its JSON answer; an OAuth
    /// error (`{"error": ...}`) becomes the error that says what to do about it.
    pub async fn post_form<T: DeserializeOwned>(
        &self,
        url: &Url,
        pairs: &[(&str, &str)],
    ) -> Result<T> {
        self.post_form_dated(url, pairs)
            .await
            .map(|(document, _)| document)
    }

    /// [`post_form`](Self::post_form), with the server's clock at the time of the answer
    /// (`Date`), which the token's times are compared with.
    pub async fn post_form_dated<T: DeserializeOwned>(
        &self,
        url: &Url,
        pairs: &[(&str, &str)],
    ) -> Result<(T, Option<SystemTime>)> {
        // The pairs hold the PKCE verifier and the interaction code: zeroed once sent.
        let body = Zeroizing::new(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
        let (status, headers, bytes) = self
            .send(
                Method::POST,
                url,
                Some((body.as_bytes(), FORM_URLENCODED)),
                Retry::Never,
                "application/json",
            )
            .await?;
        if !status.is_success()
            && is_json(&headers)
            && !is_oversized(&bytes)
            && let Ok(error) = serde_json::from_slice::<OAuthErrorBody>(&bytes)
        {
            return Err(oauth_refusal(&error, pairs));
        }
        self.reader()
            .document_from(status, &headers, &bytes, "an OAuth answer")
            .map(|document| (document, server_date(&headers)))
    }
}

/// An OAuth refusal as the error that says what to do about it. `invalid_grant` for an
/// interaction code (the token endpoint's) does not mean the sign-in took too long: OktaDesk
/// redeems the code the moment Okta issues it, so a refusal that repeats points at how the
/// app is set up, which only an admin can check.
fn oauth_refusal(error: &OAuthErrorBody, pairs: &[(&str, &str)]) -> Error {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
    };
    if error.error == "invalid_grant" && value("grant_type") == Some("interaction_code") {
        let client_id = value("client_id").unwrap_or("its client ID");
        let summary = format!(
            "{} Sign in again; if Okta refuses the code every time, your Okta admin should check that the OktaDesk app ({client_id}) has the Interaction Code grant type and that the access policy of the authorization server set for this account has a rule allowing it",
            error.error_description.trim()
        );
        return Error::Okta {
            code: error.error.clone(),
            summary: crate::plain_text(summary.trim()),
        };
    }
    okta_errors::from_oauth(&error.error, &error.error_description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(error: &str, description: &str) -> OAuthErrorBody {
        OAuthErrorBody {
            error: error.into(),
            error_description: description.into(),
        }
    }

    #[test]
    fn an_interaction_code_refused_says_what_an_admin_checks() {
        let pairs = [
            ("grant_type", "interaction_code"),
            ("client_id", "0oa1app"),
            ("interaction_code", "secret-code"),
        ];
        let error = oauth_refusal(
            &refusal(
                "invalid_grant",
                "The interaction code is invalid or has expired.",
            ),
            &pairs,
        );
        let message = error.to_string();
        assert!(matches!(error, Error::Okta { .. }), "{error:?}");
        assert!(message.contains("Sign in again"), "{message}");
        assert!(message.contains("0oa1app"), "{message}");
        assert!(message.contains("Interaction Code grant"), "{message}");
        assert!(!message.contains("secret-code"), "{message}");
        // Elsewhere, the mapping every OAuth refusal gets.
        let other = oauth_refusal(&refusal("invalid_grant", "Expired."), &[]);
        assert!(matches!(other, Error::Expired), "{other:?}");
    }
}
