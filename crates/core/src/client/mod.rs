//! The HTTP side: TLS, proxies, timeouts, body caps, rate limits, retries and the transcript.
//!
//! [`OktaClient`] is built once from a [`ClientConfig`] and shared; each flow talks through an
//! [`Api`], its view of one org and one transcript. `doctor` probes an org through the same
//! client, so what it reports is what a sign-in meets; so is the check of which engine an org
//! runs.

mod api;
mod cookie_jar;
mod engine_check;
mod idx_api;
mod lifecycle;
mod okta_client;
mod probe;
mod response;
mod transcript_entry;

pub(crate) use api::{Answer, Api, Retry};
pub(crate) use cookie_jar::CookieJar;
pub use engine_check::EngineReport;
pub(crate) use idx_api::ION_JSON;
pub(crate) use lifecycle::Lifecycle;
pub use okta_client::{ClientConfig, OktaClient, RetryPolicy};
pub use probe::{ProbeReport, ProbeTls};
