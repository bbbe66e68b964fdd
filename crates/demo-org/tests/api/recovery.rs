//! Classic self-service recovery over HTTP: forgotten password by emailed link or texted /
//! read-out code, the recovery question, the new password under the org's policy, unlock;
//! the shapes follow Okta's recordings (named on each key list).

use oktadesk_demo_org::{DEMO_PASSWORD, DEMO_SECURITY_ANSWER, DemoOrgConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{self, Harness, assert_error, href};

const NEW_PASSWORD: &str = "Brand-New-Pa55";

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    names.sort();
    names
}

async fn newest_message(org: &Harness, login: &str) -> Value {
    let inbox = org.get_json(&format!("/_demo/inbox/{login}")).await.json;
    inbox
        .as_array()
        .and_then(|all| all.last())
        .cloned()
        .expect("a message")
}

async fn start(org: &Harness, kind: &str, login: &str, factor: &str) -> common::Reply {
    org.post(
        &format!("/api/v1/authn/recovery/{kind}"),
        json!({"username": login, "factorType": factor, "relayState": "/app/after"}),
    )
    .await
}

/// Follows the emailed link's token: the transaction it opens.
async fn open_emailed_token(org: &Harness, login: &str) -> Value {
    let message = newest_message(org, login).await;
    let token = message["code"].as_str().expect("token").to_owned();
    let reply = org
        .post(
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": token}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    reply.json
}

async fn sign_in_reply(org: &Harness, login: &str, password: &str) -> common::Reply {
    org.post(
        "/api/v1/authn",
        json!({"username": login, "password": password}),
    )
    .await
}

#[tokio::test]
async fn forgotten_password_by_email_link_then_a_new_password_signs_in() {
    let org = common::start().await;
    let sent = start(&org, "password", "forgot@demo.test", "EMAIL").await;
    assert_eq!(sent.status, StatusCode::OK);
    // okta-auth-swift RECOVERY_CHALLENGE_EMAIL: no state token, nothing to follow.
    assert_eq!(
        keys(&sent.json),
        sorted(&[
            "status",
            "factorResult",
            "factorType",
            "recoveryType",
            "relayState"
        ])
    );
    assert_eq!(sent.json["status"], "RECOVERY_CHALLENGE");
    assert_eq!(sent.json["factorResult"], "WAITING");
    assert_eq!(sent.json["factorType"], "EMAIL");
    assert_eq!(sent.json["recoveryType"], "PASSWORD");

    let message = newest_message(&org, "forgot@demo.test").await;
    assert_eq!(message["channel"], "email");
    assert_eq!(message["to"], "forgot@demo.test");
    let link = message["link"].as_str().expect("link");
    let token = message["code"].as_str().expect("token");
    assert_eq!(link, format!("{}/signin/reset-password/{token}", org.base));
    assert!(message["text"].as_str().unwrap().contains(link));

    let reset = open_emailed_token(&org, "forgot@demo.test").await;
    // recovery-answer.json: PASSWORD_RESET with the policy.
    assert_eq!(
        keys(&reset),
        sorted(&[
            "stateToken",
            "expiresAt",
            "status",
            "recoveryType",
            "relayState",
            "_embedded",
            "_links"
        ])
    );
    assert_eq!(reset["status"], "PASSWORD_RESET");
    let policy = &reset["_embedded"]["policy"];
    assert_eq!(keys(policy), sorted(&["expiration", "complexity", "age"]));
    assert_eq!(
        keys(&policy["complexity"]),
        sorted(&[
            "minLength",
            "minLowerCase",
            "minUpperCase",
            "minNumber",
            "minSymbol",
            "excludeUsername"
        ])
    );
    assert_eq!(
        keys(&policy["age"]),
        sorted(&["minAgeMinutes", "historyCount"])
    );
    assert_eq!(policy["age"]["historyCount"], 4);
    assert_eq!(reset["_links"]["next"]["name"], "resetPassword");
    assert!(reset["_links"]["cancel"].is_object());

    // Refused first (too plain, then the username, then the current password), then taken.
    for weak in ["short", "forgot-Pa55word", DEMO_PASSWORD] {
        let refused = org.next_raw(&reset, json!({"newPassword": weak})).await;
        assert_error(&refused, 403, "E0000080");
        let cause = refused.json["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap();
        assert!(
            cause.starts_with("Password requirements were not met."),
            "{cause}"
        );
    }
    let done = org.next(&reset, json!({"newPassword": NEW_PASSWORD})).await;
    // Email is her second factor, and the email proved it: the sign-in succeeds.
    assert_eq!(done["status"], "SUCCESS", "{done}");
    assert!(done["sessionToken"].is_string());

    assert_error(
        &sign_in_reply(&org, "forgot@demo.test", DEMO_PASSWORD).await,
        401,
        "E0000004",
    );
    let again = sign_in_reply(&org, "forgot@demo.test", NEW_PASSWORD).await;
    assert_eq!(again.json["status"], "MFA_REQUIRED", "{}", again.json);
    org.shutdown().await;
}

#[tokio::test]
async fn a_recovery_token_works_once_and_only_within_its_hour() {
    let org = common::start().await;
    start(&org, "password", "forgot@demo.test", "EMAIL").await;
    let token = newest_message(&org, "forgot@demo.test").await["code"].clone();
    let first = org
        .post(
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": token}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let again = org
        .post(
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": token}),
        )
        .await;
    assert_error(&again, 403, "E0000105");
    let unknown = org
        .post(
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": "nonsense"}),
        )
        .await;
    assert_error(&unknown, 401, "E0000011");

    start(&org, "password", "forgot@demo.test", "EMAIL").await;
    let token = newest_message(&org, "forgot@demo.test").await["code"].clone();
    org.advance(61 * 60).await;
    let expired = org
        .post(
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": token}),
        )
        .await;
    assert_error(&expired, 403, "E0000105");
    org.shutdown().await;
}

#[tokio::test]
async fn unknown_users_get_the_same_email_answer_and_no_email() {
    let org = common::start().await;
    let sent = start(&org, "password", "nobody@demo.test", "EMAIL").await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(sent.json["status"], "RECOVERY_CHALLENGE");
    let blank = org
        .post("/api/v1/authn/recovery/password", json!({"username": ""}))
        .await;
    assert_error(&blank, 400, "E0000001");
    org.shutdown().await;
}

#[tokio::test]
async fn recovery_by_sms_asks_the_question_then_the_password() {
    let org = common::start().await;
    let challenge = start(&org, "password", "recover@demo.test", "SMS").await;
    assert_eq!(challenge.status, StatusCode::OK, "{}", challenge.json);
    let tx = challenge.json;
    // recovery-challenge-sms-pwd.json: state token, links, no _embedded.
    assert_eq!(
        keys(&tx),
        sorted(&[
            "stateToken",
            "expiresAt",
            "status",
            "factorType",
            "recoveryType",
            "relayState",
            "_links"
        ])
    );
    assert_eq!(tx["factorType"], "SMS");
    assert_eq!(keys(&tx["_links"]), sorted(&["next", "cancel", "resend"]));
    assert_eq!(tx["_links"]["next"]["name"], "verify");
    assert!(href(&tx["_links"]["next"]).ends_with("/api/v1/authn/recovery/factors/SMS/verify"));
    assert_eq!(tx["_links"]["resend"]["name"], "sms");

    let wrong = org.next_raw(&tx, json!({"passCode": "000000"})).await;
    assert_error(&wrong, 403, "E0000068");
    let text = newest_message(&org, "recover@demo.test").await;
    assert_eq!(text["channel"], "sms");
    let question = org.next(&tx, json!({"passCode": text["code"]})).await;
    // recovery-password.json: RECOVERY with the question on the user.
    assert_eq!(question["status"], "RECOVERY");
    assert_eq!(question["recoveryType"], "PASSWORD");
    assert!(question["_embedded"]["user"]["recovery_question"]["question"].is_string());
    assert_eq!(question["_links"]["next"]["name"], "answer");
    let wrong = org.next_raw(&question, json!({"answer": "wrong"})).await;
    assert_error(&wrong, 400, "E0000087");
    let reset = org
        .next(&question, json!({"answer": DEMO_SECURITY_ANSWER}))
        .await;
    assert_eq!(reset["status"], "PASSWORD_RESET");
    let done = org.next(&reset, json!({"newPassword": NEW_PASSWORD})).await;
    // The text proved his phone, his second factor: no further MFA.
    assert_eq!(done["status"], "SUCCESS", "{done}");
    let again = sign_in_reply(&org, "recover@demo.test", NEW_PASSWORD).await;
    assert_eq!(again.json["status"], "MFA_REQUIRED");
    org.shutdown().await;
}

#[tokio::test]
async fn recovery_by_voice_call_can_be_resent_after_half_a_minute() {
    let org = common::start().await;
    let tx = start(&org, "password", "recover@demo.test", "CALL")
        .await
        .json;
    assert_eq!(tx["factorType"], "CALL");
    assert_eq!(tx["_links"]["resend"]["name"], "CALL");
    let resend = href(&tx["_links"]["resend"]);
    assert_error(&org.follow(&tx, &resend, json!({})).await, 429, "E0000047");
    org.advance(31).await;
    let resent = org.follow(&tx, &resend, json!({})).await;
    assert_eq!(resent.json["status"], "RECOVERY_CHALLENGE");
    let call = newest_message(&org, "recover@demo.test").await;
    assert_eq!(call["channel"], "call");
    let question = org.next(&tx, json!({"passCode": call["code"]})).await;
    assert_eq!(question["status"], "RECOVERY");
    org.shutdown().await;
}

#[tokio::test]
async fn too_many_wrong_answers_end_the_recovery_and_lock_the_account() {
    let org = common::start().await;
    let tx = start(&org, "password", "recover@demo.test", "SMS")
        .await
        .json;
    let code = newest_message(&org, "recover@demo.test").await["code"].clone();
    let question = org.next(&tx, json!({"passCode": code})).await;
    for _ in 0..4 {
        assert_error(
            &org.next_raw(&question, json!({"answer": "no"})).await,
            400,
            "E0000087",
        );
    }
    assert_error(
        &org.next_raw(&question, json!({"answer": "no"})).await,
        403,
        "E0000069",
    );
    let dead = org
        .next_raw(&question, json!({"answer": DEMO_SECURITY_ANSWER}))
        .await;
    assert_error(&dead, 401, "E0000011");
    assert_error(
        &sign_in_reply(&org, "recover@demo.test", DEMO_PASSWORD).await,
        401,
        "E0000004",
    );
    org.shutdown().await;
}

#[tokio::test]
async fn sms_recovery_needs_an_sms_factor_and_email_is_the_default() {
    let org = common::start().await;
    assert_error(
        &start(&org, "password", "forgot@demo.test", "SMS").await,
        403,
        "E0000006",
    );
    assert_error(
        &start(&org, "password", "forgot@demo.test", "PUSH").await,
        400,
        "E0000001",
    );
    let default = org
        .post(
            "/api/v1/authn/recovery/password",
            json!({"username": "forgot@demo.test"}),
        )
        .await;
    assert_eq!(default.json["factorType"], "EMAIL");
    org.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_covers_recovery() {
    let org = common::start_with(DemoOrgConfig {
        rate_limit_per_second: 2,
        ..DemoOrgConfig::default()
    })
    .await;
    // Even if a second boundary falls between them, 8 requests overrun 2 within some second.
    let mut limited = None;
    for _ in 0..8 {
        let reply = start(&org, "password", "forgot@demo.test", "EMAIL").await;
        if reply.status.as_u16() == 429 {
            limited = Some(reply);
            break;
        }
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    }
    assert_error(&limited.expect("the limit was hit"), 429, "E0000047");
    org.shutdown().await;
}

#[tokio::test]
async fn unlock_by_email_unlocks_and_the_password_signs_in_again() {
    let org = common::start_with(DemoOrgConfig {
        reveal_lockout: true,
        ..common::unlimited()
    })
    .await;
    let locked = sign_in_reply(&org, "locked@demo.test", DEMO_PASSWORD)
        .await
        .json;
    assert_eq!(locked["status"], "LOCKED_OUT");
    let unlock = href(&locked["_links"]["next"]);
    let sent = org
        .post(
            &unlock,
            json!({"username": "locked@demo.test", "factorType": "EMAIL"}),
        )
        .await;
    assert_eq!(sent.json["recoveryType"], "UNLOCK", "{}", sent.json);
    let message = newest_message(&org, "locked@demo.test").await;
    let token = message["code"].as_str().unwrap();
    assert_eq!(
        message["link"],
        format!("{}/signin/unlock/{token}", org.base)
    );
    let unlocked = open_emailed_token(&org, "locked@demo.test").await;
    // okta-auth-swift SUCCESS_UNLOCK: no state or session token.
    assert_eq!(
        keys(&unlocked),
        sorted(&["expiresAt", "status", "recoveryType", "_embedded"])
    );
    assert_eq!(unlocked["status"], "SUCCESS");
    assert_eq!(unlocked["recoveryType"], "UNLOCK");
    assert_eq!(org.get_json("/_demo/stats").await.json["transactions"], 0);
    let signed_in = sign_in_reply(&org, "locked@demo.test", DEMO_PASSWORD).await;
    assert_eq!(signed_in.json["status"], "SUCCESS", "{}", signed_in.json);
    org.shutdown().await;
}

#[tokio::test]
async fn unlock_by_sms_answers_the_question_and_ends_in_success() {
    let org = common::start().await;
    for _ in 0..3 {
        sign_in_reply(&org, "recover@demo.test", "Wrong-Pa55").await;
    }
    let tx = start(&org, "unlock", "recover@demo.test", "SMS").await.json;
    assert_eq!(tx["recoveryType"], "UNLOCK");
    let code = newest_message(&org, "recover@demo.test").await["code"].clone();
    let question = org.next(&tx, json!({"passCode": code})).await;
    assert_eq!(question["status"], "RECOVERY");
    let unlocked = org
        .next(&question, json!({"answer": DEMO_SECURITY_ANSWER}))
        .await;
    assert_eq!(unlocked["status"], "SUCCESS");
    assert_eq!(unlocked["recoveryType"], "UNLOCK");
    assert!(unlocked.get("sessionToken").is_none());
    let signed_in = sign_in_reply(&org, "recover@demo.test", DEMO_PASSWORD).await;
    assert_eq!(
        signed_in.json["status"], "MFA_REQUIRED",
        "{}",
        signed_in.json
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_password_reset_unlocks_a_locked_account_too() {
    let org = common::start().await;
    start(&org, "password", "locked@demo.test", "EMAIL").await;
    let reset = open_emailed_token(&org, "locked@demo.test").await;
    let done = org.next(&reset, json!({"newPassword": NEW_PASSWORD})).await;
    assert_eq!(done["status"], "SUCCESS", "{done}");
    let again = sign_in_reply(&org, "locked@demo.test", NEW_PASSWORD).await;
    assert_eq!(again.json["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn an_org_without_self_service_refuses_recovery_and_offers_no_unlock() {
    let org = common::start_with(DemoOrgConfig {
        reveal_lockout: true,
        self_service_recovery: false,
        ..common::unlimited()
    })
    .await;
    let locked = sign_in_reply(&org, "locked@demo.test", DEMO_PASSWORD)
        .await
        .json;
    assert_eq!(locked["status"], "LOCKED_OUT");
    assert!(locked["_links"].get("next").is_none(), "{locked}");
    assert!(locked["_links"]["cancel"].is_object());
    let refused = start(&org, "password", "forgot@demo.test", "EMAIL").await;
    assert_error(&refused, 403, "E0000034");
    assert_eq!(
        refused.json["errorSummary"],
        "Forgot password not allowed on specified user."
    );
    assert_error(
        &start(&org, "unlock", "locked@demo.test", "EMAIL").await,
        403,
        "E0000032",
    );
    assert!(
        org.get_json("/_demo/inbox/forgot@demo.test")
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty()
    );
    org.shutdown().await;
}
