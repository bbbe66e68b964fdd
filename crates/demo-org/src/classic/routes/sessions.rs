//! Sessions: exchanging a session token for an API session or a browser cookie, and the tiny
//! dashboard the cookie opens.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::app::App;
use crate::cookies::cookie_value;
use crate::wire::{ApiError, OktaSessionBody, json_body};

pub(super) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/sessions", post(create_session))
        .route(
            "/api/v1/sessions/{session_id}",
            get(get_session).delete(end_session),
        )
        .route("/login/sessionCookieRedirect", get(session_cookie_redirect))
        .route("/app/UserHome", get(user_home))
        .route("/", get(|| async { Redirect::to("/app/UserHome") }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateSessionRequest {
    session_token: Option<String>,
}

async fn create_session(
    State(app): State<Arc<App>>,
    body: Bytes,
) -> Result<Json<OktaSessionBody>, ApiError> {
    let request: CreateSessionRequest = json_body(&body)?;
    let token = request
        .session_token
        .ok_or_else(|| ApiError::validation("sessionToken: The field cannot be left blank"))?;
    app.org.create_session(&token).map(Json)
}

async fn get_session(
    State(app): State<Arc<App>>,
    Path(session_id): Path<String>,
) -> Result<Json<OktaSessionBody>, ApiError> {
    app.org
        .read_session(&session_id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(&format!("{session_id} (Session)")))
}

async fn end_session(
    State(app): State<Arc<App>>,
    Path(session_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if app.org.end_session(&session_id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(&format!("{session_id} (Session)")))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CookieRedirect {
    token: Option<String>,
    redirect_url: Option<String>,
}

/// 302 to `redirectUrl` with a `sid` cookie. Only the org's own origin is a trusted
/// redirect target, so a session token cannot be used to bounce a browser elsewhere.
///
/// A browser that already has a live session keeps it, whoever it belongs to, and the token
/// is left unused: Okta ignores the token then, so a browser signed in as someone else stays
/// signed in as them.
async fn session_cookie_redirect(
    State(app): State<Arc<App>>,
    Query(query): Query<CookieRedirect>,
    headers: HeaderMap,
) -> Response {
    let own_origin = url::Url::parse(&app.org.origin).map(|url| url.origin());
    let redirect = query
        .redirect_url
        .as_deref()
        .and_then(|target| url::Url::parse(target).ok())
        .filter(|target| {
            own_origin
                .as_ref()
                .is_ok_and(|origin| *origin == target.origin())
        });
    let Some(redirect) = redirect else {
        return page(
            StatusCode::BAD_REQUEST,
            "Redirect not allowed",
            "The redirectUrl is missing or is not on this org. Only this org's own pages can be opened with a session token.",
        );
    };
    let existing = cookie_value(&headers, "sid").filter(|id| app.org.session_owner(id).is_some());
    if existing.is_some() {
        return (
            StatusCode::FOUND,
            [(header::LOCATION, redirect.to_string())],
        )
            .into_response();
    }
    let Some(session_id) = query
        .token
        .as_deref()
        .and_then(|token| app.org.redeem_for_cookie(token))
    else {
        return page(
            StatusCode::UNAUTHORIZED,
            "Sign-in link expired",
            "This sign-in link has expired or was already used. Sign in again to get a new one.",
        );
    };
    let cookie = format!("sid={session_id}; Path=/; HttpOnly; SameSite=Lax");
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, redirect.to_string()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

async fn user_home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match cookie_value(&headers, "sid").and_then(|id| app.org.session_owner(id)) {
        Some((name, login)) => page(
            StatusCode::OK,
            "My Apps",
            &format!("Signed in as {} ({}).", escape(&name), escape(&login)),
        ),
        None => page(
            StatusCode::OK,
            "Not signed in",
            "No session: sign in with OktaDesk, then open the dashboard from it.",
        ),
    }
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - OktaDesk demo org</title></head>\
         <body><h1>{title}</h1><p id=\"message\">{message}</p></body></html>"
    );
    (status, Html(body)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
