//! Okta Verify push verification: waiting, approval, rejection, timeout, number challenge.

use std::time::Duration;

use oktadesk_demo_org::DemoOrgConfig;
use serde_json::json;

use crate::common::{self, assert_error, href};

#[tokio::test]
async fn push_waits_until_the_phone_approves() {
    let org = common::start().await;
    let challenge = org.start_push("push@demo.test").await;
    assert_eq!(challenge["factorResult"], "WAITING");
    assert_eq!(challenge["_links"]["next"]["name"], "poll");
    let factor = &challenge["_embedded"]["factor"];
    assert_eq!(factor["profile"]["name"], "Demo Pixel 8");
    assert!(
        factor["_embedded"].get("challenge").is_none(),
        "no number challenge for push@"
    );

    let still = org.next(&challenge, json!({})).await;
    assert_eq!(still["factorResult"], "WAITING");

    let phone = org.phone("push@demo.test").await;
    assert_eq!(phone["pendingPush"]["factorId"], factor["id"]);
    assert!(phone["pendingPush"]["numbers"].is_null());

    let approved = org.approve("push@demo.test", None).await;
    assert_eq!(approved.json["result"], "APPROVED");
    let done = org.next(&still, json!({})).await;
    assert_eq!(done["status"], "SUCCESS");
    assert!(done["sessionToken"].is_string());
    org.shutdown().await;
}

