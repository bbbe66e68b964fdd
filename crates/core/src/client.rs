//! The HTTP side: TLS, proxies, timeouts, body caps, rate limits, retries and the transcript.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Serialize;
use url::Url;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::secret::SecretBytes;
use crate::transcript::{Transcript, TranscriptEntry};
use crate::wire::{OktaErrorBody, Transaction};

/// Okta's per-user limit on `/api/v1/authn` is 4 requests per second; polls stay well below.
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// Query parameters that carry no secret and explain a step in the transcript.
const SAFE_QUERY_PARAMS: &[&str] = &["autoPush", "rememberDevice"];

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
    fn delay(&self, failures: u32) -> Duration {
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
        let tls = tls_config(config.extra_ca_pem.as_deref())?;
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
                config,
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    fn http_for(&self, org: &OrgUrl) -> &reqwest::Client {
        if org.is_loopback() {
            &self.inner.direct
        } else {
            &self.inner.proxied
        }
    }
}

const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_END: &str = "-----END CERTIFICATE-----";

/// Certificates pasted from an e-mail or a web page often lose their line breaks, or gain
/// spaces; PEM parsers want each marker on a line of its own. Every complete BEGIN...END
/// block is rewritten in the standard layout; text without one is left for the parser to
/// report.
fn normalise_pem(pem: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(pem) else {
        return pem.to_vec();
    };
    let mut normalised = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(PEM_BEGIN) {
        let after_begin = &rest[start + PEM_BEGIN.len()..];
        let Some(end) = after_begin.find(PEM_END) else {
            break;
        };
        let body: String = after_begin[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        normalised.push_str(PEM_BEGIN);
        normalised.push('\n');
        for line in body.as_bytes().chunks(64) {
            normalised.push_str(&String::from_utf8_lossy(line));
            normalised.push('\n');
        }
        normalised.push_str(PEM_END);
        normalised.push('\n');
        rest = &after_begin[end + PEM_END.len()..];
    }
    if normalised.is_empty() {
        pem.to_vec()
    } else {
        normalised.into_bytes()
    }
}

/// What is wrong with PEM text, in words (the parser's own message lists raw bytes).
fn pem_problem(error: &rustls::pki_types::pem::Error) -> &'static str {
    use rustls::pki_types::pem::Error as Pem;
    match error {
        Pem::MissingSectionEnd { .. } => "a BEGIN line has no matching END line",
        Pem::IllegalSectionStart { .. } => "a BEGIN line is malformed",
        Pem::Base64Decode(_) => "the text between BEGIN and END is not a valid certificate",
        _ => "it is not PEM text",
    }
}

fn tls_config(extra_ca_pem: Option<&[u8]>) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut extra_roots = Vec::new();
    if let Some(pem) = extra_ca_pem {
        let pem = normalise_pem(pem);
        for certificate in CertificateDer::pem_slice_iter(&pem) {
            extra_roots.push(certificate.map_err(|error| {
                Error::Config(format!(
                    "The extra CA certificate could not be read: {}. Use PEM text with one or more \"BEGIN CERTIFICATE\" blocks.",
                    pem_problem(&error)
                ))
            })?);
        }
        if extra_roots.is_empty() {
            return Err(Error::Config(
                "The extra CA certificate file holds no certificate. Use a PEM file with one or more \"BEGIN CERTIFICATE\" blocks.".into(),
            ));
        }
    }
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
            .map_err(|error| {
                Error::Config(format!(
                    "The system's trusted certificates could not be loaded ({error}). Check the extra CA certificate, or the system certificate store."
                ))
            })?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Config(format!("TLS could not be set up ({error}).")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
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

/// Whether a failed request may be sent again. Only polls are: they change nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Polls: back off and retry on network errors and 5xx.
    Idempotent,
    /// Steps that change something (send a push, check a code, enroll): retried only when
    /// the request certainly never reached the server (connection refused, 429).
    Never,
}

/// One flow's view of the client: the org it talks to and the transcript it writes.
#[derive(Clone)]
pub(crate) struct Api {
    client: OktaClient,
    org: OrgUrl,
    transcript: Transcript,
    started: Instant,
}

