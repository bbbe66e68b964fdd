//! The whole router: the engine the org runs (IDX's routes on Identity Engine), the Classic
//! server (on both engines, as on a real org), the well-known documents and the `/_demo`
//! test controls, and Okta's 404 for anything else.

mod demo;
mod well_known;

use std::sync::Arc;

use axum::Router;

use crate::app::App;
use crate::org::config::DemoEngine;
use crate::wire::ApiError;

pub(crate) fn router(app: Arc<App>) -> Router {
    let engine_routes = match app.org.config.engine {
        DemoEngine::IdentityEngine => crate::idx::router(app.clone()),
        DemoEngine::Classic => Router::new(),
    };
    Router::new()
        .merge(engine_routes)
        .merge(crate::classic::routes::router(app.clone()))
        .merge(well_known::router())
        .merge(demo::router(app.clone()))
        .fallback(not_found)
        .with_state(app)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(uri.path())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::router;
    use crate::app::App;
    use crate::faults::Faults;
    use crate::org::config::DemoOrgConfig;
    use crate::rate_limit::RateLimiter;
    use crate::state::Org;

    async fn status_from(peer: &str, path: &str) -> u16 {
        let app = Arc::new(App {
            org: Org::new(
                DemoOrgConfig::default(),
                "http://127.0.0.1:1".into(),
                "127.0.0.1:1".into(),
            ),
            faults: Faults::default(),
            limiter: RateLimiter::new(0),
            ca_pem: None,
        });
        let mut request = Request::get(path).body(Body::empty()).unwrap();
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = router(app).oneshot(request).await.unwrap();
        response.status().as_u16()
    }

    #[tokio::test]
    async fn demo_controls_answer_loopback_peers_only() {
        assert_eq!(status_from("127.0.0.1:5000", "/_demo/stats").await, 200);
        assert_eq!(status_from("[::1]:5000", "/_demo/stats").await, 200);
        assert_eq!(status_from("192.168.1.20:5000", "/_demo/stats").await, 403);
        assert_eq!(
            status_from("192.168.1.20:5000", "/_demo/phone/push@demo.test").await,
            403
        );
        assert_eq!(
            status_from("192.168.1.20:5000", "/app/UserHome").await,
            200,
            "the org itself serves everyone"
        );
    }
}
