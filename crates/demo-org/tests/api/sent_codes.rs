//! SMS, voice call and email: codes the org sends (to the user's inbox under `/_demo`),
//! verified, sent again no sooner than Okta allows, and enrolled with a phone number.

use oktadesk_demo_org::DEMO_PHONE_NUMBER;
use serde_json::{Value, json};

use crate::common::{self, Harness, assert_error, href};

/// The newest code in the user's inbox, and the message it came in.
async fn last_message(org: &Harness, login: &str) -> Value {
    let inbox = org.get_json(&format!("/_demo/inbox/{login}")).await.json;
    inbox
        .as_array()
        .and_then(|messages| messages.last())
        .cloned()
        .unwrap_or_else(|| panic!("{login}'s inbox is empty"))
}

/// Signs in and has the factor of `factor_type` send a code: the MFA_CHALLENGE.
async fn challenge(org: &Harness, login: &str, factor_type: &str) -> Value {
    let tx = org.sign_in(login).await;
    assert_eq!(tx["status"], "MFA_REQUIRED");
    let verify = org.verify_href(&tx, factor_type);
    let reply = org.follow(&tx, &verify, json!({})).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    reply.json
}

#[tokio::test]
async fn an_sms_code_is_texted_to_the_inbox_and_signs_in() {
    let org = common::start().await;
    let tx = org.sign_in("sms@demo.test").await;
    let listed = &tx["_embedded"]["factors"][0];
    assert_eq!(listed["factorType"], "sms");
    assert_eq!(listed["profile"]["phoneNumber"], "+1 XXX-XXX-0142");

    let tx = challenge(&org, "sms@demo.test", "sms").await;
    assert_eq!(tx["status"], "MFA_CHALLENGE");
    assert!(tx.get("factorResult").is_none(), "{tx}");
    let factor = &tx["_embedded"]["factor"];
    assert_eq!(factor["profile"]["phoneNumber"], "+1 XXX-XXX-0142");
    assert_eq!(tx["_links"]["next"]["name"], "verify");
    assert_eq!(tx["_links"]["resend"][0]["name"], "sms");
    assert!(href(&tx["_links"]["resend"][0]).ends_with("/verify/resend"));

    let message = last_message(&org, "sms@demo.test").await;
    assert_eq!(message["channel"], "sms");
    assert_eq!(message["to"], DEMO_PHONE_NUMBER);
    let code = message["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert!(message["text"].as_str().unwrap().contains(&code));

    let wrong = org.next_raw(&tx, json!({"passCode": "000000"})).await;
    assert_error(&wrong, 403, "E0000068");
    let done = org.next(&tx, json!({"passCode": code})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn a_new_sms_is_refused_within_30_seconds_then_sent() {
    let org = common::start().await;
    let tx = challenge(&org, "sms@demo.test", "sms").await;
    let first = last_message(&org, "sms@demo.test").await["code"].clone();
    let resend = href(&tx["_links"]["resend"][0]);
    let too_soon = org.follow(&tx, &resend, json!({})).await;
    assert_error(&too_soon, 429, "E0000109");
    org.advance(31).await;
    let again = org.follow(&tx, &resend, json!({})).await;
    assert_eq!(again.json["status"], "MFA_CHALLENGE", "{}", again.json);
    let second = last_message(&org, "sms@demo.test").await["code"].clone();
    // The old code is replaced by the new one.
    let old = org.next_raw(&tx, json!({"passCode": first})).await;
    if first != second {
        assert_error(&old, 403, "E0000068");
    }
    let done = org.next(&tx, json!({"passCode": second})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn a_voice_call_reads_out_five_digits() {
    let org = common::start().await;
    let tx = challenge(&org, "call@demo.test", "call").await;
    assert_eq!(tx["_links"]["resend"][0]["name"], "call");
    let message = last_message(&org, "call@demo.test").await;
    assert_eq!(message["channel"], "call");
    let code = message["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 5);
    let done = org.next(&tx, json!({"passCode": code})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn an_email_code_goes_to_the_login_masked_in_the_profile() {
    let org = common::start().await;
    let tx = challenge(&org, "email@demo.test", "email").await;
    assert_eq!(
        tx["_embedded"]["factor"]["profile"]["email"],
        "e...l@demo.test"
    );
    assert_eq!(tx["_links"]["resend"][0]["name"], "email");
    let message = last_message(&org, "email@demo.test").await;
    assert_eq!(message["to"], "email@demo.test");
    let done = org.next(&tx, json!({"passCode": message["code"]})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn sms_enrollment_texts_a_code_to_the_number_given_and_can_resend() {
    let org = common::start().await;
    let tx = org.sign_in("enrollall@demo.test").await;
    assert_eq!(tx["status"], "MFA_ENROLL");
    assert!(tx["_links"].get("skip").is_none(), "one factor is needed");
    let sms = tx["_embedded"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|factor| factor["factorType"] == "sms")
        .unwrap()
        .clone();
    // The phone the account has, masked, for the client to offer replacing it.
    assert_eq!(
        sms["_embedded"]["phones"][0]["profile"]["phoneNumber"],
        "+1 XXX-XXX-0142"
    );

    let bad = org
        .follow(
            &tx,
            &href(&sms["_links"]["enroll"]),
            json!({"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "555"}}),
        )
        .await;
    assert_error(&bad, 400, "E0000098");
    assert_eq!(bad.json["errorSummary"], "This phone number is invalid.");

    let enroll = format!("{}?updatePhone=true", href(&sms["_links"]["enroll"]));
    let activate = org
        .follow(
            &tx,
            &enroll,
            json!({"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "+1 555-555-0177"}}),
        )
        .await
        .json;
    assert_eq!(activate["status"], "MFA_ENROLL_ACTIVATE");
    let factor = &activate["_embedded"]["factor"];
    assert!(factor["id"].as_str().unwrap().starts_with("mbl"));
    assert_eq!(factor["profile"]["phoneNumber"], "+1 XXX-XXX-0177");
    assert_eq!(activate["_links"]["next"]["name"], "activate");
    assert!(href(&activate["_links"]["resend"][0]).ends_with("/lifecycle/resend"));
    let message = last_message(&org, "enrollall@demo.test").await;
    assert_eq!(message["to"], "+15555550177");

    org.advance(31).await;
    let resent = org
        .follow(
            &activate,
            &href(&activate["_links"]["resend"][0]),
            json!({"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "+15555550177"}}),
        )
        .await;
    assert_eq!(resent.status.as_u16(), 200, "{}", resent.json);
    let code = last_message(&org, "enrollall@demo.test").await["code"].clone();
    let done = org.next(&activate, json!({"passCode": code})).await;
    assert_eq!(done["status"], "SUCCESS", "one factor is enough");
    org.shutdown().await;
}

#[tokio::test]
async fn email_enrollment_sends_the_first_code_at_once() {
    let org = common::start().await;
    let tx = org.sign_in("enrollall@demo.test").await;
    let activate = org
        .follow(
            &tx,
            &org.url("/api/v1/authn/factors"),
            json!({"factorType": "email", "provider": "OKTA"}),
        )
        .await
        .json;
    assert_eq!(activate["status"], "MFA_ENROLL_ACTIVATE");
    assert_eq!(
        activate["_embedded"]["factor"]["profile"]["email"],
        "e...l@demo.test"
    );
    let code = last_message(&org, "enrollall@demo.test").await["code"].clone();
    let done = org.next(&activate, json!({"passCode": code})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}