#[tokio::test]
async fn a_rejected_push_can_be_sent_again() {
    let org = common::start().await;
    let challenge = org.start_push("multi@demo.test").await;
    let rejected = org
        .post("/_demo/phone/multi@demo.test/reject", json!(null))
        .await;
    assert_eq!(rejected.json["result"], "REJECTED");

    let result = org.next(&challenge, json!({})).await;
    assert_eq!(result["status"], "MFA_CHALLENGE");
    assert_eq!(result["factorResult"], "REJECTED");
    assert_eq!(result["_links"]["next"]["name"], "verify");
    assert_eq!(result["_links"]["resend"][0]["name"], "push");

    let again = org.next(&result, json!({})).await;
    assert_eq!(again["factorResult"], "WAITING");
    org.approve("multi@demo.test", None).await;
    assert_eq!(org.next(&again, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn an_unanswered_push_times_out_and_resend_starts_a_new_one() {
    let org = common::start_with(DemoOrgConfig {
        push_lifetime: Duration::from_secs(30),
        ..common::unlimited()
    })
    .await;
    let challenge = org.start_push("push@demo.test").await;
    org.advance(31).await;
    let timed_out = org.next(&challenge, json!({})).await;
    assert_eq!(timed_out["factorResult"], "TIMEOUT");
    assert_eq!(timed_out["_links"]["next"]["name"], "verify");

    let no_push = org.approve("push@demo.test", None).await;
    assert_eq!(no_push.status.as_u16(), 409);
    assert_eq!(no_push.json["error"], "no_pending_push");

    let resend = href(&timed_out["_links"]["resend"][0]);
    let resent = org.follow(&timed_out, &resend, json!({})).await;
    assert_eq!(resent.json["factorResult"], "WAITING");
    org.approve("push@demo.test", None).await;
    assert_eq!(org.next(&resent.json, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn number_challenge_shows_from_the_second_response_and_needs_the_right_number() {
    let org = common::start().await;
    let challenge = org.start_push("number@demo.test").await;
    assert!(
        challenge["_embedded"]["factor"]["_embedded"]["challenge"].is_null(),
        "the phone has not shown its numbers yet"
    );
    let polled = org.next(&challenge, json!({})).await;
    let answer = polled["_embedded"]["factor"]["_embedded"]["challenge"]["correctAnswer"]
        .as_u64()
        .expect("correctAnswer on the second response");
    let phone = org.phone("number@demo.test").await;
    let numbers: Vec<u64> =
        serde_json::from_value(phone["pendingPush"]["numbers"].clone()).unwrap();
    assert_eq!(numbers.len(), 3);
    assert!(numbers.contains(&answer));

    let without = org.approve("number@demo.test", None).await;
    assert_eq!(without.status.as_u16(), 400);
    assert_eq!(without.json["error"], "number_required");

    let approved = org.approve("number@demo.test", Some(answer)).await;
    assert_eq!(approved.json["result"], "APPROVED");
    assert_eq!(org.next(&polled, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn number_challenge_shows_after_a_second_even_without_polling() {
    let org = common::start().await;
    let challenge = org.start_push("number@demo.test").await;
    org.advance(1).await;
    let resumed = org
        .post(
            "/api/v1/authn",
            json!({"stateToken": challenge["stateToken"]}),
        )
        .await;
    assert!(
        resumed.json["_embedded"]["factor"]["_embedded"]["challenge"]["correctAnswer"].is_u64()
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_wrong_number_rejects_the_push() {
    let org = common::start().await;
    let challenge = org.start_push("number@demo.test").await;
    let polled = org.next(&challenge, json!({})).await;
    let answer = polled["_embedded"]["factor"]["_embedded"]["challenge"]["correctAnswer"]
        .as_u64()
        .unwrap();
    let phone = org.phone("number@demo.test").await;
    let wrong = phone["pendingPush"]["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_u64())
        .find(|n| *n != answer)
        .unwrap();
    let reply = org.approve("number@demo.test", Some(wrong)).await;
    assert_eq!(reply.json["result"], "REJECTED");
    let result = org.next(&polled, json!({})).await;
    assert_eq!(result["factorResult"], "REJECTED");
    org.shutdown().await;
}

#[tokio::test]
async fn auto_approve_answers_pushes_with_the_right_number() {
    let org = common::start_with(DemoOrgConfig {
        auto_approve: Some(Duration::from_secs(2)),
        ..common::unlimited()
    })
    .await;
    let challenge = org.start_push("number@demo.test").await;
    assert_eq!(
        org.next(&challenge, json!({})).await["factorResult"],
        "WAITING"
    );
    org.advance(2).await;
    assert_eq!(org.next(&challenge, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn auto_push_is_remembered_in_the_policy() {
    let org = common::start().await;
    let tx = org.sign_in("push@demo.test").await;
    let factor_id = tx["_embedded"]["factors"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        tx["_embedded"]["policy"]["factorsPolicyInfo"][&factor_id]["autoPushEnabled"],
        false
    );
    let verify = org.verify_href(&tx, "push");
    let reply = org
        .follow(
            &tx,
            &format!("{verify}?autoPush=true&rememberDevice=false"),
            json!({}),
        )
        .await;
    // The challenge carries `factorsPolicyInfo: null`, as Okta's recorded challenges do; the
    // factor list it goes back to shows what was remembered.
    assert!(reply.json["_embedded"]["policy"]["factorsPolicyInfo"].is_null());
    let back = org
        .follow(&reply.json, &href(&reply.json["_links"]["prev"]), json!({}))
        .await;
    assert_eq!(
        back.json["_embedded"]["policy"]["factorsPolicyInfo"][&factor_id]["autoPushEnabled"],
        true
    );
    org.shutdown().await;
}

#[tokio::test]
async fn previous_goes_back_from_the_challenge_to_the_factor_list() {
    let org = common::start().await;
    let challenge = org.start_push("multi@demo.test").await;
    let back = org
        .follow(&challenge, &href(&challenge["_links"]["prev"]), json!({}))
        .await;
    assert_eq!(back.json["status"], "MFA_REQUIRED");
    let again = org
        .follow(
            &back.json,
            &href(&back.json["_links"]["cancel"]).replace("cancel", "previous"),
            json!({}),
        )
        .await;
    assert_error(&again, 403, "E0000079");
    org.shutdown().await;
}

#[tokio::test]
async fn the_in_process_phone_handle_drives_the_same_phone() {
    let org = common::start().await;
    let challenge = org.start_push("push@demo.test").await;
    let phone = org.org.phone("push@demo.test");
    assert!(phone.view().unwrap().pending_push.is_some());
    assert_eq!(
        phone.approve(None).unwrap(),
        oktadesk_demo_org::PushAnswer::Approved
    );
    assert_eq!(org.next(&challenge, json!({})).await["status"], "SUCCESS");
    assert!(matches!(
        org.org.phone("nobody@demo.test").view(),
        Err(oktadesk_demo_org::DemoOrgError::UnknownUser { .. })
    ));
    org.shutdown().await;
}
