//! The Classic self-service recovery routes under `/api/v1/authn/recovery` and
//! `/api/v1/authn/credentials/reset_password`. Thin: parse, call the org's recovery steps
//! (`classic/steps/recovery.rs`), answer. `authn` puts them behind the per-user rate limit.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::app::App;
use crate::classic::steps::recovery::RecoveryStart;
use crate::org::recovery::RecoveryType;
use crate::wire::{ApiError, TransactionBody, json_body};

type Reply = Result<Json<TransactionBody>, ApiError>;

pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/authn/recovery/password", post(forgot_password))
        .route("/api/v1/authn/recovery/unlock", post(unlock_account))
        .route(
            "/api/v1/authn/recovery/factors/{factor_type}/verify",
            post(verify_factor),
        )
        .route(
            "/api/v1/authn/recovery/factors/{factor_type}/resend",
            post(resend_factor),
        )
        .route("/api/v1/authn/recovery/token", post(verify_token))
        .route("/api/v1/authn/recovery/answer", post(answer))
        .route(
            "/api/v1/authn/credentials/reset_password",
            post(reset_password),
        )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartRequest {
    username: Option<String>,
    factor_type: Option<String>,
    relay_state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecoveryRequest {
    state_token: Option<String>,
    pass_code: Option<String>,
    recovery_token: Option<String>,
    answer: Option<Zeroizing<String>>,
    new_password: Option<Zeroizing<String>>,
}

impl RecoveryRequest {
    fn state_token(&self) -> Result<&str, ApiError> {
        self.state_token
            .as_deref()
            .filter(|token| !token.is_empty())
            .ok_or_else(|| ApiError::validation("stateToken: The field cannot be left blank"))
    }
}

fn start(app: &App, kind: RecoveryType, body: &Bytes) -> Reply {
    let request: StartRequest = json_body(body)?;
    app.org
        .start_recovery(RecoveryStart {
            kind,
            username: request.username.unwrap_or_default(),
            factor_type: request.factor_type,
            relay_state: request.relay_state,
        })
        .map(Json)
}

async fn forgot_password(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    start(&app, RecoveryType::Password, &body)
}

async fn unlock_account(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    start(&app, RecoveryType::Unlock, &body)
}

async fn verify_factor(
    State(app): State<Arc<App>>,
    Path(factor_type): Path<String>,
    body: Bytes,
) -> Reply {
    let request: RecoveryRequest = json_body(&body)?;
    app.org
        .verify_recovery_factor(
            request.state_token()?,
            &factor_type,
            request.pass_code.as_deref(),
        )
        .map(Json)
}

async fn resend_factor(
    State(app): State<Arc<App>>,
    Path(factor_type): Path<String>,
    body: Bytes,
) -> Reply {
    let request: RecoveryRequest = json_body(&body)?;
    app.org
        .resend_recovery_factor(request.state_token()?, &factor_type)
        .map(Json)
}

async fn verify_token(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let request: RecoveryRequest = json_body(&body)?;
    app.org
        .verify_recovery_token(request.recovery_token.as_deref().unwrap_or_default())
        .map(Json)
}

async fn answer(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let request: RecoveryRequest = json_body(&body)?;
    let answer = request.answer.clone().unwrap_or_default();
    app.org
        .answer_recovery_question(request.state_token()?, &answer)
        .map(Json)
}

async fn reset_password(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let request: RecoveryRequest = json_body(&body)?;
    let new_password = request.new_password.clone().unwrap_or_default();
    app.org
        .reset_password(request.state_token()?, &new_password)
        .map(Json)
}
