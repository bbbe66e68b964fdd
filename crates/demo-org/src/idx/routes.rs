//! The HTTP face of Identity Engine mode: the OAuth endpoints of the org authorization
//! server (`/oauth2/v1/…`) and of the custom one named `default` (`/oauth2/default/v1/…`),
//! their discovery documents, and the IDX remediations under `/idp/idx/`. Thin: parse, call
//! the org, answer; `identify` reads or hands out the `DT` device cookie here.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::flow::Handle;
use super::messages::{IdxError, IdxMessage, IdxReply, messages_json, session_expired};
use super::request::RemediationBody;
use super::step::StepEnv;
use super::store::{AuthServer, IdxTransaction, Stage};
use super::{
    channel, enroll, enroll_codes, enroll_question, enroll_token, keep_signed_in, password,
    recover, verify,
};
use crate::app::App;
use crate::cookies::cookie_value;
use crate::org::remembered_devices::{DEVICE_COOKIE, device_cookie, new_device_token};
use crate::org::users::User;

pub(crate) fn router(app: Arc<App>) -> Router<Arc<App>> {
    // Counted against the user: the steps that take a guess or send a message. Polls,
    // introspection and choices are not, so a client's normal burst never trips the limit.
    let limited = Router::new()
        .route("/idp/idx/identify", post(identify))
        .route("/idp/idx/challenge/answer", post(answer))
        .route("/idp/idx/challenge/resend", post(resend))
        .route("/idp/idx/challenge/send", post(send))
        .route_layer(middleware::from_fn_with_state(
            app,
            super::limits::rate_limit,
        ));
    let remediations = Router::new()
        .route("/idp/idx/introspect", post(introspect))
        .route("/idp/idx/challenge", post(challenge))
        .route("/idp/idx/challenge/poll", post(poll))
        .route("/idp/idx/authenticators/poll", post(poll))
        .route("/idp/idx/credential/enroll", post(enroll_select))
        .route("/idp/idx/skip", post(skip))
        .route("/idp/idx/keep-me-signed-in", post(keep_me_signed_in))
        .route("/idp/idx/cancel", post(cancel))
        .route("/idp/idx/recover", post(recover_password))
        .route("/idp/idx/unlock-account", post(unlock_account))
        .merge(limited);
    Router::new()
        .route("/oauth2/v1/interact", post(interact_org))
        .route("/oauth2/default/v1/interact", post(interact_default))
        .route("/oauth2/v1/token", post(token_org))
        .route("/oauth2/default/v1/token", post(token_default))
        .route("/oauth2/v1/keys", get(keys))
        .route("/oauth2/default/v1/keys", get(keys))
        .route("/.well-known/openid-configuration", get(discovery_org))
        .route(
            "/oauth2/default/.well-known/openid-configuration",
            get(discovery_default),
        )
        .merge(remediations)
}

fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

async fn interact_org(State(app): State<Arc<App>>, body: Bytes) -> Response {
    interact(&app, AuthServer::Org, &body)
}

async fn interact_default(State(app): State<Arc<App>>, body: Bytes) -> Response {
    interact(&app, AuthServer::Default, &body)
}

