//! The per-user rate limit on the IDX remediations that take a guess or send a message
//! (`identify`, `challenge/answer`, `challenge/resend`, `challenge/send`): the same limiter
//! and one-second windows as `/api/v1/authn` (`crate::rate_limit`). A request counts against
//! the user its `identifier` names or its `stateHandle`'s transaction identified (before
//! that, against the transaction itself). Over the limit the answer is 429 `E0000047`, as
//! Okta's rate limiter gives it, before the remediation runs; every answer of these routes
//! carries `X-Rate-Limit-*`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::App;
use crate::state::Org;
use crate::wire::ApiError;

/// Bodies larger than this are refused before parsing; IDX bodies are small.
const MAX_BODY: usize = 64 * 1024;

/// The fields that say whose request it is; everything else is ignored here.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    identifier: Option<String>,
    state_handle: Option<String>,
    state_token: Option<String>,
    interaction_handle: Option<String>,
}

impl Org {
    fn idx_rate_limit_key(&self, probe: &Probe) -> String {
        if let Some(identifier) = probe.identifier.as_deref() {
            return self.rate_limit_key(Some(identifier), None);
        }
        let state = self.lock();
        let state_handle = probe
            .state_handle
            .as_deref()
            .or(probe.state_token.as_deref())
            .map(str::to_owned)
            .or_else(|| {
                let interaction = probe.interaction_handle.as_deref()?;
                state.idx.interactions.get(interaction).cloned()
            });
        let Some(state_handle) = state_handle else {
            return "anonymous".to_owned();
        };
        match state
            .idx
            .transactions
            .get(&state_handle)
            .and_then(|tx| tx.user_id.clone())
        {
            Some(user_id) => user_id,
            None => format!("idx:{state_handle}"),
        }
    }
}

/// Counts the request against its user and sets `X-Rate-Limit-*` on every answer.
pub(super) async fn rate_limit(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::malformed_body().into_response();
    };
    let probe: Probe = serde_json::from_slice(&bytes).unwrap_or_default();
    let key = app.org.idx_rate_limit_key(&probe);
    app.limiter
        .answer(&key, app.org.clock.now(), parts, bytes, next)
        .await
}
