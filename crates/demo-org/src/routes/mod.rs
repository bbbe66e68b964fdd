//! HTTP handlers: thin translations between requests and the org's state machine.

mod authn;
mod demo;
mod sessions;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use serde::de::DeserializeOwned;

use crate::server::App;
use crate::wire::ApiError;

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(authn::router(app.clone()))
        .merge(sessions::router())
        .merge(demo::router(app.clone()))
        .fallback(not_found)
        .with_state(app)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(uri.path())
}

/// Parses a JSON body, answering Okta's E0000003 for anything that is not well-formed.
pub(crate) fn json_body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::malformed_body())
}
