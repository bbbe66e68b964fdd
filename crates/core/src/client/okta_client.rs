//! How the client talks to Okta ([`ClientConfig`]) and the client built from it: one TLS
//! trust, the proxy rules, the redirect rule and the user agent every request shares.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};

use super::response::error_chain;
use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::tls::Trust;

/// Okta's per-user limit on `/api/v1/authn` is 4 requests per second; polls stay well below.
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(250);

/// How the client talks to Okta. Build it with `..Default::default()` so new fields do not
/// break callers.
#[derive(Clone)]
pub struct ClientConfig {
    /// Extra trusted root certificates (PEM, one or more), for corporate TLS inspection. Added
    /// to the operating system's trust store, never replacing it.
    pub extra_ca_pem: Option<Vec<u8>>,
    pub connect_timeout: Duration,
    /// Total time for one request, body included.
    pub request_timeout: Duration,
    pub user_agent: String,
    /// Time between two polls of a push or an activation. Never below 250 ms.
    pub poll_interval: Duration,
    /// Back-off for polls after network errors and 5xx answers.
    pub retry: RetryPolicy,
    /// The longest the client waits for a rate limit to reset before giving up with
    /// `rate_limited`.
    pub max_rate_limit_wait: Duration,
    /// Larger answers are refused: no Okta transaction comes close.
    pub max_body_bytes: usize,
    /// How long after Okta sends a code (SMS, voice call, email) a new one may be asked for.
    /// Okta sends one SMS or call per device every 30 seconds.
    pub code_resend_after: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            extra_ca_pem: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            user_agent: format!("OktaDesk/{}", env!("CARGO_PKG_VERSION")),
            poll_interval: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            max_rate_limit_wait: Duration::from_secs(60),
            max_body_bytes: 1024 * 1024,
            code_resend_after: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|pem| format!("{} bytes", pem.len())),
            )
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("poll_interval", &self.poll_interval)
            .field("retry", &self.retry)
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("code_resend_after", &self.code_resend_after)
            .finish()
    }
}

/// Bounded exponential back-off: `initial`, doubled each time up to `max`, for at most
/// `attempts` tries in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub initial: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // okta-auth-js: 1, 2, 4, 8, 16 s.
        Self {
            attempts: 6,
            initial: Duration::from_secs(1),
            max: Duration::from_secs(16),
        }
    }
}

impl RetryPolicy {
    pub(super) fn delay(&self, failures: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failures.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial.saturating_mul(factor).min(self.max)
    }
}

/// The Okta HTTP client: cheap to clone, shared by every flow.
#[derive(Clone)]
pub struct OktaClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// Honours HTTP(S)_PROXY / NO_PROXY, and the OS proxy settings on macOS and Windows.
    proxied: reqwest::Client,
    /// For loopback orgs: a corporate proxy must never see (or break) local traffic.
    direct: reqwest::Client,
    /// Kept for `inspect_tls`, so the handshake it shows is judged as the sign-in's are.
    trust: Trust,
    config: ClientConfig,
}

impl std::fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl OktaClient {
    /// Builds the client. Fails only on configuration problems, such as an extra CA bundle
    /// that holds no certificate.
    pub fn new(mut config: ClientConfig) -> Result<Self> {
        config.poll_interval = config.poll_interval.max(MIN_POLL_INTERVAL);
        config.retry.attempts = config.retry.attempts.max(1);
        let trust = Trust::new(config.extra_ca_pem.as_deref())?;
        let tls = trust.client_config()?;
        let build = |proxied: bool| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            let mut builder = reqwest::Client::builder()
                .tls_backend_preconfigured(tls.clone())
                .user_agent(config.user_agent.clone())
                .default_headers(headers)
                .connect_timeout(config.connect_timeout)
                .timeout(config.request_timeout)
                .redirect(same_origin_redirects())
                .referer(false);
            if !proxied {
                builder = builder.no_proxy();
            }
            builder.build().map_err(|error| {
                Error::Config(format!(
                    "The HTTP client could not be set up ({}). Check the proxy settings (HTTPS_PROXY, NO_PROXY).",
                    error_chain(&error)
                ))
            })
        };
        Ok(Self {
            inner: Arc::new(Inner {
                proxied: build(true)?,
                direct: build(false)?,
                trust,
                config,
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The HTTP client for `org`: direct for loopback orgs, through the proxy otherwise.
    pub(super) fn http_for(&self, org: &OrgUrl) -> &reqwest::Client {
        if org.is_loopback() {
            &self.inner.direct
        } else {
            &self.inner.proxied
        }
    }

    pub(super) fn trust(&self) -> &Trust {
        &self.inner.trust
    }
}

/// Follows a redirect only within the origin of the original request; anything else stops
/// and surfaces as a `foreign_origin` error.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() < 3 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let delays: Vec<u64> = (1..=6).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 16]);
    }

    #[test]
    fn a_bad_extra_ca_is_a_config_error() {
        let config = ClientConfig {
            extra_ca_pem: Some(b"not a certificate".to_vec()),
            ..Default::default()
        };
        let error = OktaClient::new(config).unwrap_err();
        assert_eq!(error.kind().as_str(), "config");

        let unterminated = ClientConfig {
            extra_ca_pem: Some(b"-----BEGIN CERTIFICATE-----\nMIIB\n".to_vec()),
            ..Default::default()
        };
        let message = OktaClient::new(unterminated).unwrap_err().to_string();
        assert!(message.contains("no matching END line"), "{message}");
        assert!(!message.contains('['), "no raw bytes: {message}");
    }

    #[test]
    fn poll_interval_is_never_below_okta_limit() {
        let client = OktaClient::new(ClientConfig {
            poll_interval: Duration::from_millis(10),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(client.config().poll_interval, MIN_POLL_INTERVAL);
    }
}
