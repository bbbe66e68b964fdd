//! Transcript entries for requests and notes: timings and paths a help desk can read, with no
//! query but harmless flags and no single-use QR token.

use std::time::{Duration, Instant};

use reqwest::Method;
use url::Url;

use crate::transcript::TranscriptEntry;

/// Query parameters that carry no secret and explain a step in the transcript.
const SAFE_QUERY_PARAMS: &[&str] = &["autoPush", "rememberDevice", "updatePhone"];

/// The entry for one attempt at a request, before its answer is known.
pub(super) fn request_entry(
    flow_started: Instant,
    method: &Method,
    url: &Url,
    attempt_started: Instant,
) -> TranscriptEntry {
    TranscriptEntry {
        at_ms: millis(attempt_started.duration_since(flow_started)),
        method: method.to_string(),
        path: transcript_path(url),
        http_status: None,
        okta_status: None,
        factor_result: None,
        elapsed_ms: millis(attempt_started.elapsed()),
        error_code: None,
        note: None,
    }
}

/// The entry for something the flow did that was not an HTTP request (e.g. a QR decode).
pub(super) fn note_entry(flow_started: Instant, what: &str, note: String) -> TranscriptEntry {
    let now = Instant::now();
    TranscriptEntry {
        at_ms: millis(now.duration_since(flow_started)),
        method: "-".into(),
        path: what.into(),
        http_status: None,
        okta_status: None,
        factor_result: None,
        elapsed_ms: 0,
        error_code: None,
        note: Some(note),
    }
}

/// The path for the transcript: no query except harmless flags, no single-use QR token.
fn transcript_path(url: &Url) -> String {
    let mut segments: Vec<&str> = url.path().split('/').collect();
    for index in 1..segments.len() {
        if segments[index - 1] == "qr" {
            segments[index] = "[redacted]";
        }
    }
    let mut path = segments.join("/");
    let safe: Vec<String> = url
        .query_pairs()
        .filter(|(key, _)| SAFE_QUERY_PARAMS.contains(&key.as_ref()))
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    if !safe.is_empty() {
        path.push('?');
        path.push_str(&safe.join("&"));
    }
    path
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_paths_hide_qr_tokens_and_queries() {
        let url =
            Url::parse("https://acme.okta.com/api/v1/users/00u1/factors/opf1/qr/20secret?x=1")
                .unwrap();
        assert_eq!(
            transcript_path(&url),
            "/api/v1/users/00u1/factors/opf1/qr/[redacted]"
        );
        let url = Url::parse(
            "https://acme.okta.com/api/v1/authn/factors/opf1/verify?autoPush=true&token=abc&rememberDevice=false",
        )
        .unwrap();
        assert_eq!(
            transcript_path(&url),
            "/api/v1/authn/factors/opf1/verify?autoPush=true&rememberDevice=false"
        );
    }
}
