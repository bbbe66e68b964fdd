//! Listening, serving connections, and applying injected faults around the router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::app::App;
use crate::config::DemoOrgConfig;
use crate::error::DemoOrgError;
use crate::faults::{Fault, FaultRule, Faults};
use crate::org::{Org, OrgStats};
use crate::phone::{PhoneView, PushAnswer, ScanOutcome};
use crate::rate_limit::RateLimiter;
use crate::wire::ApiError;

/// A running demo org. Dropping it without [`DemoOrg::shutdown`] also stops the server.
pub struct DemoOrg {
    base_url: url::Url,
    ca_pem: Option<String>,
    app: Arc<App>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for DemoOrg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoOrg")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl DemoOrg {
    /// Binds and starts serving; returns once the port accepts connections.
    pub async fn start(config: DemoOrgConfig) -> Result<DemoOrg, DemoOrgError> {
        config.validate()?;
        let requested = SocketAddr::new(config.host, config.port);
        let listener = TcpListener::bind(requested)
            .await
            .map_err(|source| DemoOrgError::Bind {
                addr: requested,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| DemoOrgError::Bind {
            addr: requested,
            source,
        })?;
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let host = match &config.public_host {
            Some(name) => name.clone(),
            None if local.is_ipv6() => format!("[{}]", local.ip()),
            None => local.ip().to_string(),
        };
        let origin = format!("{scheme}://{host}:{}", local.port());
        let base_url = url::Url::parse(&origin).map_err(|err| DemoOrgError::InvalidConfig {
            setting: "host",
            reason: err.to_string(),
        })?;
        let tls = match &config.tls {
            Some(options) => Some(crate::tls::generate(
                options,
                host.trim_start_matches('[').trim_end_matches(']'),
            )?),
            None => None,
        };
        let ca_pem = tls.as_ref().map(|tls| tls.ca_pem.clone());
        let acceptor = tls.map(|tls| tls.acceptor);
        let issuer = format!("{host}:{}", local.port());
        let limiter = RateLimiter::new(config.rate_limit_per_second);
        let app = Arc::new(App {
            org: Org::new(config, origin, issuer),
            faults: Faults::default(),
            limiter,
            ca_pem: ca_pem.clone(),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(serve(listener, acceptor, app.clone(), stopped));
        tracing::info!(url = %base_url, "demo org listening");
        Ok(DemoOrg {
            base_url,
            ca_pem,
            app,
            stop,
            task: Some(task),
        })
    }

    /// The org URL, e.g. `http://127.0.0.1:43121/`. Links the org hands out start with it.
    pub fn base_url(&self) -> &url::Url {
        &self.base_url
    }

    /// The PEM of the certificate authority that signed the org's HTTPS certificate, when
    /// serving HTTPS: what a client must trust to connect. Not a secret.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The virtual phone of `login`, for driving it in-process instead of over `/_demo`.
    pub fn phone(&self, login: &str) -> Phone<'_> {
        Phone {
            app: &self.app,
            login: login.to_owned(),
        }
    }

    /// Moves the org's clock forward (expiry, lifetimes, TOTP windows).
    pub fn advance_clock(&self, by: Duration) {
        self.app.org.clock.advance(by);
    }

    /// Queues a fault, as `POST /_demo/faults` does.
    pub fn inject_fault(&self, rule: FaultRule) {
        self.app.faults.add(rule);
    }

    /// Faults still queued, as `GET /_demo/faults` lists them. A fault leaves the queue when
    /// a request picks it up, so an empty queue means every injected fault has been served.
    pub fn pending_faults(&self) -> Vec<FaultRule> {
        self.app.faults.pending()
    }

    /// Back to the seeded state: users, clock, faults and rate limits, as `POST /_demo/reset`.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// What the org currently holds in memory.
    pub fn stats(&self) -> OrgStats {
        self.app.org.stats()
    }

    /// Stops accepting connections and closes the open ones.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DemoOrg {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A seeded user's virtual phone.
pub struct Phone<'org> {
    app: &'org App,
    login: String,
}

impl Phone<'_> {
    pub fn view(&self) -> Result<PhoneView, DemoOrgError> {
        self.app.org.phone_view(&self.login)
    }

    /// Approves the newest waiting push; `number` is required for number challenges and a
    /// wrong one rejects the push.
    pub fn approve(&self, number: Option<u8>) -> Result<PushAnswer, DemoOrgError> {
        self.app.org.phone_answer(&self.login, true, number)
    }

    pub fn reject(&self) -> Result<PushAnswer, DemoOrgError> {
        self.app.org.phone_answer(&self.login, false, None)
    }

    /// Scans a QR code PNG and does what its URI says.
    pub fn scan(&self, png: &[u8]) -> Result<ScanOutcome, DemoOrgError> {
        self.app.org.phone_scan(&self.login, png)
    }
}

async fn serve(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    app: Arc<App>,
    mut stopped: watch::Receiver<bool>,
) {
    let router = crate::routes::router(app.clone());
    // Connection tasks live in the set, so stopping the server aborts them all.
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(%err, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let app = app.clone();
        let acceptor = acceptor.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                handle(request, peer, router.clone(), app.clone())
            });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.keep_alive(true);
            match acceptor {
                None => {
                    let _ = http.serve_connection(TokioIo::new(stream), service).await;
                }
                Some(acceptor) => match acceptor.accept(stream).await {
                    Ok(stream) => {
                        let _ = http.serve_connection(TokioIo::new(stream), service).await;
                    }
                    // A client that refuses the certificate hangs up here; that is its call.
                    Err(err) => tracing::debug!(%err, "TLS handshake failed"),
                },
            }
        });
    }
}

