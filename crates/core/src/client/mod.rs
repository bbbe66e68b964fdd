//! The HTTP side: TLS, proxies, timeouts, body caps, rate limits, retries and the transcript.
//!
//! [`OktaClient`] (`okta_client`) is built once from a [`ClientConfig`] and shared; each flow
//! talks through an [`Api`] (`api`: the request loop, with its [`Retry`] rule in `retry`), its
//! view of one org, one transcript (`transcript_entry`), one cookie jar (`cookie_jar`) and one
//! [`Lifecycle`] (`lifecycle`: cancel and the request budget). `response` reads answers;
//! `idx_api` adds Identity Engine's exchanges (IDX forms and the OAuth endpoints) to [`Api`],
//! and `ion` holds IDX's media type and what the transcript shows of its answers, read by
//! both. `probe` (`doctor`) probes an org through the same client, so what it reports is what
//! a sign-in meets; so does `engine_check`, the check of which engine an org runs.

mod api;
mod cookie_jar;
mod engine_check;
mod idx_api;
mod ion;
mod lifecycle;
mod okta_client;
mod probe;
mod response;
mod retry;
mod transcript_entry;

pub(crate) use api::{Answer, Api};
pub(crate) use cookie_jar::CookieJar;
pub use engine_check::EngineReport;
pub(crate) use ion::ION_JSON;
pub(crate) use lifecycle::Lifecycle;
pub use okta_client::{ClientConfig, OktaClient, RetryPolicy};
pub use probe::{ProbeReport, ProbeTls};
pub(crate) use retry::Retry;

/// Entry points for the cargo-fuzz targets in `fuzz/` (built with `--cfg fuzzing` only).
#[cfg(fuzzing)]
pub mod fuzzing {
    use std::time::Duration;

    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    use url::Url;

    /// What the client makes of an answer's headers, as a sign-in reads them: the cookies
    /// it keeps and sends back, the wait a 429 asks for, the server's clock. Any header a
    /// server can send must come through without a panic.
    pub fn read_headers(pairs: &[(&[u8], &[u8])]) -> Duration {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            if let (Ok(name), Ok(value)) =
                (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
            {
                headers.append(name, value);
            }
        }
        let url = Url::parse("https://acme.okta.com/api/v1/authn").expect("a valid URL");
        let jar = super::CookieJar::default();
        jar.store_from(&url, &headers);
        let _ = jar.header_for(&url);
        let _ = jar.device_token();
        let _ = super::response::server_date(&headers);
        super::api::rate_limit_wait(&headers)
    }
}
