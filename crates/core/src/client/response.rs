//! What came back from an org, or why nothing did: the body under its cap, then a transaction
//! or the error that says what the answer was instead (an Okta error, a web page, a redirect
//! elsewhere...); and for a request with no answer, the cause in words a person can act on,
//! without the URL (which can hold a single-use QR token).

use std::error::Error as StdError;
use std::time::SystemTime;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::wire::{OktaErrorBody, Transaction};

/// An impossible JSON prefix marks a body that was cut off at the cap.
const OVERSIZED: &[u8] = b"\0oversized";

/// The status, headers and body of `response`; a body over `cap` bytes is replaced by a
/// marker (see [`is_oversized`]) instead of being read on.
pub(super) async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> reqwest::Result<(StatusCode, HeaderMap, Zeroizing<Vec<u8>>)> {
    let status = response.status();
    let headers = response.headers().clone();
    let mut bytes = Zeroizing::new(Vec::new());
    if response
        .content_length()
        .is_some_and(|length| length > cap as u64)
    {
        return Ok((status, headers, oversized_marker()));
    }
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > cap {
            return Ok((status, headers, oversized_marker()));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((status, headers, bytes))
}

fn oversized_marker() -> Zeroizing<Vec<u8>> {
    Zeroizing::new(OVERSIZED.to_vec())
}

pub(super) fn is_oversized(bytes: &[u8]) -> bool {
    bytes == OVERSIZED
}

pub(super) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let media_type = value.split(';').next().unwrap_or_default().trim();
            media_type.eq_ignore_ascii_case("application/json") || media_type.ends_with("+json")
        })
}

pub(super) fn parse_error_body(headers: &HeaderMap, bytes: &[u8]) -> Option<OktaErrorBody> {
    if !is_json(headers) || is_oversized(bytes) {
        return None;
    }
    serde_json::from_slice::<OktaErrorBody>(bytes)
        .ok()
        .filter(|body| !body.error_code.is_empty())
}

/// The server's clock at the time of the answer (`Date`), for countdowns and clock checks.
pub(super) fn server_date(headers: &HeaderMap) -> Option<SystemTime> {
    headers
        .get(header::DATE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| httpdate::parse_http_date(value).ok())
}

pub(super) fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Turns what one org answered into a transaction or into the error that explains it.
pub(super) struct ResponseReader<'a> {
    org: &'a OrgUrl,
}

impl<'a> ResponseReader<'a> {
    pub(super) fn new(org: &'a OrgUrl) -> Self {
        Self { org }
    }

    pub(super) fn transaction_from(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        bytes: &[u8],
    ) -> Result<Transaction> {
        self.document_from(status, headers, bytes, "an Okta transaction")
    }

    /// A JSON document of type `T` (`what` names it in the error), or the error that explains
    /// what came instead.
    pub(super) fn document_from<T: DeserializeOwned>(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        bytes: &[u8],
        what: &str,
    ) -> Result<T> {
        if is_oversized(bytes) {
            return Err(self.unexpected_with(
                "an answer larger than 1 MiB",
                "Check the org URL: this does not look like an Okta organization.",
            ));
        }
        if status.is_redirection() {
            let target = headers
                .get(header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|location| self.org.as_url().join(location).ok());
            return Err(match target {
                Some(target) if !self.org.is_same_origin(&target) => Error::ForeignOrigin {
                    org: self.org.to_string(),
                    target: origin_of(&target),
                },
                _ => self.unexpected("a redirect instead of an answer"),
            });
        }
        if !status.is_success() {
            let body = parse_error_body(headers, bytes);
            return Err(self.status_error(status, body));
        }
        if !is_json(headers) {
            return Err(self.not_json(bytes));
        }
        serde_json::from_slice::<T>(bytes).map_err(|error| {
            if error.is_eof() {
                self.unexpected_with(
                    "an answer that was cut off",
                    "The connection may be unstable; try again.",
                )
            } else {
                self.unexpected(&format!("an answer that is not {what} ({error})"))
            }
        })
    }

    pub(super) fn status_error(&self, status: StatusCode, body: Option<OktaErrorBody>) -> Error {
        let host = self.org.host().to_owned();
        let Some(body) = body else {
            if status.is_server_error() {
                return Error::ServerError {
                    host,
                    status: status.as_u16(),
                };
            }
            return self.unexpected(&format!("HTTP {} without an Okta error", status.as_u16()));
        };
        crate::okta_errors::from_body(status.as_u16(), &body, &host)
    }

    pub(super) fn not_json(&self, bytes: &[u8]) -> Error {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        if text.trim_start().starts_with('<') || text.contains("<html") {
            self.unexpected_with(
                "a web page instead of data",
                "If you are on a guest or hotel network, open a browser and sign in to the network first; otherwise check the org URL.",
            )
        } else {
            self.unexpected("an answer that is not JSON")
        }
    }

    pub(super) fn unexpected(&self, detail: &str) -> Error {
        self.unexpected_with(detail, "Check the org URL and try again.")
    }

    fn unexpected_with(&self, detail: &str, advice: &'static str) -> Error {
        Error::UnexpectedResponse {
            host: self.org.host().to_owned(),
            detail: detail.to_owned(),
            advice,
        }
    }
}

/// The error for a request to `host` that failed before an answer came: TLS, timeout, or
/// another network problem.
pub(super) fn transport_error(host: &str, error: &reqwest::Error) -> Error {
    let host = host.to_owned();
    if let Some(tls) = find_source::<rustls::Error>(error) {
        return Error::Tls {
            host,
            detail: tls.to_string(),
        };
    }
    if error.is_timeout() {
        return Error::Timeout { host };
    }
    Error::Network {
        host,
        detail: plain_reason(error).map_or_else(|| error_chain(error), str::to_owned),
    }
}

fn find_source<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        // io::Error hides a wrapped error from `source()`; rustls errors travel that way.
        current = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => error.source(),
        };
    }
    None
}

/// What went wrong with a connection, in words a person can act on, where the cause is a
/// common one; `None` leaves the library's own wording.
fn plain_reason(error: &reqwest::Error) -> Option<&'static str> {
    use std::io::ErrorKind;
    if error_chain(error).contains("dns error") {
        return Some("its name could not be found; check the org URL for typos");
    }
    let io = find_source::<std::io::Error>(error)?;
    Some(match io.kind() {
        ErrorKind::ConnectionRefused => "the connection was refused, so nothing is answering there",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof => {
            "the connection was cut off"
        }
        ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable | ErrorKind::NetworkDown => {
            "this computer has no route to it"
        }
        _ => return None,
    })
}

/// The innermost causes of a transport error, without the URL (which can hold a QR token).
pub(super) fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut current = error.source();
    while let Some(cause) = current {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = cause.source();
    }
    if parts.is_empty() {
        parts.push(if error.is_timeout() {
            "timed out".to_owned()
        } else if error.is_connect() {
            "could not connect".to_owned()
        } else {
            "the connection failed".to_owned()
        });
    }
    parts.join(": ")
}