/// A successful answer: the transaction and the server's clock at the time, for countdowns.
pub(crate) struct Answer {
    pub transaction: Transaction,
    pub server_time: Option<SystemTime>,
}

impl Api {
    pub fn new(client: OktaClient, org: OrgUrl, transcript: Transcript) -> Self {
        Self {
            client,
            org,
            transcript,
            started: Instant::now(),
        }
    }

    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    pub fn config(&self) -> &ClientConfig {
        self.client.config()
    }

    /// Turns a `_links` href into a URL, refusing any other origin.
    pub fn resolve(&self, href: &str) -> Result<Url> {
        let url = self
            .org
            .as_url()
            .join(href)
            .map_err(|_| self.unexpected("a link that is not a valid URL"))?;
        if self.org.is_same_origin(&url) {
            Ok(url)
        } else {
            Err(Error::ForeignOrigin {
                org: self.org.to_string(),
                target: origin_of(&url),
            })
        }
    }

    pub async fn post<B: Serialize>(&self, url: &Url, body: &B, retry: Retry) -> Result<Answer> {
        // The body holds the state token; the buffer is zeroed once reqwest has its copy.
        let body = Zeroizing::new(serde_json::to_vec(body).map_err(|error| {
            Error::Config(format!("A request could not be encoded ({error})."))
        })?);
        let (status, headers, bytes) = self
            .send(
                Method::POST,
                url,
                Some(body.as_slice()),
                retry,
                "application/json",
            )
            .await?;
        let server_time = headers
            .get(header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| httpdate::parse_http_date(value).ok());
        let transaction = self.transaction_from(status, &headers, &bytes)?;
        Ok(Answer {
            transaction,
            server_time,
        })
    }

    /// Fetches the single-use enrollment QR image. Never retried after it may have been
    /// served: a second fetch would be refused.
    pub async fn get_png(&self, url: &Url) -> Result<SecretBytes> {
        let (status, headers, bytes) = self
            .send(Method::GET, url, None, Retry::Never, "image/png")
            .await?;
        if !status.is_success() {
            let body = parse_error_body(&headers, &bytes);
            return Err(self.status_error(status, body));
        }
        if !bytes.starts_with(b"\x89PNG") {
            return Err(self.unexpected("a QR code that is not a PNG image"));
        }
        Ok(SecretBytes::new(bytes.to_vec()))
    }