fn interact(app: &App, server: AuthServer, body: &Bytes) -> Response {
    match app.org.idx_interact(server, &form(body)) {
        Ok(handle) => Json(json!({ "interaction_handle": handle.as_str() })).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn token_org(State(app): State<Arc<App>>, body: Bytes) -> Response {
    token(&app, AuthServer::Org, &body)
}

async fn token_default(State(app): State<Arc<App>>, body: Bytes) -> Response {
    token(&app, AuthServer::Default, &body)
}

fn token(app: &App, server: AuthServer, body: &Bytes) -> Response {
    match app.org.idx_token(server, &form(body)) {
        Ok(tokens) => {
            let mut response = Json(tokens).into_response();
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(err) => err.into_response(),
    }
}

async fn keys() -> Json<Value> {
    Json(super::jwt::jwks())
}

async fn discovery_org(State(app): State<Arc<App>>) -> Json<Value> {
    Json(discovery(&app, AuthServer::Org))
}

async fn discovery_default(State(app): State<Arc<App>>) -> Json<Value> {
    Json(discovery(&app, AuthServer::Default))
}

/// The OpenID Provider metadata of an authorization server, as Okta publishes it.
fn discovery(app: &App, server: AuthServer) -> Value {
    let origin = &app.org.origin;
    let endpoints = format!("{origin}{}", server.endpoint_prefix());
    json!({
        "issuer": server.issuer(origin),
        "authorization_endpoint": format!("{endpoints}/authorize"),
        "token_endpoint": format!("{endpoints}/token"),
        "userinfo_endpoint": format!("{endpoints}/userinfo"),
        "jwks_uri": format!("{endpoints}/keys"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token", "interaction_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "address", "phone", "offline_access"],
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": [
            "iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp",
            "nonce", "name", "preferred_username", "email", "email_verified", "at_hash",
        ],
        "code_challenge_methods_supported": ["S256"],
    })
}

/// A body that is not JSON: nothing to present but the message.
fn malformed() -> IdxReply {
    let IdxError::Refused {
        status, message, ..
    } = IdxError::malformed_body()
    else {
        return session_expired();
    };
    bare(status, message)
}

fn bare(status: StatusCode, message: IdxMessage) -> IdxReply {
    IdxReply {
        status,
        body: json!({ "version": "1.0.0", "messages": messages_json(&[message]) }),
    }
}

fn parse(body: &Bytes) -> Result<RemediationBody, IdxReply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(RemediationBody::default());
    }
    serde_json::from_slice(body).map_err(|_| malformed())
}

/// Parses the body and runs `step` on the transaction its `stateHandle` names.
fn remediate<F>(app: &App, body: &Bytes, step: F) -> IdxReply
where
    F: FnOnce(
        &mut IdxTransaction,
        &mut [User],
        &StepEnv<'_>,
        &RemediationBody,
    ) -> Result<(), IdxError>,
{
    let request = match parse(body) {
        Ok(request) => request,
        Err(reply) => return reply,
    };
    let Some(state_handle) = request.state_handle.as_deref() else {
        return session_expired();
    };
    app.org
        .idx_step(Handle::State(state_handle), |tx, users, env| {
            step(tx, users, env, &request)
        })
}

async fn introspect(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    let request = match parse(&body) {
        Ok(request) => request,
        Err(reply) => return reply,
    };
    if let Some(state_handle) = request
        .state_token
        .as_deref()
        .or(request.state_handle.as_deref())
    {
        return app.org.idx_introspect(Handle::State(state_handle));
    }
    match request.interaction_handle.as_deref() {
        Some(interaction) => app.org.idx_introspect(Handle::Interaction(interaction)),
        None => session_expired(),
    }
}

/// `identify`, from the device its `DT` cookie names; a client without one is handed one.
/// After `recover` came first, it names who forgot their password (`identify-recovery`).
async fn identify(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let (device, new) = device_of(&app, &headers);
    let mut response = remediate(&app, &body, |tx, users, env, request| match tx.stage {
        Stage::IdentifyRecovery => recover::identify(tx, users, request),
        _ => password::identify(tx, users, env, request, &device),
    })
    .into_response();
    if new {
        set_device_cookie(&app, &mut response, &device);
    }
    response
}

/// The device a request comes from: the `DT` cookie it sent, or a new token (`true`: to be
/// handed out with the answer).
fn device_of(app: &App, headers: &HeaderMap) -> (String, bool) {
    match cookie_value(headers, DEVICE_COOKIE) {
        Some(sent) => (sent.to_owned(), false),
        None => (new_device_token(&app.org.config.token_marker), true),
    }
}

