//! State token expiry, wrong states, malformed requests and unknown resources.

use std::time::Duration;

use oktadesk_demo_org::DemoOrgConfig;
use serde_json::json;

use crate::common::{self, assert_error, href};

#[tokio::test]
async fn state_tokens_slide_and_then_expire() {
    let org = common::start_with(DemoOrgConfig {
        state_token_lifetime: Duration::from_secs(300),
        ..common::unlimited()
    })
    .await;
    let tx = org.sign_in("push@demo.test").await;
    org.advance(200).await;
    let resumed = org
        .post("/api/v1/authn", json!({"stateToken": tx["stateToken"]}))
        .await;
    assert_eq!(resumed.json["status"], "MFA_REQUIRED");
    assert_ne!(
        resumed.json["expiresAt"], tx["expiresAt"],
        "the expiry slid forward"
    );
    org.advance(200).await;
    let still = org
        .post("/api/v1/authn", json!({"stateToken": tx["stateToken"]}))
        .await;
    assert_eq!(
        still.status.as_u16(),
        200,
        "200 s after the last use is within 300 s"
    );
    org.advance(301).await;
    let expired = org
        .post("/api/v1/authn", json!({"stateToken": tx["stateToken"]}))
        .await;
    assert_error(&expired, 401, "E0000011");
    let verify = org.verify_href(&tx, "push");
    assert_error(&org.follow(&tx, &verify, json!({})).await, 401, "E0000011");
    org.shutdown().await;
}

#[tokio::test]
async fn unknown_state_tokens_are_invalid() {
    let org = common::start().await;
    let reply = org
        .post("/api/v1/authn", json!({"stateToken": "00bogus"}))
        .await;
    assert_error(&reply, 401, "E0000011");
    let reply = org
        .post("/api/v1/authn/cancel", json!({"stateToken": "00bogus"}))
        .await;
    assert_error(&reply, 401, "E0000011");
    org.shutdown().await;
}

#[tokio::test]
async fn operations_in_the_wrong_state_are_refused() {
    let org = common::start().await;
    let tx = org.sign_in("push@demo.test").await;
    for path in [
        "/api/v1/authn/skip",
        "/api/v1/authn/previous",
        "/api/v1/authn/credentials/change_password",
    ] {
        let reply = org
            .follow(
                &tx,
                &org.url(path),
                json!({"oldPassword": "a", "newPassword": "b"}),
            )
            .await;
        assert_error(&reply, 403, "E0000079");
    }
    let factor_id = tx["_embedded"]["factors"][0]["id"].as_str().unwrap();
    let poll = org
        .follow(
            &tx,
            &org.url(&format!(
                "/api/v1/authn/factors/{factor_id}/lifecycle/activate/poll"
            )),
            json!({}),
        )
        .await;
    assert_error(&poll, 403, "E0000079");
    let resend = org
        .follow(
            &tx,
            &org.url(&format!("/api/v1/authn/factors/{factor_id}/verify/resend")),
            json!({}),
        )
        .await;
    assert_error(&resend, 403, "E0000079");
    org.shutdown().await;
}

#[tokio::test]
async fn cancel_ends_the_transaction() {
    let org = common::start().await;
    let tx = org.sign_in("push@demo.test").await;
    let cancelled = org
        .follow(&tx, &href(&tx["_links"]["cancel"]), json!({}))
        .await;
    assert_eq!(cancelled.status.as_u16(), 200);
    // Not a transaction: Okta answers cancel with an empty `_embedded` and no status.
    assert!(cancelled.json.get("status").is_none(), "{}", cancelled.json);
    assert_eq!(cancelled.json["_embedded"], json!({}));
    let after = org
        .post("/api/v1/authn", json!({"stateToken": tx["stateToken"]}))
        .await;
    assert_error(&after, 401, "E0000011");
    org.shutdown().await;
}

#[tokio::test]
async fn malformed_and_incomplete_bodies_are_rejected() {
    let org = common::start().await;
    let response = org
        .http
        .post(org.url("/api/v1/authn"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], "E0000003");

    let missing = org
        .post("/api/v1/authn", json!({"username": "push@demo.test"}))
        .await;
    assert_error(&missing, 400, "E0000001");
    let no_token = org.post("/api/v1/authn/cancel", json!({})).await;
    assert_error(&no_token, 400, "E0000001");
    org.shutdown().await;
}

#[tokio::test]
async fn unknown_factors_and_paths_are_not_found() {
    let org = common::start().await;
    let tx = org.sign_in("push@demo.test").await;
    let reply = org
        .follow(
            &tx,
            &org.url("/api/v1/authn/factors/opfNOPE/verify"),
            json!({}),
        )
        .await;
    assert_error(&reply, 404, "E0000007");
    let reply = org.get_json("/api/v1/nothing-here").await;
    assert_eq!(reply.status.as_u16(), 404);
    assert_eq!(reply.json["errorCode"], "E0000007");
    org.shutdown().await;
}

#[tokio::test]
async fn finished_transactions_are_forgotten() {
    let org = common::start().await;
    for _ in 0..200 {
        assert_eq!(org.sign_in("nomfa@demo.test").await["status"], "SUCCESS");
        org.sign_in("push@demo.test").await;
    }
    let stats = org.get_json("/_demo/stats").await.json;
    assert_eq!(
        stats["transactions"], 200,
        "abandoned ones live until they expire"
    );
    assert_eq!(stats["sessionTokens"], 200);
    org.advance(3600).await;
    let stats = org.get_json("/_demo/stats").await.json;
    assert_eq!(
        stats,
        json!({"transactions": 0, "sessionTokens": 0, "sessions": 0, "idxTransactions": 0})
    );
    org.shutdown().await;
}

#[tokio::test]
async fn token_marker_appears_in_every_issued_token() {
    let org = common::start_with(DemoOrgConfig {
        token_marker: "canary".into(),
        ..common::unlimited()
    })
    .await;
    let tx = org.sign_in("push@demo.test").await;
    assert!(tx["stateToken"].as_str().unwrap().starts_with("00canary"));
    let done = org.sign_in("nomfa@demo.test").await;
    assert!(
        done["sessionToken"]
            .as_str()
            .unwrap()
            .starts_with("20111canary")
    );
    org.shutdown().await;
    let bad = oktadesk_demo_org::DemoOrg::start(DemoOrgConfig {
        token_marker: "not safe!".into(),
        ..DemoOrgConfig::default()
    })
    .await;
    assert!(matches!(
        bad,
        Err(oktadesk_demo_org::DemoOrgError::InvalidConfig { .. })
    ));
}

#[tokio::test]
async fn clock_endpoint_validates_its_input() {
    let org = common::start().await;
    let bad = org
        .post("/_demo/clock/advance", json!({"seconds": -5}))
        .await;
    assert_eq!(bad.status.as_u16(), 400);
    let bad = org.post("/_demo/clock/advance", json!({})).await;
    assert_eq!(bad.status.as_u16(), 400);
    let ok = org
        .post("/_demo/clock/advance", json!({"seconds": 1.5}))
        .await;
    assert_eq!(ok.json["offsetSeconds"], 1.5);
    org.shutdown().await;
}
