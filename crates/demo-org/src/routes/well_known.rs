//! `GET /.well-known/okta-organization`: the org's id, the engine it runs (`pipeline`) and
//! its address, shaped like Okta's `WellKnownOrgMetadata`. Public, as on a real org.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::app::App;

pub(super) fn router() -> Router<Arc<App>> {
    Router::new().route("/.well-known/okta-organization", get(okta_organization))
}

async fn okta_organization(State(app): State<Arc<App>>) -> Json<Value> {
    let org = &app.org;
    // A demo org has no custom domain, so no `alternate` link; its settings are those of a
    // new org with Okta Mobile retired.
    Json(json!({
        "id": org.id,
        "pipeline": org.config.engine.pipeline(),
        "_links": {
            "organization": { "href": org.origin },
        },
        "settings": {
            "analyticsCollectionEnabled": false,
            "bugReportingEnabled": true,
            "omEnabled": false,
        },
    }))
}
