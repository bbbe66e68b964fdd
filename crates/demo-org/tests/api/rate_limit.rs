//! Okta's per-user limit of 4 requests a second on /api/v1/authn*.

use oktadesk_demo_org::DemoOrgConfig;
use serde_json::json;

use crate::common::{self, assert_error};

#[tokio::test]
async fn a_fifth_request_within_a_second_gets_429_with_headers() {
    let org = common::start_with(DemoOrgConfig::default()).await;
    let mut limited = None;
    // Sequential requests take milliseconds; even if a second boundary falls between them,
    // 12 requests overrun a limit of 4 within some second.
    for _ in 0..12 {
        let reply = org
            .post(
                "/api/v1/authn",
                json!({"username": "nomfa@demo.test", "password": "wrong"}),
            )
            .await;
        for header in [
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
        ] {
            assert!(reply.headers.contains_key(header), "{header} missing");
        }
        assert_eq!(reply.headers["x-rate-limit-limit"], "4");
        if reply.status.as_u16() == 429 {
            limited = Some(reply);
            break;
        }
    }
    let limited = limited.expect("the limit was hit");
    assert_error(&limited, 429, "E0000047");
    assert_eq!(limited.headers["x-rate-limit-remaining"], "0");
    let reset: u64 = limited.headers["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        reset >= now && reset <= now + 2,
        "reset is the next epoch second"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn users_are_limited_separately_and_state_tokens_count_for_their_user() {
    let org = common::start_with(DemoOrgConfig::default()).await;
    let tx = org.sign_in("push@demo.test").await;
    let remaining = |reply: &crate::common::Reply| -> u32 {
        reply.headers["x-rate-limit-remaining"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let resumed = org
        .post("/api/v1/authn", json!({"stateToken": tx["stateToken"]}))
        .await;
    let other = org.sign_in("nomfa@demo.test").await;
    assert_eq!(other["status"], "SUCCESS");
    let other_reply = org
        .post(
            "/api/v1/authn",
            json!({"username": "nomfa@demo.test", "password": "x"}),
        )
        .await;
    assert!(remaining(&other_reply) <= 3);
    // The state token request counted against push@ (or landed in a new second).
    assert!(remaining(&resumed) <= 3);
    org.shutdown().await;
}
