//! Every seeded user signs in to the status the table promises.

use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrgConfig, seeded_users};
use serde_json::json;

use crate::common::{self, assert_error, href};

#[tokio::test]
async fn seeded_users_are_listed_with_what_they_show() {
    let logins: Vec<_> = seeded_users().iter().map(|user| user.login).collect();
    assert_eq!(
        logins,
        [
            "enroll@demo.test",
            "push@demo.test",
            "number@demo.test",
            "totp@demo.test",
            "multi@demo.test",
            "nomfa@demo.test",
            "warn@demo.test",
            "expired@demo.test",
            "locked@demo.test",
            "sms@demo.test",
            "call@demo.test",
            "email@demo.test",
            "question@demo.test",
            "google@demo.test",
            "token@demo.test",
            "webauthn@demo.test",
            "allfactors@demo.test",
            "enrollall@demo.test",
            "forgot@demo.test",
            "recover@demo.test",
        ]
    );
    assert!(
        seeded_users()
            .iter()
            .all(|user| !user.display_name.is_empty() && !user.demonstrates.is_empty())
    );
    let org = common::start().await;
    let overview = org.get_json("/_demo").await.json;
    assert_eq!(overview["users"].as_array().map(Vec::len), Some(20));
    assert_eq!(overview["password"], DEMO_PASSWORD);
    org.shutdown().await;
}