/// Returned to hyper to close a connection without answering (the `drop` fault).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose by an injected fault")]
struct DroppedOnPurpose;

async fn handle(
    request: Request<Incoming>,
    peer: SocketAddr,
    router: axum::Router,
    app: Arc<App>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let mut response = answer(request, peer, router, Arc::clone(&app)).await?;
    // Okta dates its answers by its own clock. Here that is the org's clock, which tests move
    // forward: `Date`, `expiresAt` and `X-Rate-Limit-Reset` then tell one time, as Okta's do.
    // (hyper adds a wall-clock `Date` only to answers that have none.)
    let date = httpdate::fmt_http_date(std::time::SystemTime::from(app.org.clock.now()));
    if let Ok(date) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, date);
    }
    Ok(response)
}

async fn answer(
    mut request: Request<Incoming>,
    peer: SocketAddr,
    router: axum::Router,
    app: Arc<App>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    request.extensions_mut().insert(ConnectInfo(peer));
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let fault = app.faults.take(&method, &path);
    if let Some(fault) = &fault {
        tracing::debug!(?fault, %method, %path, "injecting fault");
    }
    let rewrite = match fault {
        None => None,
        Some(Fault::Drop) => return Err(DroppedOnPurpose),
        Some(Fault::Delay { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            None
        }
        Some(Fault::Status {
            status,
            error_code,
            error_summary,
        }) => return Ok(status_fault(status, error_code, error_summary)),
        Some(Fault::Html { status }) => return Ok(html_fault(status)),
        Some(Fault::Oversized { bytes }) => return Ok(oversized_fault(bytes)),
        Some(Fault::RateLimitBurst) => return Ok(rate_limit_fault(app.org.clock.now())),
        Some(Fault::UnreadableQr) => return Ok(unreadable_qr_fault()),
        Some(Fault::Redirect { location }) => {
            let location = location.unwrap_or_else(|| format!("http://redirected.invalid{path}"));
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return Ok(response);
        }
        Some(rewrite) => Some(rewrite),
    };
    let response = match router.oneshot(request.map(Body::new)).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    match rewrite {
        None => Ok(response),
        Some(fault) => Ok(rewrite_response(response, fault, &app.org.origin).await),
    }
}

fn status_fault(
    status: u16,
    error_code: Option<String>,
    error_summary: Option<String>,
) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "errorCode": error_code.clone().unwrap_or_else(|| "E0000009".into()),
        "errorSummary": error_summary.unwrap_or_else(|| "Internal Server Error".into()),
        "errorLink": error_code.unwrap_or_else(|| "E0000009".into()),
        "errorId": crate::ids::object_id("oae"),
        "errorCauses": [],
    });
    json_response(status, body.to_string().into_bytes())
}

