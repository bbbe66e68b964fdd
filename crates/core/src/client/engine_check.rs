//! Which engine an org runs (`GET /.well-known/okta-organization`), through the sign-in's own
//! client and send loop: the same trust, proxy, redirect rule, body cap and retries. Every
//! way the answer can fail to say (404, a web page, an error, no answer) becomes a report
//! that says why, never an error: a sign-in then goes through `/api/v1/authn`, which every
//! org answers.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;

use super::api::Api;
use super::okta_client::OktaClient;
use super::response::{ResponseReader, is_json, is_oversized, parse_error_body};
use super::retry::Retry;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind};
use crate::org_url::OrgUrl;
use crate::plain_text::{code_text, plain_text};
use crate::transcript::Transcript;
use crate::wire::{OKTA_ORGANIZATION_PATH, OktaOrganization};

/// What `/.well-known/okta-organization` said about an org, or why it could not tell.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EngineReport {
    /// The engine the org runs; `None` when it could not be told (see `unknown_reason`).
    pub engine: Option<Engine>,
    /// Why the engine could not be told, in words a person can act on.
    pub unknown_reason: Option<String>,
    /// The kind of the error behind `unknown_reason`, when there was one (`network`,
    /// `timeout`, `tls`, `server_error`, `unexpected_response`, ...).
    pub error_kind: Option<ErrorKind>,
    /// The `pipeline` value as sent (`v1`, `idx`, or one this version does not know).
    pub pipeline: Option<String>,
    /// The org's id (`00o…`).
    pub org_id: Option<String>,
    /// The org's Okta domain (`_links.organization`), e.g. `https://acme.okta.com`.
    pub organization_url: Option<String>,
    /// The org's custom domain (`_links.alternate`), when it has one.
    pub custom_domain_url: Option<String>,
    /// The HTTP status of the last answer; `None` when none came.
    pub http_status: Option<u16>,
    /// From the first request to the last answer, retries included.
    #[serde(rename = "elapsedMs", serialize_with = "as_millis")]
    pub elapsed: Duration,
}

impl EngineReport {
    /// The request [`OktaClient::detect_engine`] sends, as a help desk would write it.
    pub const REQUEST: &'static str = "GET /.well-known/okta-organization";

    fn unknown(reason: String, error_kind: Option<ErrorKind>) -> Self {
        Self {
            engine: None,
            unknown_reason: Some(reason),
            error_kind,
            pipeline: None,
            org_id: None,
            organization_url: None,
            custom_domain_url: None,
            http_status: None,
            elapsed: Duration::ZERO,
        }
    }

    fn from_error(error: &Error) -> Self {
        Self::unknown(error.to_string(), Some(error.kind()))
    }
}

fn as_millis<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

impl OktaClient {
    /// Asks `org` which engine it runs (`GET /.well-known/okta-organization`). Retried like a
    /// poll (it changes nothing) under the client's retry policy. Never fails: when the org
    /// does not say, the report's `engine` is `None` and `unknown_reason` says why.
    pub async fn detect_engine(&self, org: &OrgUrl) -> EngineReport {
        self.detect_engine_recorded(org, &Transcript::new()).await
    }

    /// [`detect_engine`](Self::detect_engine), writing each attempt to `transcript`.
    pub async fn detect_engine_recorded(
        &self,
        org: &OrgUrl,
        transcript: &Transcript,
    ) -> EngineReport {
        let started = Instant::now();
        let api = Api::new(self.clone(), org.clone(), transcript.clone());
        let url = org.join(OKTA_ORGANIZATION_PATH);
        let mut report = match api
            .send(
                Method::GET,
                &url,
                None,
                Retry::Idempotent,
                "application/json",
            )
            .await
        {
            Ok((status, headers, bytes)) => {
                let mut report = read_answer(org, status, &headers, &bytes);
                report.http_status = Some(status.as_u16());
                report
            }
            Err(error) => EngineReport::from_error(&error),
        };
        report.elapsed = started.elapsed();
        report
    }
}

fn read_answer(
    org: &OrgUrl,
    status: StatusCode,
    headers: &HeaderMap,
    bytes: &[u8],
) -> EngineReport {
    let reader = ResponseReader::new(org);
    let host = org.host();
    if is_oversized(bytes) {
        return EngineReport::from_error(&reader.unexpected("an answer larger than 1 MiB"));
    }
    if status == StatusCode::NOT_FOUND {
        return EngineReport::unknown(
            format!(
                "{host} does not say which engine it runs (HTTP 404 for {OKTA_ORGANIZATION_PATH}). Okta orgs answer there, so this may not be an Okta org, or something in between answers in its place; check the org URL."
            ),
            None,
        );
    }
    if status.is_redirection() {
        return EngineReport::from_error(&reader.unexpected("a redirect instead of an answer"));
    }
    if !status.is_success() {
        let error = if status.is_server_error() {
            Error::ServerError {
                host: host.to_owned(),
                status: status.as_u16(),
            }
        } else {
            reader.status_error(status, parse_error_body(headers, bytes))
        };
        return EngineReport::from_error(&error);
    }
    if !is_json(headers) {
        return EngineReport::from_error(&reader.not_json(bytes));
    }
    let Ok(organization) = serde_json::from_slice::<OktaOrganization>(bytes) else {
        return EngineReport::from_error(
            &reader.unexpected("a description of the org that is not what Okta documents"),
        );
    };
    let engine = organization
        .pipeline
        .as_deref()
        .and_then(Engine::from_pipeline);
    let unknown_reason = match (&organization.pipeline, engine) {
        (_, Some(_)) => None,
        (None, None) => Some(format!(
            "{host} describes itself without naming its engine (no pipeline in {OKTA_ORGANIZATION_PATH})."
        )),
        (Some(pipeline), None) => Some(format!(
            "{host} runs an engine this version of OktaDesk does not know (pipeline \"{}\"). Update OktaDesk.",
            code_text(pipeline)
        )),
    };
    EngineReport {
        engine,
        unknown_reason,
        error_kind: None,
        // Server text reaches terminals and windows: no control characters.
        pipeline: organization.pipeline.as_deref().map(code_text),
        org_id: organization.id.as_deref().map(code_text),
        organization_url: organization
            .links
            .organization
            .map(|link| plain_text(&link.href)),
        custom_domain_url: organization
            .links
            .alternate
            .map(|link| plain_text(&link.href)),
        http_status: None,
        elapsed: Duration::ZERO,
    }
}
