//! One flow's view of the client: its org, its transcript, and the send loop every step goes
//! through (retries, rate limits, body cap, one transcript entry per attempt).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use super::cookie_jar::CookieJar;
use super::lifecycle::Lifecycle;
use super::okta_client::{ClientConfig, OktaClient};
use super::response::{
    ResponseReader, error_chain, is_json, origin_of, parse_error_body, read_capped, server_date,
    transport_error,
};
use super::retry::Retry;
use super::transcript_entry::{note_entry, request_entry};
use crate::error::{Error, Result};
use crate::org_url::OrgUrl;
use crate::secret::SecretBytes;
use crate::transcript::Transcript;
use crate::wire::Transaction;

/// One flow's view of the client: the org it talks to and the transcript it writes.
#[derive(Clone)]
pub(crate) struct Api {
    client: OktaClient,
    org: OrgUrl,
    transcript: Transcript,
    cookies: CookieJar,
    started: Instant,
    /// The sign-in's stop signal and request budget, shared by every clone.
    lifecycle: Lifecycle,
}

/// A successful answer: the transaction and the server's clock at the time, for countdowns.
pub(crate) struct Answer {
    pub transaction: Transaction,
    pub server_time: Option<SystemTime>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusOnly {
    #[serde(
        default,
        deserialize_with = "crate::plain_text::deserialize_code_option"
    )]
    status: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::plain_text::deserialize_code_option"
    )]
    factor_result: Option<String>,
}

impl Api {
    pub fn new(client: OktaClient, org: OrgUrl, transcript: Transcript) -> Self {
        Self::with_cookies(client, org, transcript, CookieJar::default())
    }

    /// An `Api` whose requests carry `cookies` (a sign-in's jar, seeded with the device
    /// cookie of an earlier sign-in) and keep what the org sets in it.
    pub fn with_cookies(
        client: OktaClient,
        org: OrgUrl,
        transcript: Transcript,
        cookies: CookieJar,
    ) -> Self {
        Self {
            client,
            org,
            transcript,
            cookies,
            started: Instant::now(),
            lifecycle: Lifecycle::default(),
        }
    }

    /// The sign-in's stop signal and request budget (see `client::lifecycle`).
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    pub fn config(&self) -> &ClientConfig {
        self.client.config()
    }

    pub(super) fn reader(&self) -> ResponseReader<'_> {
        ResponseReader::new(&self.org)
    }

    /// Turns a `_links` href into a URL, refusing any other origin.
    pub fn resolve(&self, href: &str) -> Result<Url> {
        let url = self
            .org
            .as_url()
            .join(href)
            .map_err(|_| self.reader().unexpected("a link that is not a valid URL"))?;
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
        let (status, headers, bytes) = self.post_json(url, body, retry).await?;
        let server_time = server_date(&headers);
        let transaction = self.reader().transaction_from(status, &headers, &bytes)?;
        Ok(Answer {
            transaction,
            server_time,
        })
    }

    /// Sends `body` as JSON. The body holds the state token; the buffer is zeroed once
    /// reqwest has its copy.
    async fn post_json<B: Serialize>(
        &self,
        url: &Url,
        body: &B,
        retry: Retry,
    ) -> Result<(StatusCode, HeaderMap, Zeroizing<Vec<u8>>)> {
        let body = Zeroizing::new(serde_json::to_vec(body).map_err(|error| {
            Error::Config(format!("A request could not be encoded ({error})."))
        })?);
        self.send(
            Method::POST,
            url,
            Some((body.as_slice(), "application/json")),
            retry,
            "application/json",
        )
        .await
    }

    /// A POST whose answer is not a transaction: cancel answers `{}`, an empty `_embedded` or
    /// a `relayState`. Only the HTTP status counts; an error is read as any other.
    pub async fn post_for_effect<B: Serialize>(
        &self,
        url: &Url,
        body: &B,
        retry: Retry,
    ) -> Result<()> {
        let (status, headers, bytes) = self.post_json(url, body, retry).await?;
        if status.is_success() {
            Ok(())
        } else {
            let body = parse_error_body(&headers, &bytes);
            Err(self.reader().status_error(status, body))
        }
    }

    /// A GET of a JSON document that is not a transaction (the org's security questions).
    /// Retried like a poll: it changes nothing.
    pub async fn get_json<T: DeserializeOwned>(&self, url: &Url) -> Result<T> {
        let (status, headers, bytes) = self
            .send(
                Method::GET,
                url,
                None,
                Retry::Idempotent,
                "application/json",
            )
            .await?;
        if !status.is_success() {
            let body = parse_error_body(&headers, &bytes);
            return Err(self.reader().status_error(status, body));
        }
        if !is_json(&headers) {
            return Err(self.reader().unexpected("an answer that is not JSON"));
        }
        serde_json::from_slice(&bytes).map_err(|_| {
            self.reader()
                .unexpected("a list that is not what Okta documents")
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
            return Err(self.reader().status_error(status, body));
        }
        if !bytes.starts_with(b"\x89PNG") {
            return Err(self
                .reader()
                .unexpected("a QR code that is not a PNG image"));
        }
        Ok(SecretBytes::new(bytes.to_vec()))
    }

    /// Sends one request through the retry, rate-limit and body-cap loop and hands back the
    /// raw answer, for callers that read it themselves (engine detection, IDX). `body` is the
    /// bytes and their content type.
    pub(super) async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<(&[u8], &str)>,
        retry: Retry,
        accept: &'static str,
    ) -> Result<(StatusCode, HeaderMap, Zeroizing<Vec<u8>>)> {
        let config = self.client.config();
        let http = self.client.http_for(&self.org);
        let mut failures = 0u32;
        let mut rate_limited = 0u32;
        loop {
            // Every attempt counts, 429 and retries included: they are what a loop looks like.
            self.lifecycle.spend(retry)?;
            let attempt_started = Instant::now();
            let mut request = http
                .request(method.clone(), url.clone())
                .header(header::ACCEPT, accept);
            if let Some(cookies) = self.cookies.header_for(url) {
                request = request.header(header::COOKIE, cookies);
            }
            if let Some((body, content_type)) = body {
                request = request
                    .header(header::CONTENT_TYPE, content_type)
                    .body(body.to_vec());
            }
            let outcome = self
                .lifecycle
                .unless_stopped(async {
                    match request.send().await {
                        Ok(response) => read_capped(response, config.max_body_bytes).await,
                        Err(error) => Err(error),
                    }
                })
                .await?;
            let mut entry = request_entry(self.started, &method, url, attempt_started);
            let (status, headers, bytes) = match outcome {
                Ok(parts) => parts,
                Err(error) => {
                    let mapped = transport_error(self.org.host(), &error);
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
                    self.pause(config.retry.delay(failures)).await?;
                    continue;
                }
            };
            self.cookies.store_from(url, &headers);
            entry.http_status = Some(status.as_u16());
            let error_body = (!status.is_success())
                .then(|| parse_error_body(&headers, &bytes))
                .flatten();
            if let Some(error_body) = &error_body {
                entry.error_code = Some(error_body.error_code.clone()).filter(|c| !c.is_empty());
            } else if accept == super::ion::ION_JSON {
                // IDX answers errors with its whole state: name the forms and the message.
                super::ion::summarise(&bytes, &mut entry);
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
                    // A wait beyond a day is a broken header, not advice worth showing.
                    return Err(Error::RateLimited {
                        retry_after: Some(wait).filter(|wait| *wait <= ONE_DAY),
                    });
                }
                entry.note = Some(format!("rate limited; waiting {} ms", wait.as_millis()));
                self.transcript.push(entry);
                self.pause(wait).await?;
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
                    self.pause(delay).await?;
                    continue;
                }
            }
            self.transcript.push(entry);
            return Ok((status, headers, bytes));
        }
    }

    /// Waits `wait` (a rate limit, a back-off), unless the person stops the sign-in first.
    async fn pause(&self, wait: Duration) -> Result<()> {
        self.lifecycle
            .unless_stopped(tokio::time::sleep(wait))
            .await
    }

    /// An answer a driver cannot go on from (a step without the link or form it needs), in
    /// either protocol: what was missing, and what the person can do.
    pub fn unexpected_step(&self, detail: &str) -> Error {
        Error::UnexpectedResponse {
            host: self.org.host().to_owned(),
            detail: detail.to_owned(),
            advice: "Try again; if it keeps happening, sign in through the browser and tell your help desk.",
        }
    }

    /// Records something the flow did that was not an HTTP request (e.g. a QR decode).
    pub fn note(&self, what: &str, note: String) {
        self.transcript.push(note_entry(self.started, what, note));
    }
}