/// Hands `device` to the client as its `DT` cookie.
fn set_device_cookie(app: &App, response: &mut Response, device: &str) {
    let secure = app.org.origin.starts_with("https:");
    if let Ok(cookie) = HeaderValue::from_str(&device_cookie(device, secure)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

async fn challenge(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, request| match tx.stage {
        Stage::SelectRecovery | Stage::RecoveryChallenge { .. } => {
            recover::select(tx, users, env, request.authenticator.as_ref())
        }
        Stage::SelectUnlock | Stage::UnlockChallenge { .. } => {
            recover::select_unlock(tx, users, env, request)
        }
        _ => verify::select(tx, users, env, request.authenticator.as_ref()),
    })
}

async fn answer(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, request| {
        let credentials = request.credentials.as_ref();
        let passcode = credentials
            .and_then(|credentials| credentials.passcode.as_deref())
            .map(|passcode| passcode.as_str());
        match tx.stage {
            Stage::ChallengePassword => password::answer_password(tx, users, env, passcode),
            Stage::ReenrollPassword { .. } => password::reenroll_password(tx, users, env, passcode),
            Stage::Challenge { .. } => verify::answer(tx, users, env, credentials),
            Stage::EnrollApp { .. } => enroll::activate_app(tx, users, env, credentials),
            Stage::EnrollSentCode { .. } => enroll_codes::activate(tx, users, env, credentials),
            Stage::EnrollQuestion => enroll_question::answer(tx, users, env, credentials),
            Stage::RecoveryChallenge { .. } => recover::answer(tx, users, env, credentials),
            Stage::ResetPassword => recover::reset(tx, users, env, passcode),
            Stage::UnlockChallenge { .. } => recover::answer_unlock(tx, users, env, credentials),
            Stage::EnrollToken => enroll_token::activate(tx, users, env, credentials),
            _ => Err(IdxError::wrong_step()),
        }
    })
}

async fn resend(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, _| match tx.stage {
        Stage::EnrollSentCode { .. } => enroll_codes::resend(tx, users, env),
        Stage::EnrollOktaVerify { .. } => channel::resend_link(tx, users, env),
        Stage::RecoveryChallenge { .. } | Stage::UnlockChallenge { .. } => {
            recover::resend(tx, users, env)
        }
        _ => verify::resend(tx, users, env),
    })
}

/// `enrollment-channel-data`: where Okta Verify's activation link goes.
async fn send(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, request| {
        channel::send_link(tx, users, env, request)
    })
}

async fn poll(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, _| match tx.stage {
        Stage::PushPoll { .. } => verify::poll_push(tx),
        Stage::EnrollOktaVerify { .. } => enroll::poll(tx, users, env),
        // The phone answered between polls (or a phone view applied it): this poll reports
        // where that led, as an introspect would.
        _ => Ok(()),
    })
}

async fn enroll_select(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, request| {
        enroll::select(tx, users, env, request.authenticator.as_ref())
    })
}

async fn skip(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, _, _| match tx.stage {
        Stage::SelectEnroll => enroll::skip(tx, users),
        Stage::ReenrollPassword { expired: false } => password::skip_warning(tx, users),
        Stage::KeepMeSignedIn => keep_signed_in::prompt_answered(tx, users, false),
        _ => Err(IdxError::wrong_step()),
    })
}

/// The post-sign-in prompt answered: either answer goes on to success; a yes remembers the
/// device there (see `keep_signed_in`).
async fn keep_me_signed_in(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, _, request| match tx.stage {
        Stage::KeepMeSignedIn => {
            let keep = keep_signed_in::flag(request.keep_me_signed_in.as_ref());
            keep_signed_in::prompt_answered(tx, users, keep)
        }
        _ => Err(IdxError::wrong_step()),
    })
}

/// `recover`: the password's way to self-service reset.
async fn recover_password(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, users, env, _| {
        recover::recover(tx, users, env)
    })
}

/// `unlock-account`: self-service unlock, from `identify`.
async fn unlock_account(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    remediate(&app, &body, |tx, _, env, _| {
        recover::unlock_account(tx, env)
    })
}

async fn cancel(State(app): State<Arc<App>>, body: Bytes) -> IdxReply {
    let request = match parse(&body) {
        Ok(request) => request,
        Err(reply) => return reply,
    };
    match request.state_handle.as_deref() {
        Some(state_handle) => app.org.idx_cancel(state_handle),
        None => session_expired(),
    }
}
