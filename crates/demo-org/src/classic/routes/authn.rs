//! `/api/v1/authn*` and the factor QR image, behind Okta's per-user rate limit.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::app::App;
use crate::classic::steps::enrollment::{ActivationChannel, EnrollRequest};
use crate::classic::steps::primary_auth::PrimaryAuth;
use crate::classic::steps::verification::{Proof, VerifyOptions};
use crate::classic::user_factors::QuestionBody;
use crate::cookies::cookie_value;
use crate::org::remembered_devices::{DEVICE_COOKIE, device_cookie, new_device_token};
use crate::wire::{ApiError, CancelledBody, TransactionBody, json_body};

type Reply = Result<Json<TransactionBody>, ApiError>;

/// Bodies larger than this are refused before parsing; authn bodies are tiny.
const MAX_BODY: usize = 64 * 1024;

pub(super) fn router(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/authn", post(primary))
        .route("/api/v1/authn/factors", post(enroll))
        .route(
            "/api/v1/authn/factors/{factor_id}/lifecycle/activate",
            post(activate),
        )
        .route(
            "/api/v1/authn/factors/{factor_id}/lifecycle/activate/poll",
            post(activate_poll),
        )
        .route(
            "/api/v1/authn/factors/{factor_id}/lifecycle/activate/email",
            post(activate_email),
        )
        .route(
            "/api/v1/authn/factors/{factor_id}/lifecycle/activate/sms",
            post(activate_sms),
        )
        .route(
            "/api/v1/authn/factors/{factor_id}/lifecycle/resend",
            post(resend_activation),
        )
        .route("/api/v1/authn/factors/{factor_id}/verify", post(verify))
        .route(
            "/api/v1/authn/factors/{factor_id}/verify/resend",
            post(resend),
        )
        .route("/api/v1/authn/previous", post(previous))
        .route("/api/v1/authn/skip", post(skip))
        .route("/api/v1/authn/cancel", post(cancel))
        .route(
            "/api/v1/authn/credentials/change_password",
            post(change_password),
        )
        .merge(super::recovery::routes())
        .route_layer(middleware::from_fn_with_state(app, rate_limit))
        .route(
            "/api/v1/users/{user_id}/factors/{factor_id}/qr/{qr_token}",
            get(qr_code),
        )
        .route("/api/v1/users/{user_id}/factors/questions", get(questions))
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RateLimitProbe {
    username: Option<String>,
    state_token: Option<String>,
}

/// Counts the request against its user and sets `X-Rate-Limit-*` on every response.
async fn rate_limit(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::malformed_body().into_response();
    };
    let probe: RateLimitProbe = serde_json::from_slice(&bytes).unwrap_or_default();
    let key = app
        .org
        .rate_limit_key(probe.username.as_deref(), probe.state_token.as_deref());
    app.limiter
        .answer(&key, app.org.clock.now(), parts, bytes, next)
        .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrimaryRequest {
    username: Option<String>,
    password: Option<Zeroizing<String>>,
    state_token: Option<String>,
    #[serde(default)]
    options: PrimaryOptions,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrimaryOptions {
    #[serde(default)]
    multi_optional_factor_enroll: bool,
    #[serde(default)]
    warn_before_password_expired: bool,
}

/// Primary authentication (or resuming a transaction by its state token). A client that
/// sent no device cookie is given one, as Okta does, so it can be remembered later.
async fn primary(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: PrimaryRequest = json_body(&body)?;
    if let Some(state_token) = request.state_token.filter(|_| request.username.is_none()) {
        return app
            .org
            .resume(&state_token)
            .map(|body| Json(body).into_response());
    }
    let sent = cookie_value(&headers, DEVICE_COOKIE).map(str::to_owned);
    let device_token = sent
        .clone()
        .unwrap_or_else(|| new_device_token(&app.org.config.token_marker));
    let body = app.org.primary_auth(PrimaryAuth {
        username: request.username.unwrap_or_default(),
        password: request.password.unwrap_or_default(),
        warn_before_password_expired: request.options.warn_before_password_expired,
        multi_optional_factor_enroll: request.options.multi_optional_factor_enroll,
        device_token: Some(device_token.clone()),
    })?;
    let mut response = Json(body).into_response();
    if sent.is_none() {
        let secure = app.org.origin.starts_with("https:");
        if let Ok(cookie) = HeaderValue::from_str(&device_cookie(&device_token, secure)) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
    }
    Ok(response)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StateTokenRequest {
    state_token: Option<String>,
    factor_type: Option<String>,
    provider: Option<String>,
    pass_code: Option<String>,
    answer: Option<Zeroizing<String>>,
    old_password: Option<Zeroizing<String>>,
    new_password: Option<Zeroizing<String>>,
    #[serde(default)]
    profile: FactorProfile,
}

/// A factor's `profile` in a request: the phone (SMS, voice call, an activation link by SMS)
/// or the security question and its answer.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FactorProfile {
    phone_number: Option<String>,
    question: Option<String>,
    answer: Option<Zeroizing<String>>,
}

impl StateTokenRequest {
    fn parse(body: &Bytes) -> Result<(Self, String), ApiError> {
        let mut request: Self = json_body(body)?;
        let token = request
            .state_token
            .take()
            .filter(|token| !token.is_empty())
            .ok_or_else(|| ApiError::validation("stateToken: The field cannot be left blank"))?;
        Ok((request, token))
    }
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnrollQuery {
    update_phone: Option<bool>,
}

async fn enroll(
    State(app): State<Arc<App>>,
    Query(query): Query<EnrollQuery>,
    body: Bytes,
) -> Reply {
    let (request, token) = StateTokenRequest::parse(&body)?;
    let factor_type = request
        .factor_type
        .ok_or_else(|| ApiError::validation("factorType: The field cannot be left blank"))?;
    let provider = request.provider.unwrap_or_else(|| "OKTA".to_owned());
    let enroll = EnrollRequest {
        factor_type: &factor_type,
        provider: &provider,
        phone_number: request.profile.phone_number.as_deref(),
        question: request.profile.question.as_deref(),
        answer: request.profile.answer.as_deref().map(String::as_str),
        update_phone: query.update_phone.unwrap_or(false),
        pass_code: request.pass_code.as_deref(),
    };
    app.org.enroll(&token, enroll).map(Json)
}

async fn resend_activation(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    body: Bytes,
) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.resend_activation(&token, &factor_id).map(Json)
}

async fn activate(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    body: Bytes,
) -> Reply {
    let (request, token) = StateTokenRequest::parse(&body)?;
    app.org
        .activate(&token, &factor_id, request.pass_code.as_deref())
        .map(Json)
}

async fn activate_poll(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    body: Bytes,
) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.activate_poll(&token, &factor_id).map(Json)
}

async fn activate_email(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    body: Bytes,
) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org
        .send_activation(&token, &factor_id, ActivationChannel::Email)
        .map(Json)
}