#[tokio::test]
async fn enroll_user_must_enroll_push_and_may_enroll_totp() {
    let org = common::start().await;
    let tx = org.sign_in("enroll@demo.test").await;
    assert_eq!(tx["status"], "MFA_ENROLL");
    let factors = tx["_embedded"]["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 2);
    assert_eq!(factors[0]["factorType"], "push");
    assert_eq!(factors[0]["enrollment"], "REQUIRED");
    assert_eq!(factors[1]["factorType"], "token:software:totp");
    assert_eq!(factors[1]["enrollment"], "OPTIONAL");
    assert!(
        tx["_links"].get("skip").is_none(),
        "required enrollment cannot be skipped"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn push_number_totp_and_multi_users_get_mfa_required_with_their_factors() {
    let org = common::start().await;
    for (login, expected) in [
        ("push@demo.test", vec!["push"]),
        ("number@demo.test", vec!["push"]),
        ("totp@demo.test", vec!["token:software:totp"]),
        ("multi@demo.test", vec!["push", "token:software:totp"]),
    ] {
        let tx = org.sign_in(login).await;
        assert_eq!(tx["status"], "MFA_REQUIRED", "{login}");
        let types: Vec<_> = tx["_embedded"]["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|factor| factor["factorType"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(types, expected, "{login}");
    }
    org.shutdown().await;
}

#[tokio::test]
async fn nomfa_user_succeeds_at_once() {
    let org = common::start().await;
    let tx = org.sign_in("nomfa@demo.test").await;
    assert_eq!(tx["status"], "SUCCESS");
    assert!(tx["sessionToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(tx.get("stateToken").is_none());
    org.shutdown().await;
}

#[tokio::test]
async fn warn_user_is_warned_only_when_asking_and_may_skip() {
    let org = common::start().await;
    let quiet = org.sign_in("warn@demo.test").await;
    assert_eq!(quiet["status"], "SUCCESS");
    let tx = org
        .sign_in_with("warn@demo.test", json!({"warnBeforePasswordExpired": true}))
        .await;
    assert_eq!(tx["status"], "PASSWORD_WARN");
    assert_eq!(tx["_links"]["next"]["name"], "changePassword");
    let skipped = org
        .follow(&tx, &href(&tx["_links"]["skip"]), json!({}))
        .await;
    assert_eq!(skipped.json["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn warn_user_may_change_the_password_instead() {
    let org = common::start().await;
    let tx = org
        .sign_in_with("warn@demo.test", json!({"warnBeforePasswordExpired": true}))
        .await;
    let done = org
        .next(
            &tx,
            json!({"oldPassword": DEMO_PASSWORD, "newPassword": "Fresh-Pa55word!"}),
        )
        .await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn expired_user_must_change_the_password() {
    let org = common::start().await;
    let tx = org.sign_in("expired@demo.test").await;
    assert_eq!(tx["status"], "PASSWORD_EXPIRED");
    assert_eq!(tx["_links"]["next"]["name"], "changePassword");
    assert!(tx["_links"].get("skip").is_none());

    let wrong_old = org
        .next_raw(
            &tx,
            json!({"oldPassword": "nope", "newPassword": "Fresh-Pa55word!"}),
        )
        .await;
    assert_error(&wrong_old, 403, "E0000014");
    assert_eq!(
        wrong_old.json["errorSummary"],
        "Update of credentials failed"
    );
    assert_eq!(
        wrong_old.json["errorCauses"][0]["errorSummary"],
        "oldPassword: The credentials provided were incorrect."
    );
    let weak = org
        .next_raw(
            &tx,
            json!({"oldPassword": DEMO_PASSWORD, "newPassword": "short"}),
        )
        .await;
    assert_error(&weak, 403, "E0000014");
    let same = org
        .next_raw(
            &tx,
            json!({"oldPassword": DEMO_PASSWORD, "newPassword": DEMO_PASSWORD}),
        )
        .await;
    assert_error(&same, 403, "E0000014");

    let done = org
        .next(
            &tx,
            json!({"oldPassword": DEMO_PASSWORD, "newPassword": "Fresh-Pa55word!"}),
        )
        .await;
    assert_eq!(done["status"], "SUCCESS");

    let old = org
        .post(
            "/api/v1/authn",
            json!({"username": "expired@demo.test", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_error(&old, 401, "E0000004");
    let new = org
        .post(
            "/api/v1/authn",
            json!({"username": "expired@demo.test", "password": "Fresh-Pa55word!"}),
        )
        .await;
    assert_eq!(new.json["status"], "SUCCESS");
    org.shutdown().await;
}

async fn sign_in_reply(org: &common::Harness, login: &str, password: &str) -> common::Reply {
    org.post(
        "/api/v1/authn",
        json!({"username": login, "password": password}),
    )
    .await
}

#[tokio::test]
async fn a_locked_user_gets_the_wrong_password_answer_by_default() {
    let org = common::start().await;
    // Okta's default hides lockout: nothing tells a locked account from a wrong password.
    for password in [DEMO_PASSWORD, "wrong"] {
        let reply = sign_in_reply(&org, "locked@demo.test", password).await;
        assert_error(&reply, 401, "E0000004");
        assert_eq!(reply.json["errorSummary"], "Authentication failed");
    }
    org.shutdown().await;
}

#[tokio::test]
async fn an_org_that_reveals_lockout_answers_locked_out_with_unlock_and_cancel() {
    let org = common::start_with(DemoOrgConfig {
        reveal_lockout: true,
        ..common::unlimited()
    })
    .await;
    let tx = org.sign_in("locked@demo.test").await;
    assert_eq!(tx["status"], "LOCKED_OUT");
    assert!(tx.get("stateToken").is_none());
    assert_eq!(tx["_links"]["next"]["name"], "unlock");
    assert!(href(&tx["_links"]["next"]).ends_with("/api/v1/authn/recovery/unlock"));
    assert!(href(&tx["_links"]["cancel"]).ends_with("/api/v1/authn/cancel"));
    org.shutdown().await;
}

#[tokio::test]
async fn three_wrong_passwords_lock_a_user_until_reset() {
    let org = common::start().await;
    for _ in 0..3 {
        let reply = org
            .post(
                "/api/v1/authn",
                json!({"username": "push@demo.test", "password": "wrong"}),
            )
            .await;
        assert_error(&reply, 401, "E0000004");
    }
    let locked = sign_in_reply(&org, "push@demo.test", DEMO_PASSWORD).await;
    assert_error(&locked, 401, "E0000004");
    let reset = org.post("/_demo/reset", json!({})).await;
    assert_eq!(reset.status.as_u16(), 204);
    assert_eq!(
        org.sign_in("push@demo.test").await["status"],
        "MFA_REQUIRED"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_right_password_resets_the_failure_count() {
    let org = common::start().await;
    for _ in 0..2 {
        let reply = org
            .post(
                "/api/v1/authn",
                json!({"username": "nomfa@demo.test", "password": "wrong"}),
            )
            .await;
        assert_error(&reply, 401, "E0000004");
    }
    assert_eq!(org.sign_in("nomfa@demo.test").await["status"], "SUCCESS");
    let reply = org
        .post(
            "/api/v1/authn",
            json!({"username": "nomfa@demo.test", "password": "wrong"}),
        )
        .await;
    assert_error(&reply, 401, "E0000004");
    assert_eq!(org.sign_in("nomfa@demo.test").await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn unknown_users_fail_like_wrong_passwords() {
    let org = common::start().await;
    let reply = org
        .post(
            "/api/v1/authn",
            json!({"username": "nobody@demo.test", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_error(&reply, 401, "E0000004");
    org.shutdown().await;
}