fn html_fault(status: u16) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(
        "<!doctype html><html><head><title>Service unavailable</title></head>\
         <body><h1>We'll be right back</h1><p>This site is under maintenance.</p></body></html>",
    ));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn oversized_fault(bytes: usize) -> Response<Body> {
    let prefix = br#"{"status":"MFA_REQUIRED","padding":""#;
    let suffix = br#""}"#;
    let padding = bytes.saturating_sub(prefix.len() + suffix.len());
    let mut body = Vec::with_capacity(bytes.max(prefix.len() + suffix.len()));
    body.extend_from_slice(prefix);
    body.resize(prefix.len() + padding, b'x');
    body.extend_from_slice(suffix);
    json_response(StatusCode::OK, body)
}

fn unreadable_qr_fault() -> Response<Body> {
    let mut response = Response::new(Body::from(crate::qr::blank_png()));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    response
}

fn rate_limit_fault(now: time::OffsetDateTime) -> Response<Body> {
    let mut response = ApiError::rate_limited().into_response_body();
    let reset = crate::rate_limit::reset_epoch_seconds(now);
    let headers = response.headers_mut();
    headers.insert("x-rate-limit-limit", HeaderValue::from(600u32));
    headers.insert("x-rate-limit-remaining", HeaderValue::from(0u32));
    headers.insert("x-rate-limit-reset", HeaderValue::from(reset));
    response
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Faults that answer normally first and then spoil the answer.
async fn rewrite_response(
    response: Response<Body>,
    fault: Fault,
    own_origin: &str,
) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let new_body: Vec<u8> = match fault {
        Fault::TruncatedJson => bytes[..bytes.len() / 2].to_vec(),
        other => match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut json) => {
                match other {
                    Fault::ForeignLink { origin } => {
                        let foreign = origin.unwrap_or_else(|| "http://foreign.invalid".into());
                        rewrite_hrefs(&mut json, own_origin, foreign.trim_end_matches('/'));
                    }
                    Fault::UnknownStatus { status } => {
                        if let Some(object) = json.as_object_mut() {
                            object.insert(
                                "status".into(),
                                Value::String(status.unwrap_or_else(|| "SOMETHING_NEW".into())),
                            );
                        }
                    }
                    Fault::UnknownFactorResult { factor_result } => {
                        if let Some(object) = json.as_object_mut() {
                            object.insert(
                                "factorResult".into(),
                                Value::String(
                                    factor_result.unwrap_or_else(|| "SOMETHING_NEW".into()),
                                ),
                            );
                        }
                    }
                    _ => {}
                }
                json.to_string().into_bytes()
            }
            Err(_) => bytes.to_vec(),
        },
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(new_body.len()));
    Response::from_parts(parts, Body::from(new_body))
}

fn rewrite_hrefs(value: &mut Value, own_origin: &str, foreign: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "href" {
                    if let Value::String(href) = child
                        && let Some(rest) = href.strip_prefix(own_origin)
                    {
                        *href = format!("{foreign}{rest}");
                    }
                } else {
                    rewrite_hrefs(child, own_origin, foreign);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_hrefs(item, own_origin, foreign)),
        _ => {}
    }
}

impl ApiError {
    fn into_response_body(self) -> Response<Body> {
        json_response(self.status, self.body_json().to_string().into_bytes())
    }
}
