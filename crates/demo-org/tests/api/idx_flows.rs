//! Identity Engine sign-ins end to end: identify, password, then Okta Verify push (with and
//! without a number challenge), code, or nothing; password expiry; cancel.

use oktadesk_demo_org::DEMO_PASSWORD;
use serde_json::json;

use crate::idx_client::{self, VERIFIER, input_message_key, message_key, names, remediation};

#[tokio::test]
async fn interact_and_introspect_answer_okta_shapes() {
    let org = idx_client::start().await;
    let interact = org.interact_with(&[]).await;
    assert_eq!(interact.status.as_u16(), 200);
    let handle = interact.json["interaction_handle"].as_str().unwrap();
    assert!(handle.len() >= 40);

    let reply = org
        .post(
            "/idp/idx/introspect",
            json!({ "interactionHandle": handle }),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(
        reply.headers["content-type"],
        "application/ion+json; okta-version=1.0.0"
    );
    let start = &reply.json;
    assert_eq!(start["version"], "1.0.0");
    assert_eq!(start["intent"], "LOGIN");
    assert!(start["expiresAt"].as_str().unwrap().ends_with('Z'));
    let identify = remediation(start, "identify");
    assert_eq!(identify["href"], org.url("/idp/idx/identify"));
    assert_eq!(identify["method"], "POST");
    assert_eq!(identify["rel"], json!(["create-form"]));
    assert_eq!(identify["value"][0]["name"], "identifier");
    let state_field = identify["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|field| field["name"] == "stateHandle")
        .unwrap();
    assert_eq!(state_field["value"], start["stateHandle"]);
    assert_eq!(state_field["mutable"], false);
    assert_eq!(state_field["visible"], false);
    assert_eq!(start["cancel"]["href"], org.url("/idp/idx/cancel"));
    assert_eq!(
        start["app"]["value"]["id"],
        oktadesk_demo_org::DEMO_OIDC_CLIENT_ID
    );

    // The state handle introspects the same transaction.
    let again = org
        .post(
            "/idp/idx/introspect",
            json!({ "stateToken": start["stateHandle"] }),
        )
        .await;
    assert_eq!(again.json["stateHandle"], start["stateHandle"]);
    org.shutdown().await;
}

#[tokio::test]
async fn password_then_push_with_number_challenge_signs_in() {
    let org = idx_client::start().await;
    let start = org.idx_begin().await;
    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "number@demo.test" }),
        )
        .await;
    assert_eq!(password["user"]["value"]["identifier"], "number@demo.test");
    let challenge = remediation(&password, "challenge-authenticator");
    assert_eq!(
        challenge["relatesTo"],
        json!(["$.currentAuthenticatorEnrollment"])
    );
    assert_eq!(
        password["currentAuthenticatorEnrollment"]["value"]["key"],
        "okta_password"
    );
    let select = org
        .proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    assert_eq!(names(&select), ["select-authenticator-authenticate"]);

    let reply = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "okta_verify",
            Some("push"),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    let polling = reply.json;
    let poll = remediation(&polling, "challenge-poll");
    assert_eq!(poll["refresh"], 4000);
    let current = &polling["currentAuthenticator"]["value"];
    assert_eq!(current["key"], "okta_verify");
    let answer = current["contextualData"]["correctAnswer"]
        .as_str()
        .expect("the number is a string");

    let phone = org.phone("number@demo.test").await;
    let numbers = phone["pendingPush"]["numbers"]
        .as_array()
        .expect("three numbers");
    assert_eq!(numbers.len(), 3);
    assert!(
        numbers
            .iter()
            .any(|n| n.as_u64().map(|n| n.to_string()).as_deref() == Some(answer))
    );

    let still = org.proceed(&polling, "challenge-poll", json!({})).await;
    assert_eq!(names(&still)[0], "challenge-poll");
    let approved = org
        .approve("number@demo.test", Some(answer.parse().unwrap()))
        .await;
    assert_eq!(approved.json["result"], "APPROVED");
    let done = org.proceed(&still, "challenge-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    assert!(done.get("remediation").is_none());

    let tokens = org.exchange(&done, VERIFIER).await;
    assert_eq!(tokens.status.as_u16(), 200, "{}", tokens.json);
    org.shutdown().await;
}

