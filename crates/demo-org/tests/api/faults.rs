//! Each injectable fault, and that rules count down and match by path and method.

use serde_json::{Value, json};

use crate::common::{self, assert_error};

const PRIMARY: &str = "/api/v1/authn";

fn credentials() -> Value {
    json!({"username": "nomfa@demo.test", "password": oktadesk_demo_org::DEMO_PASSWORD})
}

#[tokio::test]
async fn status_fault_answers_an_okta_error_for_the_next_n_requests() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "method": "POST", "count": 2,
        "fault": {"kind": "status", "status": 503, "errorCode": "E0000010", "errorSummary": "Service is in read only mode"}}))
        .await;
    for _ in 0..2 {
        let reply = org.post(PRIMARY, credentials()).await;
        assert_error(&reply, 503, "E0000010");
        assert_eq!(reply.json["errorSummary"], "Service is in read only mode");
    }
    assert_eq!(
        org.post(PRIMARY, credentials()).await.json["status"],
        "SUCCESS"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn faults_match_method_and_path_and_spare_the_control_api() {
    let org = common::start().await;
    org.inject(
        json!({"path": "/verify", "method": "POST", "fault": {"kind": "status", "status": 500}}),
    )
    .await;
    assert_eq!(org.post(PRIMARY, credentials()).await.status.as_u16(), 200);
    assert_eq!(
        org.get_json("/_demo/faults")
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let tx = org.sign_in("push@demo.test").await;
    let verify = org.verify_href(&tx, "push");
    assert_error(&org.follow(&tx, &verify, json!({})).await, 500, "E0000009");
    assert!(
        org.get_json("/_demo/faults")
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty()
    );

    org.inject(json!({"fault": {"kind": "drop"}})).await;
    assert_eq!(
        org.get_json("/_demo/stats").await.status.as_u16(),
        200,
        "/_demo is never faulted"
    );
    let cleared = org
        .http
        .delete(org.url("/_demo/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status().as_u16(), 204);
    assert_eq!(org.post(PRIMARY, credentials()).await.status.as_u16(), 200);
    org.shutdown().await;
}

#[tokio::test]
async fn delay_fault_answers_normally_afterwards() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "delay", "millis": 50}}))
        .await;
    let started = std::time::Instant::now();
    assert_eq!(
        org.post(PRIMARY, credentials()).await.json["status"],
        "SUCCESS"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    org.shutdown().await;
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_an_answer() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "drop"}}))
        .await;
    let result = org
        .http
        .post(org.url(PRIMARY))
        .json(&credentials())
        .send()
        .await;
    assert!(
        result.is_err(),
        "expected a connection error, got {result:?}"
    );
    assert_eq!(
        org.post(PRIMARY, credentials()).await.json["status"],
        "SUCCESS"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn truncated_json_fault_cuts_a_real_answer_in_half() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "truncatedJson"}}))
        .await;
    let response = org
        .http
        .post(org.url(PRIMARY))
        .json(&credentials())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    assert!(text.starts_with("{\"expiresAt\""), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
    org.shutdown().await;
}

#[tokio::test]
async fn html_fault_serves_a_web_page() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "html", "status": 502}}))
        .await;
    let response = org
        .http
        .post(org.url(PRIMARY))
        .json(&credentials())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("<!doctype html>")
    );
    org.shutdown().await;
}

#[tokio::test]
async fn oversized_fault_sends_ten_mebibytes_of_json() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "oversized"}}))
        .await;
    let response = org
        .http
        .post(org.url(PRIMARY))
        .json(&credentials())
        .send()
        .await
        .unwrap();
    assert_eq!(response.content_length(), Some(10 * 1024 * 1024));
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 10 * 1024 * 1024);
    assert!(serde_json::from_slice::<Value>(&body).is_ok());
    org.shutdown().await;
}

#[tokio::test]
async fn rate_limit_burst_fault_answers_429s() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "count": 3, "fault": {"kind": "rateLimitBurst"}}))
        .await;
    for _ in 0..3 {
        let reply = org.post(PRIMARY, credentials()).await;
        assert_error(&reply, 429, "E0000047");
        assert!(reply.headers.contains_key("x-rate-limit-reset"));
    }
    assert_eq!(org.post(PRIMARY, credentials()).await.status.as_u16(), 200);
    org.shutdown().await;
}

#[tokio::test]
async fn redirect_fault_points_to_another_host() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "redirect"}}))
        .await;
    let reply = org.post(PRIMARY, credentials()).await;
    assert_eq!(reply.status.as_u16(), 307);
    assert_eq!(
        reply.headers["location"],
        "http://redirected.invalid/api/v1/authn"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn foreign_link_fault_moves_every_href_to_another_origin() {
    let org = common::start().await;
    org.inject(json!({"path": PRIMARY, "fault": {"kind": "foreignLink", "origin": "https://evil.example"}})).await;
    let tx = org.sign_in("push@demo.test").await;
    assert_eq!(tx["status"], "MFA_REQUIRED");
    assert!(
        tx["_links"]["cancel"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://evil.example/api/v1/authn/cancel")
    );
    assert!(
        tx["_embedded"]["factors"][0]["_links"]["verify"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://evil.example/")
    );
    org.shutdown().await;
}

#[tokio::test]
async fn unknown_status_and_factor_result_faults_rewrite_those_fields() {
    let org = common::start().await;
    org.inject(
        json!({"path": PRIMARY, "fault": {"kind": "unknownStatus", "status": "MFA_FUTURE"}}),
    )
    .await;
    assert_eq!(org.sign_in("push@demo.test").await["status"], "MFA_FUTURE");
    let challenge = org.start_push("push@demo.test").await;
    org.inject(json!({"path": "/verify", "fault": {"kind": "unknownFactorResult"}}))
        .await;
    let polled = org.next(&challenge, json!({})).await;
    assert_eq!(polled["factorResult"], "SOMETHING_NEW");
    assert_eq!(polled["status"], "MFA_CHALLENGE");
    org.shutdown().await;
}

#[tokio::test]
async fn malformed_fault_rules_are_explained() {
    let org = common::start().await;
    let reply = org
        .post("/_demo/faults", json!({"fault": {"kind": "meteor"}}))
        .await;
    assert_eq!(reply.status.as_u16(), 400);
    assert_eq!(reply.json["error"], "bad_request");
    org.shutdown().await;
}