const ONE_DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// How long to wait for a 429 to clear. `X-Rate-Limit-Reset` is epoch seconds on the server's
/// clock, so it is compared with the server's `Date` when ours is clearly skewed; without it,
/// `Retry-After` (seconds, or an HTTP date) says; without either, a second.
///
/// Every number here comes from the network: the arithmetic is on `Duration`s, checked, with
/// no float, so a reset of `u64::MAX` with a `Date` of 1970 is a very long wait (which the
/// caller compares with its maximum before sleeping) rather than a panic.
pub(super) fn rate_limit_wait(headers: &HeaderMap) -> Duration {
    const FALLBACK: Duration = Duration::from_secs(1);
    const ROLLED_OVER: Duration = Duration::from_millis(250);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let local = SystemTime::now();
    if let Some(reset) = header("x-rate-limit-reset").and_then(|value| value.parse::<u64>().ok()) {
        // `Date` has one-second resolution: trust the local clock unless it is clearly skewed.
        let now = server_date(headers)
            .filter(|server| {
                let skew = match server.duration_since(local) {
                    Ok(ahead) => ahead,
                    Err(behind) => behind.duration(),
                };
                skew > Duration::from_secs(2)
            })
            .unwrap_or(local);
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        // The window has already rolled over by the server's clock: a short pause suffices.
        return Duration::from_secs(reset)
            .checked_sub(now)
            .filter(|wait| !wait.is_zero())
            .unwrap_or(ROLLED_OVER);
    }
    match header("retry-after") {
        Some(value) => match value.parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => httpdate::parse_http_date(value)
                .ok()
                .and_then(|at| at.duration_since(local).ok())
                .unwrap_or(ROLLED_OVER),
        },
        None => FALLBACK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn absurd_rate_limit_headers_make_a_long_wait_not_a_panic() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::DATE,
            "Thu, 01 Jan 1970 00:00:00 GMT".parse().unwrap(),
        );
        headers.insert("x-rate-limit-reset", u64::MAX.to_string().parse().unwrap());
        assert!(rate_limit_wait(&headers) > Duration::from_secs(u64::MAX / 2));
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, u64::MAX.to_string().parse().unwrap());
        assert_eq!(rate_limit_wait(&headers), Duration::from_secs(u64::MAX));
        headers.insert(
            header::RETRY_AFTER,
            "Fri, 31 Dec 9999 23:59:59 GMT".parse().unwrap(),
        );
        assert!(rate_limit_wait(&headers) > Duration::from_secs(60));
        headers.insert(header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(rate_limit_wait(&headers), Duration::from_secs(2));
        headers.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(rate_limit_wait(&headers), Duration::from_millis(250));
    }
}
