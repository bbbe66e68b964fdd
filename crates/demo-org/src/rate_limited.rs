//! Answering a request under the per-user rate limit, for the `/api/v1/authn` routes and the
//! IDX remediations alike: over the limit, 429 `E0000047` before the route runs; every
//! answer carries `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`, as Okta's do.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::wire::ApiError;

/// Counts the request (already read into `parts` and `body`) against `key`, runs it if the
/// limit allows, and sets the rate-limit headers on the answer.
pub(crate) async fn answer(
    app: &App,
    key: &str,
    parts: Parts,
    body: Bytes,
    next: Next,
) -> Response {
    let decision = app.limiter.check(key, app.org.clock.now());
    let mut response = if decision.allowed {
        next.run(Request::from_parts(parts, Body::from(body))).await
    } else {
        ApiError::rate_limited().into_response()
    };
    let headers = response.headers_mut();
    headers.insert("x-rate-limit-limit", HeaderValue::from(decision.limit));
    headers.insert(
        "x-rate-limit-remaining",
        HeaderValue::from(decision.remaining),
    );
    headers.insert(
        "x-rate-limit-reset",
        HeaderValue::from(decision.reset_epoch_seconds),
    );
    response
}
