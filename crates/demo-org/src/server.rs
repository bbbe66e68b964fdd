//! The running demo org: its public handle ([`DemoOrg`], [`Phone`]), listening, and serving
//! connections, over HTTP or HTTPS, dated by the org's clock.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::app::App;
use crate::error::DemoOrgError;
use crate::faults::{DroppedOnPurpose, FaultRule, Faults, answer_with_faults};
use crate::org::config::DemoOrgConfig;
use crate::phone::{PhoneView, PushAnswer, ScanOutcome};
use crate::rate_limit::RateLimiter;
use crate::state::{Org, OrgStats};

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

    /// The PKCE verifiers clients sent to the Identity Engine token endpoint, oldest first
    /// (the last 64). Clients make them, so unlike the org's tokens they cannot carry
    /// [`DemoOrgConfig::token_marker`]; leak tests scan for these instead.
    pub fn pkce_verifiers_seen(&self) -> Vec<String> {
        self.app
            .org
            .lock()
            .idx
            .verifiers_seen
            .iter()
            .map(|verifier| verifier.to_string())
            .collect()
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

async fn handle(
    request: Request<Incoming>,
    peer: SocketAddr,
    router: axum::Router,
    app: Arc<App>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let mut response = answer_with_faults(request, peer, router, Arc::clone(&app)).await?;
    // Okta dates its answers by its own clock. Here that is the org's clock, which tests move
    // forward: `Date`, `expiresAt` and `X-Rate-Limit-Reset` then tell one time, as Okta's do.
    // (hyper adds a wall-clock `Date` only to answers that have none.) A fault that sets a
    // `Date` of its own keeps it.
    let date = httpdate::fmt_http_date(std::time::SystemTime::from(app.org.clock.now()));
    if let Ok(date) = HeaderValue::from_str(&date) {
        response.headers_mut().entry(header::DATE).or_insert(date);
    }
    Ok(response)
}
