//! Security questions, authenticator apps, hardware tokens, and the factors only a browser
//! can do: listed as Okta lists them, verified and enrolled as Okta documents.

use oktadesk_demo_org::DEMO_SECURITY_ANSWER;
use serde_json::{Value, json};

use crate::common::{self, Harness, assert_error, href};

fn factor_types(tx: &Value) -> Vec<String> {
    tx["_embedded"]["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .map(|factor| format!("{}/{}", factor["factorType"], factor["provider"]).replace('"', ""))
        .collect()
}

async fn enroll(org: &Harness, tx: &Value, body: Value) -> common::Reply {
    org.follow(tx, &org.url("/api/v1/authn/factors"), body)
        .await
}

#[tokio::test]
async fn a_security_question_is_answered_whatever_the_case() {
    let org = common::start().await;
    let tx = org.sign_in("question@demo.test").await;
    let factor = &tx["_embedded"]["factors"][0];
    assert_eq!(factor["factorType"], "question");
    assert_eq!(factor["profile"]["question"], "disliked_food");
    assert!(factor["profile"]["questionText"].is_string());
    let verify = href(&factor["_links"]["verify"]);
    let wrong = org
        .follow(&tx, &verify, json!({"answer": "mayonnaise"}))
        .await;
    assert_error(&wrong, 403, "E0000068");
    assert_eq!(
        wrong.json["errorCauses"][0]["errorSummary"],
        "Your answer doesn't match our records. Please try again."
    );
    let answer = DEMO_SECURITY_ANSWER.to_uppercase();
    let done = org.follow(&tx, &verify, json!({"answer": answer})).await;
    assert_eq!(done.json["status"], "SUCCESS", "{}", done.json);
    org.shutdown().await;
}

#[tokio::test]
async fn a_security_question_is_enrolled_from_the_orgs_list_and_active_at_once() {
    let org = common::start().await;
    let tx = org.sign_in("enrollall@demo.test").await;
    let question = tx["_embedded"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|factor| factor["factorType"] == "question")
        .unwrap()
        .clone();
    let listed = org
        .get_json(href(&question["_links"]["questions"]).trim_start_matches(&org.base))
        .await;
    assert_eq!(listed.status.as_u16(), 200);
    let first = &listed.json[0];
    assert_eq!(first["question"], "disliked_food");
    assert!(first["questionText"].is_string());

    let short = enroll(
        &org,
        &tx,
        json!({"factorType": "question", "provider": "OKTA",
               "profile": {"question": "disliked_food", "answer": "no"}}),
    )
    .await;
    assert_error(&short, 400, "E0000001");
    assert_eq!(
        short.json["errorCauses"][0]["errorSummary"],
        "answer: The security question answer must be at least 4 characters in length"
    );
    let done = enroll(
        &org,
        &tx,
        json!({"factorType": "question", "provider": "OKTA",
               "profile": {"question": "disliked_food", "answer": "blue cheese"}}),
    )
    .await;
    assert_eq!(done.json["status"], "SUCCESS", "{}", done.json);
    org.shutdown().await;
}

#[tokio::test]
async fn google_authenticator_is_enrolled_by_qr_or_key_then_a_code() {
    let org = common::start().await;
    let tx = org.sign_in("google@demo.test").await;
    assert_eq!(factor_types(&tx), ["token:software:totp/GOOGLE"]);
    assert_eq!(tx["_embedded"]["factors"][0]["enrollment"], "REQUIRED");
    let activate = enroll(
        &org,
        &tx,
        json!({"factorType": "token:software:totp", "provider": "GOOGLE"}),
    )
    .await
    .json;
    let activation = &activate["_embedded"]["factor"]["_embedded"]["activation"];
    let (status, png) = org.fetch_png(&href(&activation["_links"]["qrcode"])).await;
    assert_eq!(status.as_u16(), 200);
    let scanned = org.scan("google@demo.test", png).await;
    assert_eq!(scanned.json["result"], "CODE_ADDED", "{}", scanned.json);
    let code = org.totp_code("google@demo.test").await;
    let done = org.next(&activate, json!({"passCode": code})).await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn an_rsa_token_code_from_the_phone_signs_in() {
    let org = common::start().await;
    let tx = org.sign_in("token@demo.test").await;
    assert_eq!(factor_types(&tx), ["token/RSA"]);
    let phone = org.phone("token@demo.test").await;
    assert_eq!(phone["codes"][0]["issuer"], "RSA SecurID");
    let code = phone["codes"][0]["code"].as_str().unwrap().to_owned();
    let verify = org.verify_href(&tx, "token");
    let done = org.follow(&tx, &verify, json!({"passCode": code})).await;
    assert_eq!(done.json["status"], "SUCCESS", "{}", done.json);
    org.shutdown().await;
}

#[tokio::test]
async fn a_required_security_key_is_listed_and_set_up_only_in_a_browser() {
    let org = common::start().await;
    let tx = org.sign_in("webauthn@demo.test").await;
    assert_eq!(tx["status"], "MFA_ENROLL");
    assert_eq!(factor_types(&tx), ["webauthn/FIDO", "push/OKTA"]);
    assert_eq!(tx["_embedded"]["factors"][0]["enrollment"], "REQUIRED");
    let refused = enroll(
        &org,
        &tx,
        json!({"factorType": "webauthn", "provider": "FIDO"}),
    )
    .await;
    assert_error(&refused, 400, "E0000001");
    org.shutdown().await;
}

#[tokio::test]
async fn every_factor_type_is_listed_for_verification_and_for_enrollment() {
    let org = common::start().await;
    let every = [
        "push/OKTA",
        "token:software:totp/OKTA",
        "token:software:totp/GOOGLE",
        "sms/OKTA",
        "call/OKTA",
        "email/OKTA",
        "question/OKTA",
        "token/RSA",
        "webauthn/FIDO",
        "u2f/FIDO",
        "web/DUO",
    ];
    let required = org.sign_in("allfactors@demo.test").await;
    assert_eq!(required["status"], "MFA_REQUIRED");
    assert_eq!(factor_types(&required), every);
    let verify = org.verify_href(&required, "webauthn");
    let browser_only = org.follow(&required, &verify, json!({})).await;
    assert_error(&browser_only, 400, "E0000001");

    let enroll = org.sign_in("enrollall@demo.test").await;
    assert_eq!(enroll["status"], "MFA_ENROLL");
    assert_eq!(factor_types(&enroll), every);
    assert!(
        enroll["_embedded"]["factors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|factor| factor["status"] == "NOT_SETUP" && factor["enrollment"] == "OPTIONAL")
    );
    org.shutdown().await;
}

#[tokio::test]
async fn an_rsa_token_is_enrolled_with_the_code_it_shows() {
    let org = common::start().await;
    let tx = org.sign_in("enrollall@demo.test").await;
    let body = |code: &str| {
        json!({"factorType": "token", "provider": "RSA",
               "profile": {"credentialId": "enrollall@demo.test"}, "passCode": code})
    };
    let wrong = enroll(&org, &tx, body("00000000")).await;
    assert_error(&wrong, 403, "E0000068");
    let phone = org.phone("enrollall@demo.test").await;
    let code = phone["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|code| code["issuer"] == "RSA SecurID")
        .expect("the token the user was handed")["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = enroll(&org, &tx, body(&code)).await;
    assert_eq!(done.json["status"], "SUCCESS", "{}", done.json);
    org.shutdown().await;
}
