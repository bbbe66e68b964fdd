//! Diagnosis of the way to an org (`oktadesk-cli doctor`), through the sign-in's own client:
//! the same trust, proxy, redirect rule, user agent and body cap, so what a probe reports is
//! what a sign-in meets.

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header;

use super::okta_client::OktaClient;
use super::response::transport_error;
use super::response::{parse_error_body, read_capped, server_date};
use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::tls::TlsInspection;

/// What the org answered to the request a sign-in starts with, sent with no credentials.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProbeReport {
    pub http_status: u16,
    /// The `errorCode` of an Okta error answer (Okta answers an empty sign-in with one).
    pub okta_error_code: Option<String>,
    /// The `Content-Type` of the answer, as sent.
    pub content_type: Option<String>,
    /// The org's clock (`Date`), to compare with `received_at`.
    pub server_date: Option<SystemTime>,
    /// This computer's clock when the answer's headers arrived.
    pub received_at: SystemTime,
    /// From sending the request to the end of the answer, redirects included.
    pub elapsed: Duration,
    pub tls: ProbeTls,
}

impl ProbeReport {
    /// The request [`OktaClient::probe`] sends, as a help desk would write it.
    pub const REQUEST: &'static str = "POST /api/v1/authn";
    const PATH: &'static str = "/api/v1/authn";
}

/// How the probe's connection was secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeTls {
    /// Over HTTPS, with a certificate chain this client trusts.
    Verified,
    /// Plain HTTP, allowed only for an org on this computer (the demo org).
    NotUsed,
}

impl OktaClient {
    /// Sends `POST /api/v1/authn` with an empty body to `org`, as a sign-in's first request
    /// goes, and reports the answer. An error means no answer came: the same error a sign-in
    /// would end with (`tls`, `network`, `timeout`). Writes no transcript and never retries.
    pub async fn probe(&self, org: &OrgUrl) -> Result<ProbeReport> {
        let started = Instant::now();
        let no_answer = |error: reqwest::Error| transport_error(org.host(), &error);
        let response = self
            .http_for(org)
            .post(org.join(ProbeReport::PATH))
            .header(header::CONTENT_TYPE, "application/json")
            .body("{}")
            .send()
            .await
            .map_err(no_answer)?;
        let received_at = SystemTime::now();
        let (status, headers, body) = read_capped(response, self.config().max_body_bytes)
            .await
            .map_err(no_answer)?;
        Ok(ProbeReport {
            http_status: status.as_u16(),
            okta_error_code: parse_error_body(&headers, &body).map(|body| body.error_code),
            content_type: headers
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(crate::plain_text::plain_text),
            server_date: server_date(&headers),
            received_at,
            elapsed: started.elapsed(),
            tls: if org.as_url().scheme() == "https" {
                ProbeTls::Verified
            } else {
                ProbeTls::NotUsed
            },
        })
    }

    /// Shakes hands with an HTTPS `org` at `address`, with this client's trust (the OS store
    /// plus the extra CA), and reports the certificates the server sent and whether they were
    /// accepted, even when they were not. Connects directly, never through a proxy. An error
    /// means no handshake could start (nothing listening, for example).
    pub async fn inspect_tls(&self, org: &OrgUrl, address: SocketAddr) -> Result<TlsInspection> {
        let trust = self.trust().clone();
        let host = org
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let (connect_timeout, io_timeout) =
            (self.config().connect_timeout, self.config().request_timeout);
        tokio::task::spawn_blocking(move || {
            trust.inspect(address, &host, connect_timeout, io_timeout)
        })
        .await
        .map_err(|error| {
            Error::Config(format!(
                "The TLS check stopped unexpectedly ({error}). Try again."
            ))
        })?
    }
}
