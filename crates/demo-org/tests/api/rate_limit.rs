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

/// Okta dates answers by its own clock; the demo org's is the one tests move forward, and
/// `Date`, `expiresAt` and `X-Rate-Limit-Reset` must keep telling one time after it moves.
#[tokio::test]
async fn date_and_rate_limit_reset_follow_the_org_clock() {
    let org = common::start_with(DemoOrgConfig::default()).await;
    org.advance(3600).await;
    let reply = org
        .post(
            "/api/v1/authn",
            json!({"username": "push@demo.test", "password": oktadesk_demo_org::DEMO_PASSWORD}),
        )
        .await;
    let epoch = |seconds: std::time::SystemTime| {
        seconds
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let date = epoch(httpdate::parse_http_date(reply.headers["date"].to_str().unwrap()).unwrap());
    let wall = epoch(std::time::SystemTime::now());
    assert!(
        date >= wall + 3590 && date <= wall + 3610,
        "Date is an hour ahead of the wall clock: {date} against {wall}"
    );
    let reset: u64 = reply.headers["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        reset > date && reset <= date + 2,
        "reset {reset}, date {date}"
    );
    let expires = time::OffsetDateTime::parse(
        reply.json["expiresAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .unix_timestamp();
    let lifetime = expires - i64::try_from(date).unwrap();
    assert!(
        (60..=3600).contains(&lifetime),
        "expiresAt is a few minutes after Date, not before it: {lifetime} s"
    );
    org.shutdown().await;
}