async fn activate_sms(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    body: Bytes,
) -> Reply {
    let (request, token) = StateTokenRequest::parse(&body)?;
    let phone_number = request.profile.phone_number.unwrap_or_default();
    app.org
        .send_activation(&token, &factor_id, ActivationChannel::Sms { phone_number })
        .map(Json)
}

async fn verify(
    State(app): State<Arc<App>>,
    Path(factor_id): Path<String>,
    Query(query): Query<VerifyOptions>,
    body: Bytes,
) -> Reply {
    let (request, token) = StateTokenRequest::parse(&body)?;
    let proof = Proof {
        passcode: request.pass_code.as_deref(),
        answer: request.answer.as_deref().map(String::as_str),
    };
    app.org.verify(&token, &factor_id, proof, query).map(Json)
}

async fn resend(State(app): State<Arc<App>>, Path(factor_id): Path<String>, body: Bytes) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.resend_challenge(&token, &factor_id).map(Json)
}

async fn questions(
    State(app): State<Arc<App>>,
    Path(user_id): Path<String>,
) -> Result<Json<Vec<QuestionBody>>, ApiError> {
    app.org.questions_for(&user_id).map(Json)
}

async fn previous(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.previous(&token).map(Json)
}

async fn skip(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.skip(&token).map(Json)
}

async fn cancel(State(app): State<Arc<App>>, body: Bytes) -> Result<Json<CancelledBody>, ApiError> {
    let (_, token) = StateTokenRequest::parse(&body)?;
    app.org.cancel(&token).map(Json)
}

async fn change_password(State(app): State<Arc<App>>, body: Bytes) -> Reply {
    let (request, token) = StateTokenRequest::parse(&body)?;
    let old_password = request.old_password.unwrap_or_default();
    let new_password = request.new_password.unwrap_or_default();
    app.org
        .change_password(&token, &old_password, &new_password)
        .map(Json)
}

async fn qr_code(
    State(app): State<Arc<App>>,
    Path((user_id, factor_id, qr_token)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let png = app.org.qr_png(&user_id, &factor_id, &qr_token)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response())
}
