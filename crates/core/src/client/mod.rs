//! The HTTP side: TLS, proxies, timeouts, body caps, rate limits, retries and the transcript.
//!
//! [`OktaClient`] is built once from a [`ClientConfig`] and shared; each flow talks through an
//! [`Api`], its view of one org and one transcript. `doctor` probes an org through the same
//! client, so what it reports is what a sign-in meets.

mod api;
mod okta_client;
mod probe;
mod response;
mod transcript_entry;

pub(crate) use api::{Answer, Api, Retry};
pub use okta_client::{ClientConfig, OktaClient, RetryPolicy};
pub use probe::{ProbeReport, ProbeTls};
