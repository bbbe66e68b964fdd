//! `/_demo`: the virtual phone and test controls. Loopback peers only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::app::App;
use crate::error::DemoOrgError;
use crate::faults::FaultRule;
use crate::org::inbox::InboxMessage;
use crate::org::seed::seeded_users;
use crate::phone::{PhoneView, PushAnswer, ScanOutcome};
use crate::wire::Timestamp;

pub(super) fn router(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/_demo", get(overview))
        .route("/_demo/stats", get(stats))
        .route("/_demo/reset", post(reset))
        .route("/_demo/clock", get(clock))
        .route("/_demo/clock/advance", post(advance_clock))
        .route(
            "/_demo/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_demo/phone/{login}", get(phone))
        .route("/_demo/inbox/{login}", get(inbox))
        .route("/_demo/phone/{login}/scan", post(scan))
        .route("/_demo/phone/{login}/open", post(open_link))
        .route("/_demo/phone/{login}/approve", post(approve))
        .route("/_demo/phone/{login}/reject", post(reject))
        .route_layer(middleware::from_fn_with_state(app, loopback_only))
}

async fn loopback_only(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if peer.ip().is_loopback() {
        next.run(request).await
    } else {
        demo_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "The demo controls only answer requests from this machine.".into(),
        )
    }
}

fn demo_error(status: StatusCode, kind: &str, message: String) -> Response {
    (status, Json(json!({ "error": kind, "message": message }))).into_response()
}

impl IntoResponse for DemoOrgError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::UnknownUser { .. } => StatusCode::NOT_FOUND,
            Self::NoPendingPush { .. } => StatusCode::CONFLICT,
            Self::NumberRequired { .. } | Self::QrUnreadable { .. } => StatusCode::BAD_REQUEST,
            Self::QrRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Bind { .. } | Self::InvalidConfig { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        demo_error(status, self.kind(), self.to_string())
    }
}

async fn overview(State(app): State<Arc<App>>) -> Response {
    Json(json!({
        "baseUrl": app.org.origin,
        "caPem": app.ca_pem,
        "password": app.org.config.password,
        "users": seeded_users().iter().map(|user| json!({
            "login": user.login,
            "displayName": user.display_name,
            "demonstrates": user.demonstrates,
        })).collect::<Vec<_>>(),
        "now": Timestamp(app.org.clock.now()).to_iso(),
        "stats": app.org.stats(),
    }))
    .into_response()
}

async fn stats(State(app): State<Arc<App>>) -> Response {
    Json(app.org.stats()).into_response()
}

async fn reset(State(app): State<Arc<App>>) -> StatusCode {
    app.reset();
    StatusCode::NO_CONTENT
}

fn clock_json(app: &App) -> serde_json::Value {
    json!({
        "now": Timestamp(app.org.clock.now()).to_iso(),
        "offsetSeconds": app.org.clock.offset().as_secs_f64(),
    })
}

async fn clock(State(app): State<Arc<App>>) -> Response {
    Json(clock_json(&app)).into_response()
}

#[derive(Deserialize)]
struct Advance {
    seconds: f64,
}

async fn advance_clock(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Ok(Advance { seconds }) = serde_json::from_slice(&body) else {
        return demo_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Send {\"seconds\": N} with N a number of seconds to move the clock forward.".into(),
        );
    };
    let Ok(by) = Duration::try_from_secs_f64(seconds) else {
        return demo_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "The clock only moves forward: seconds must be zero or more.".into(),
        );
    };
    app.org.clock.advance(by);
    Json(clock_json(&app)).into_response()
}

async fn list_faults(State(app): State<Arc<App>>) -> Response {
    Json(app.faults.pending()).into_response()
}

async fn add_fault(State(app): State<Arc<App>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            app.faults.add(rule);
            (StatusCode::CREATED, Json(app.faults.pending())).into_response()
        }
        Err(err) => demo_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("That is not a fault rule ({err}). See the crate docs for the format."),
        ),
    }
}

async fn clear_faults(State(app): State<Arc<App>>) -> StatusCode {
    app.faults.clear();
    StatusCode::NO_CONTENT
}

async fn phone(
    State(app): State<Arc<App>>,
    Path(login): Path<String>,
) -> Result<Json<PhoneView>, DemoOrgError> {
    app.org.phone_view(&login).map(Json)
}

async fn inbox(
    State(app): State<Arc<App>>,
    Path(login): Path<String>,
) -> Result<Json<Vec<InboxMessage>>, DemoOrgError> {
    app.org.phone_view(&login).map(|view| Json(view.inbox))
}

async fn scan(
    State(app): State<Arc<App>>,
    Path(login): Path<String>,
    png: Bytes,
) -> Result<Json<ScanOutcome>, DemoOrgError> {
    app.org.phone_scan(&login, &png).map(Json)
}

#[derive(Default, Deserialize)]
struct OpenRequest {
    link: Option<String>,
}

/// Taps an activation link: `{"link": …}`, or with no body the newest one in the inbox.
async fn open_link(
    State(app): State<Arc<App>>,
    Path(login): Path<String>,
    body: Bytes,
) -> Response {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        OpenRequest::default()
    } else {
        match serde_json::from_slice::<Option<OpenRequest>>(&body) {
            Ok(request) => request.unwrap_or_default(),
            Err(_) => {
                return demo_error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "Send no body (the newest link in the inbox), or {\"link\": \"…\"} with the link to open.".into(),
                );
            }
        }
    };
    match app.org.phone_open_link(&login, request.link) {
        Ok(outcome) => Json(outcome).into_response(),
        Err(err) => err.into_response(),
    }
}

#[derive(Default, Deserialize)]
struct ApproveRequest {
    number: Option<u8>,
}

async fn approve(State(app): State<Arc<App>>, Path(login): Path<String>, body: Bytes) -> Response {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveRequest::default()
    } else {
        match serde_json::from_slice::<Option<ApproveRequest>>(&body) {
            Ok(request) => request.unwrap_or_default(),
            Err(_) => {
                return demo_error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "Send no body, or {\"number\": N} with the number the desktop shows.".into(),
                );
            }
        }
    };
    answer(app.org.phone_answer(&login, true, request.number))
}

async fn reject(State(app): State<Arc<App>>, Path(login): Path<String>) -> Response {
    answer(app.org.phone_answer(&login, false, None))
}

fn answer(result: Result<PushAnswer, DemoOrgError>) -> Response {
    match result {
        Ok(answer) => Json(json!({ "result": answer })).into_response(),
        Err(err) => err.into_response(),
    }
}