#[tokio::test]
async fn a_wrong_number_or_a_rejection_refuses_the_push() {
    let org = idx_client::start().await;
    let polling = org
        .verify_with("number@demo.test", "okta_verify", Some("push"))
        .await;
    let answer: u64 = polling["currentAuthenticator"]["value"]["contextualData"]["correctAnswer"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wrong = (1..=99).find(|n| *n != answer).unwrap();
    let tapped = org.approve("number@demo.test", Some(wrong)).await;
    assert_eq!(tapped.json["result"], "REJECTED");
    let refused = org.remediate(&polling, "challenge-poll", json!({})).await;
    // A 200, as Okta's recorded rejected-push answer: the message says what happened.
    assert_eq!(refused.status.as_u16(), 200);
    assert_eq!(
        message_key(&refused.json),
        "api.authn.poll.error.push_rejected"
    );
    assert!(!names(&refused.json).contains(&"challenge-poll".to_owned()));

    // A bare `resend` comes first, as in Okta's recorded answer, with Okta Verify's push
    // fixed in its form; sending it again works, and a plain rejection refuses it too.
    assert_eq!(names(&refused.json)[0], "resend");
    let resend = remediation(&refused.json, "resend");
    assert!(refused.json["currentAuthenticator"]["value"]["resend"].is_null());
    let fixed = &resend["value"][0]["value"]["form"]["value"];
    assert_eq!(fixed[1]["value"], "push");
    let again = org
        .post(
            &crate::common::href(resend),
            json!({
                "stateHandle": refused.json["stateHandle"],
                "authenticator": {"id": fixed[0]["value"], "methodType": "push"},
            }),
        )
        .await;
    assert_eq!(again.status.as_u16(), 200, "{}", again.json);
    org.post("/_demo/phone/number@demo.test/reject", json!(null))
        .await;
    let rejected = org
        .remediate(&again.json, "challenge-poll", json!({}))
        .await;
    assert_eq!(
        message_key(&rejected.json),
        "api.authn.poll.error.push_rejected"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_plain_push_is_approved_without_a_number() {
    let org = idx_client::start().await;
    let polling = org.verify_with("push@demo.test", "okta_verify", None).await;
    assert!(polling["currentAuthenticator"]["value"]["contextualData"].is_null());
    assert!(org.phone("push@demo.test").await["pendingPush"]["numbers"].is_null());
    org.approve("push@demo.test", None).await;
    let done = org.proceed(&polling, "challenge-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object());
    org.shutdown().await;
}

#[tokio::test]
async fn okta_verify_codes_are_checked() {
    let org = idx_client::start().await;
    let challenge = org
        .verify_with("totp@demo.test", "okta_verify", Some("totp"))
        .await;
    let form = remediation(&challenge, "challenge-authenticator");
    assert_eq!(form["value"][0]["form"]["value"][0]["name"], "totp");
    let wrong = org
        .remediate(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "totp": "000000" } }),
        )
        .await;
    // (One in a million, 000000 is the code; then the org rightly accepts it.)
    if wrong.status.as_u16() != 200 {
        assert_eq!(wrong.status.as_u16(), 401);
        assert_eq!(
            input_message_key(&wrong.json),
            "api.authn.error.PASSCODE_INVALID"
        );
        assert_eq!(names(&wrong.json)[0], "challenge-authenticator");
        let code = org.totp_code("totp@demo.test").await;
        let done = org
            .proceed(
                &wrong.json,
                "challenge-authenticator",
                json!({ "credentials": { "totp": code } }),
            )
            .await;
        assert!(done["successWithInteractionCode"].is_object());
    }
    org.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_answers_in_the_same_remediation() {
    let org = idx_client::start().await;
    let start = org.idx_begin().await;
    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "nomfa@demo.test" }),
        )
        .await;
    let wrong = org
        .remediate(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "not-it" } }),
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 401);
    assert_eq!(message_key(&wrong.json), "incorrectPassword");
    assert_eq!(wrong.json["messages"]["value"][0]["class"], "ERROR");
    let right = org
        .proceed(
            &wrong.json,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    assert!(
        right["successWithInteractionCode"].is_object(),
        "no MFA for nomfa@"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn an_expired_password_must_be_changed() {
    let org = idx_client::start().await;
    let reenroll = org.idx_sign_in("expired@demo.test").await;
    let form = remediation(&reenroll, "reenroll-authenticator");
    assert_eq!(form["relatesTo"], json!(["$.currentAuthenticator"]));
    assert_eq!(
        reenroll["currentAuthenticator"]["value"]["key"],
        "okta_password"
    );
    let weak = org
        .remediate(
            &reenroll,
            "reenroll-authenticator",
            json!({ "credentials": { "passcode": "weak" } }),
        )
        .await;
    assert_eq!(weak.status.as_u16(), 400);
    assert_eq!(
        input_message_key(&weak.json),
        "password.passwordRequirementsNotMet"
    );
    let done = org
        .proceed(
            &weak.json,
            "reenroll-authenticator",
            json!({ "credentials": { "passcode": "Fresh-Pa55word" } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object());
    org.shutdown().await;
}

#[tokio::test]
async fn an_expiring_password_can_be_skipped() {
    let org = idx_client::start().await;
    let warning = org.idx_sign_in("warn@demo.test").await;
    assert_eq!(names(&warning), ["reenroll-authenticator-warning", "skip"]);
    assert_eq!(message_key(&warning), "password.expiring.soon");
    let done = org.proceed(&warning, "skip", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object());
    org.shutdown().await;
}

#[tokio::test]
async fn cancel_starts_over_at_identify() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("push@demo.test").await;
    let cancel = &select["cancel"];
    let reply = org
        .post(
            &crate::common::href(cancel),
            json!({ "stateHandle": select["stateHandle"] }),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(names(&reply.json), ["identify", "unlock-account"]);
    assert!(reply.json.get("user").is_none());
    org.shutdown().await;
}

#[tokio::test]
async fn an_expired_or_unknown_state_handle_is_a_dead_session() {
    let org = idx_client::start().await;
    let start = org.idx_begin().await;
    org.advance(6 * 60).await;
    let expired = org
        .remediate(
            &start,
            "identify",
            json!({ "identifier": "push@demo.test" }),
        )
        .await;
    assert_eq!(expired.status.as_u16(), 401);
    assert_eq!(message_key(&expired.json), "idx.session.expired");
    assert!(expired.json.get("remediation").is_none());
    let unknown = org
        .post("/idp/idx/introspect", json!({ "stateToken": "02nope" }))
        .await;
    assert_eq!(unknown.status.as_u16(), 401);
    assert_eq!(message_key(&unknown.json), "idx.session.expired");
    org.shutdown().await;
}

#[tokio::test]
async fn classic_authn_keeps_answering_on_identity_engine() {
    let org = idx_client::start().await;
    let tx = org.sign_in("nomfa@demo.test").await;
    assert_eq!(tx["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn classic_orgs_do_not_serve_idx() {
    let org = crate::common::start().await;
    let reply = org.interact_with(&[]).await;
    assert_eq!(reply.status.as_u16(), 404);
    org.shutdown().await;
}

#[tokio::test]
async fn a_texted_code_and_a_security_question_verify() {
    let org = idx_client::start().await;
    let challenge = org.verify_with("sms@demo.test", "phone_number", None).await;
    let enrollment = &challenge["currentAuthenticatorEnrollment"]["value"];
    assert_eq!(enrollment["profile"]["phoneNumber"], "+1 XXX-XXX-0142");
    assert!(enrollment["resend"].is_object());
    let inbox = org.get_json("/_demo/inbox/sms@demo.test").await.json;
    let code = inbox[0]["code"].as_str().unwrap().to_owned();
    let done = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    let challenge = org
        .verify_with("question@demo.test", "security_question", None)
        .await;
    let question = &challenge["currentAuthenticatorEnrollment"]["value"]["contextualData"];
    assert!(question["enrolledQuestion"]["question"].is_string());
    let wrong = org
        .remediate(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "answer": "red herring" } }),
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 401);
    let done = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "answer": oktadesk_demo_org::DEMO_SECURITY_ANSWER } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn finished_idx_transactions_are_forgotten() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("nomfa@demo.test").await;
    assert_eq!(org.org.stats().idx_transactions, 1);
    org.exchange(&select, VERIFIER).await;
    assert_eq!(org.org.stats().idx_transactions, 0, "exchanged: done");
    org.idx_begin().await;
    org.advance(3600).await;
    assert_eq!(org.org.stats().idx_transactions, 0, "abandoned: expired");
    org.shutdown().await;
}
