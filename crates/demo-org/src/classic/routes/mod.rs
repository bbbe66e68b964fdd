//! The Classic server's HTTP routes: thin translations between requests and the steps.
//! `/api/v1/authn*` (recovery included) behind Okta's per-user rate limit, the factor reads
//! under `/api/v1/users`, and `/api/v1/sessions` with the browser's cookie redirect.

mod authn;
mod recovery;
mod sessions;

use std::sync::Arc;

use axum::Router;

use crate::app::App;

pub(crate) fn router(app: Arc<App>) -> Router<Arc<App>> {
    authn::router(app).merge(sessions::router())
}