    async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        retry: Retry,
        accept: &'static str,
    ) -> Result<(StatusCode, HeaderMap, Zeroizing<Vec<u8>>)> {
        let config = self.client.config();
        let http = self.client.http_for(&self.org);
        let mut failures = 0u32;
        let mut rate_limited = 0u32;
        loop {
            let attempt_started = Instant::now();
            let mut request = http
                .request(method.clone(), url.clone())
                .header(header::ACCEPT, accept);
            if let Some(body) = body {
                request = request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body.to_vec());
            }
            let outcome = match request.send().await {
                Ok(response) => self.read_body(response).await,
                Err(error) => Err(error),
            };
            let mut entry = self.entry(&method, url, attempt_started);
            let (status, headers, bytes) = match outcome {
                Ok(parts) => parts,
                Err(error) => {
                    let mapped = self.transport_error(&error);
                    failures += 1;
                    // A step is sent again only if it never left this machine, and only once:
                    // an org that cannot be reached should say so quickly. A TLS failure will
                    // not heal by itself.
                    let attempts = match retry {
                        Retry::Idempotent => config.retry.attempts,
                        Retry::Never if error.is_connect() => config.retry.attempts.min(2),
                        Retry::Never => 1,
                    };
                    let give_up = matches!(mapped, Error::Tls { .. }) || failures >= attempts;
                    entry.note = Some(if give_up {
                        mapped.to_string()
                    } else {
                        let delay = config.retry.delay(failures);
                        format!(
                            "{}; retrying in {} ms",
                            error_chain(&error),
                            delay.as_millis()
                        )
                    });
                    self.transcript.push(entry);
                    if give_up {
                        return Err(mapped);
                    }
                    tokio::time::sleep(config.retry.delay(failures)).await;
                    continue;
                }
            };
            entry.http_status = Some(status.as_u16());
            let error_body = (!status.is_success())
                .then(|| parse_error_body(&headers, &bytes))
                .flatten();
            if let Some(error_body) = &error_body {
                entry.error_code = Some(error_body.error_code.clone()).filter(|c| !c.is_empty());
            } else if status.is_success()
                && accept == "application/json"
                && let Ok(summary) = serde_json::from_slice::<StatusOnly>(&bytes)
            {
                entry.okta_status = summary.status;
                entry.factor_result = summary.factor_result;
            }

            if status == StatusCode::TOO_MANY_REQUESTS
                && error_body
                    .as_ref()
                    .is_none_or(|body| body.error_code != "E0000109")
            {
                // A 429 was not processed, so sending it again is safe even for steps.
                let wait = rate_limit_wait(&headers);
                rate_limited += 1;
                if rate_limited > 3 || wait > config.max_rate_limit_wait {
                    entry.note = Some("rate limited; giving up".into());
                    self.transcript.push(entry);
                    return Err(Error::RateLimited {
                        retry_after: Some(wait),
                    });
                }
                entry.note = Some(format!("rate limited; waiting {} ms", wait.as_millis()));
                self.transcript.push(entry);
                tokio::time::sleep(wait).await;
                continue;
            }

            if status.is_server_error() && retry == Retry::Idempotent {
                failures += 1;
                if failures < config.retry.attempts {
                    let delay = config.retry.delay(failures);
                    entry.note = Some(format!(
                        "server error; retrying in {} ms",
                        delay.as_millis()
                    ));
                    self.transcript.push(entry);
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            self.transcript.push(entry);
            return Ok((status, headers, bytes));
        }
    }

    async fn read_body(
        &self,
        mut response: reqwest::Response,
    ) -> reqwest::Result<(StatusCode, HeaderMap, Zeroizing<Vec<u8>>)> {
        let status = response.status();
        let headers = response.headers().clone();
        let cap = self.client.config().max_body_bytes;
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

    fn transaction_from(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        bytes: &[u8],
    ) -> Result<Transaction> {
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
        serde_json::from_slice::<Transaction>(bytes).map_err(|error| {
            if error.is_eof() {
                self.unexpected_with(
                    "an answer that was cut off",
                    "The connection may be unstable; try again.",
                )
            } else {
                self.unexpected(&format!(
                    "an answer that is not an Okta transaction ({error})"
                ))
            }
        })
    }

    fn status_error(&self, status: StatusCode, body: Option<OktaErrorBody>) -> Error {
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

    fn not_json(&self, bytes: &[u8]) -> Error {
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

    fn transport_error(&self, error: &reqwest::Error) -> Error {
        let host = self.org.host().to_owned();
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

    fn unexpected(&self, detail: &str) -> Error {
        self.unexpected_with(detail, "Check the org URL and try again.")
    }

    fn unexpected_with(&self, detail: &str, advice: &'static str) -> Error {
        Error::UnexpectedResponse {
            host: self.org.host().to_owned(),
            detail: detail.to_owned(),
            advice,
        }
    }

    fn entry(&self, method: &Method, url: &Url, attempt_started: Instant) -> TranscriptEntry {
        TranscriptEntry {
            at_ms: millis(attempt_started.duration_since(self.started)),
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

    /// Records something the flow did that was not an HTTP request (e.g. a QR decode).
    pub fn note(&self, what: &str, note: String) {
        let now = Instant::now();
        self.transcript.push(TranscriptEntry {
            at_ms: millis(now.duration_since(self.started)),
            method: "-".into(),
            path: what.into(),
            http_status: None,
            okta_status: None,
            factor_result: None,
            elapsed_ms: 0,
            error_code: None,
            note: Some(note),
        });
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusOnly {
    status: Option<String>,
    factor_result: Option<String>,
}

/// An impossible JSON prefix marks a body that was cut off at the cap.
const OVERSIZED: &[u8] = b"\0oversized";

fn oversized_marker() -> Zeroizing<Vec<u8>> {
    Zeroizing::new(OVERSIZED.to_vec())
}

fn is_oversized(bytes: &[u8]) -> bool {
    bytes == OVERSIZED
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let media_type = value.split(';').next().unwrap_or_default().trim();
            media_type.eq_ignore_ascii_case("application/json") || media_type.ends_with("+json")
        })
}

fn parse_error_body(headers: &HeaderMap, bytes: &[u8]) -> Option<OktaErrorBody> {
    if !is_json(headers) || is_oversized(bytes) {
        return None;
    }
    serde_json::from_slice::<OktaErrorBody>(bytes)
        .ok()
        .filter(|body| !body.error_code.is_empty())
}

/// How long to wait for a 429 to clear. `X-Rate-Limit-Reset` is epoch seconds on the server's
/// clock, so it is compared with the server's `Date` when there is one.
fn rate_limit_wait(headers: &HeaderMap) -> Duration {
    const FALLBACK: Duration = Duration::from_secs(1);
    let reset = headers
        .get("x-rate-limit-reset")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let local = SystemTime::now();
    // `Date` has one-second resolution: trust the local clock unless it is clearly skewed.
    let now = headers
        .get(header::DATE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| httpdate::parse_http_date(value).ok())
        .filter(|server| {
            let skew = match server.duration_since(local) {
                Ok(ahead) => ahead,
                Err(behind) => behind.duration(),
            };
            skew > Duration::from_secs(2)
        })
        .unwrap_or(local);
    let Some(reset) = reset else {
        return FALLBACK;
    };
    let now_secs = now
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs_f64())
        .unwrap_or_default();
    let wait = reset as f64 - now_secs;
    if wait <= 0.0 {
        // The window has already rolled over by the server's clock: a short pause suffices.
        Duration::from_millis(250)
    } else {
        Duration::from_secs_f64(wait)
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

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
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
fn error_chain(error: &reqwest::Error) -> String {
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

    #[test]
    fn rate_limit_wait_uses_the_server_clock_when_ours_is_skewed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::DATE,
            "Sat, 28 Nov 2020 10:00:00 GMT".parse().unwrap(),
        );
        let date = httpdate::parse_http_date("Sat, 28 Nov 2020 10:00:00 GMT").unwrap();
        let reset = date.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3;
        headers.insert("x-rate-limit-reset", reset.to_string().parse().unwrap());
        assert_eq!(rate_limit_wait(&headers), Duration::from_secs(3));
        headers.insert("x-rate-limit-reset", "0".parse().unwrap());
        assert_eq!(rate_limit_wait(&headers), Duration::from_millis(250));
    }

    #[test]
    fn rate_limit_wait_is_precise_when_the_clocks_agree() {
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        headers.insert(header::DATE, httpdate::fmt_http_date(now).parse().unwrap());
        let reset = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 1;
        headers.insert("x-rate-limit-reset", reset.to_string().parse().unwrap());
        assert!(rate_limit_wait(&headers) <= Duration::from_secs(1));
    }

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
            extra_ca_pem: Some(format!("{PEM_BEGIN}\nMIIB\n").into_bytes()),
            ..Default::default()
        };
        let message = OktaClient::new(unterminated).unwrap_err().to_string();
        assert!(message.contains("no matching END line"), "{message}");
        assert!(!message.contains('['), "no raw bytes: {message}");
    }

    #[test]
    fn pasted_pem_is_laid_out_again() {
        let body = "QUJD".repeat(40);
        let squashed =
            format!("junk {PEM_BEGIN}{body} {PEM_END} more {PEM_BEGIN} QUJD\r\nQUJD {PEM_END}");
        let normalised = String::from_utf8(normalise_pem(squashed.as_bytes())).unwrap();
        let lines: Vec<&str> = normalised.lines().collect();
        assert_eq!(lines[0], PEM_BEGIN);
        assert_eq!(lines[1].len(), 64);
        assert!(
            lines
                .iter()
                .all(|line| line.len() <= 64 || line.starts_with("-----"))
        );
        assert_eq!(lines.iter().filter(|line| **line == PEM_END).count(), 2);
        assert!(lines.contains(&"QUJDQUJD"));
        assert_eq!(normalise_pem(b"not pem"), b"not pem");
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
