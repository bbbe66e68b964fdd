//! Okta Verify code verification: right, wrong, replayed, outside the window.

use serde_json::json;

use crate::common::{self, assert_error};

#[tokio::test]
async fn the_phone_code_signs_in() {
    let org = common::start().await;
    let tx = org.sign_in("totp@demo.test").await;
    let verify = org.verify_href(&tx, "token:software:totp");
    let code = org.totp_code("totp@demo.test").await;
    let phone = org.phone("totp@demo.test").await;
    assert_eq!(phone["codes"][0]["account"], "totp@demo.test");
    assert!(
        phone["codes"][0]["secondsRemaining"]
            .as_u64()
            .is_some_and(|s| (1..=30).contains(&s))
    );
    let done = org.follow(&tx, &verify, json!({"passCode": code})).await;
    assert_eq!(done.json["status"], "SUCCESS", "{}", done.json);
    org.shutdown().await;
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_the_transaction_survives() {
    let org = common::start().await;
    let tx = org.sign_in("totp@demo.test").await;
    let verify = org.verify_href(&tx, "token:software:totp");
    let code = org.totp_code("totp@demo.test").await;
    // Changing every digit gives a code that is not this step's (nor, by a huge margin, a
    // neighbour's).
    let wrong: String = code
        .chars()
        .map(|c| char::from_digit((c.to_digit(10).unwrap() + 5) % 10, 10).unwrap())
        .collect();
    let reply = org.follow(&tx, &verify, json!({"passCode": wrong})).await;
    assert_error(&reply, 403, "E0000068");
    let blank = org.follow(&tx, &verify, json!({})).await;
    assert_error(&blank, 400, "E0000001");
    let done = org.follow(&tx, &verify, json!({"passCode": code})).await;
    assert_eq!(done.json["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn a_used_code_is_refused_as_replayed() {
    let org = common::start().await;
    let code = org.totp_code("multi@demo.test").await;
    let first = org.sign_in("multi@demo.test").await;
    let verify = org.verify_href(&first, "token:software:totp");
    let done = org.follow(&first, &verify, json!({"passCode": code})).await;
    assert_eq!(done.json["status"], "SUCCESS");

    let second = org.sign_in("multi@demo.test").await;
    let replay = org
        .follow(&second, &verify, json!({"passCode": code}))
        .await;
    assert_error(&replay, 403, "E0000082");
    org.shutdown().await;
}

#[tokio::test]
async fn an_old_code_is_refused_as_outside_the_window() {
    let org = common::start().await;
    let code = org.totp_code("totp@demo.test").await;
    org.advance(5 * 30).await;
    let tx = org.sign_in("totp@demo.test").await;
    let verify = org.verify_href(&tx, "token:software:totp");
    let reply = org.follow(&tx, &verify, json!({"passCode": code})).await;
    assert_error(&reply, 403, "E0000083");
    // Okta's own wording for the code.
    assert_eq!(
        reply.json["errorSummary"],
        "PassCode is valid but exceeded time window."
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_code_from_one_step_ago_is_still_accepted() {
    let org = common::start().await;
    let code = org.totp_code("totp@demo.test").await;
    org.advance(30).await;
    let tx = org.sign_in("totp@demo.test").await;
    let verify = org.verify_href(&tx, "token:software:totp");
    let reply = org.follow(&tx, &verify, json!({"passCode": code})).await;
    assert_eq!(reply.json["status"], "SUCCESS", "{}", reply.json);
    org.shutdown().await;
}
