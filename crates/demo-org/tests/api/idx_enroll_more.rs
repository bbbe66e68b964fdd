//! Identity Engine enrollment of the authenticators besides Okta Verify's QR code and an
//! app: email and phone (a code sent to the demo inbox), security question, and Okta Verify
//! by an activation link sent by email or SMS that the virtual phone opens.

use serde_json::{Value, json};

use crate::idx_client::{self, input_message_key, message_key, names};

async fn newest_message(org: &crate::common::Harness, login: &str) -> Value {
    let inbox = org.get_json(&format!("/_demo/inbox/{login}")).await.json;
    inbox
        .as_array()
        .and_then(|messages| messages.last().cloned())
        .expect("a message")
}

#[tokio::test]
async fn email_enrolls_with_the_code_sent() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_email", None)
        .await
        .json;
    assert_eq!(
        names(&enrolling),
        ["enroll-authenticator", "select-authenticator-enroll"]
    );
    let current = &enrolling["currentAuthenticator"]["value"];
    assert_eq!(current["key"], "okta_email");
    assert!(current["resend"].is_object());
    let first = newest_message(&org, "enrollall@demo.test").await;
    assert_eq!(first["channel"], "email");
    assert_eq!(first["to"], "enrollall@demo.test");

    let wrong = org
        .remediate(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "passcode": "000000x" } }),
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 401);
    assert_eq!(
        input_message_key(&wrong.json),
        "api.authn.error.PASSCODE_INVALID"
    );

    let resend = current["resend"].clone();
    let again = org
        .post(
            &crate::common::href(&resend),
            json!({ "stateHandle": enrolling["stateHandle"] }),
        )
        .await;
    assert_eq!(again.status.as_u16(), 200, "{}", again.json);
    let second = newest_message(&org, "enrollall@demo.test").await;
    let code = second["code"].as_str().unwrap().to_owned();
    let enrolled = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert_eq!(names(&enrolled), ["select-authenticator-enroll", "skip"]);
    let keys: Vec<&Value> = enrolled["authenticatorEnrollments"]["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|enrollment| &enrollment["key"])
        .collect();
    assert!(keys.contains(&&json!("okta_email")), "{keys:?}");
    let done = org.proceed(&enrolled, "skip", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn the_phone_asks_its_number_then_enrolls_with_the_code() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let asked = org
        .choose(&select, "select-authenticator-enroll", "phone_number", None)
        .await
        .json;
    assert_eq!(
        names(&asked),
        [
            "authenticator-enrollment-data",
            "select-authenticator-enroll"
        ]
    );
    let form = crate::idx_client::remediation(&asked, "authenticator-enrollment-data");
    let fields = &form["value"][0]["form"]["value"];
    assert_eq!(fields[1]["name"], "methodType");
    assert_eq!(fields[2]["name"], "phoneNumber");
    let id = fields[0]["value"].clone();

    let bad = org
        .remediate(
            &asked,
            "authenticator-enrollment-data",
            json!({ "authenticator": { "id": id, "methodType": "sms", "phoneNumber": "call me" } }),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 400);
    assert_eq!(message_key(&bad.json), "errors.E0000098");
    let enrolling = org
        .proceed(
            &asked,
            "authenticator-enrollment-data",
            json!({ "authenticator": { "id": id, "methodType": "sms", "phoneNumber": "+1 (555) 415-1337" } }),
        )
        .await;
    assert_eq!(names(&enrolling)[0], "enroll-authenticator");
    assert_eq!(
        enrolling["currentAuthenticator"]["value"]["methods"][0]["type"],
        "sms"
    );
    let text = newest_message(&org, "enrollall@demo.test").await;
    assert_eq!(text["channel"], "sms");
    assert_eq!(text["to"], "+15554151337");
    let code = text["code"].as_str().unwrap().to_owned();
    let enrolled = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert_eq!(names(&enrolled), ["select-authenticator-enroll", "skip"]);
    org.shutdown().await;
}

#[tokio::test]
async fn a_security_question_enrolls_from_the_orgs_list() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let enrolling = org
        .choose(
            &select,
            "select-authenticator-enroll",
            "security_question",
            None,
        )
        .await
        .json;
    assert_eq!(names(&enrolling)[0], "enroll-authenticator");
    let data = &enrolling["currentAuthenticator"]["value"]["contextualData"];
    assert_eq!(data["questions"].as_array().map(Vec::len), Some(6));
    assert_eq!(data["questions"][0]["questionKey"], "disliked_food");
    let credentials =
        &crate::idx_client::remediation(&enrolling, "enroll-authenticator")["value"][0];
    assert_eq!(
        credentials["options"][0]["value"]["form"]["value"][0]["name"],
        "questionKey"
    );

    for (credentials, status) in [
        (
            json!({ "questionKey": "custom", "answer": "anything at all" }),
            400,
        ),
        (
            json!({ "questionKey": "disliked_food", "answer": "abc" }),
            400,
        ),
        (
            json!({ "questionKey": "no_such_question", "answer": "blue cheese" }),
            400,
        ),
    ] {
        let refused = org
            .remediate(
                &enrolling,
                "enroll-authenticator",
                json!({ "credentials": credentials }),
            )
            .await;
        assert_eq!(refused.status.as_u16(), status, "{}", refused.json);
    }
    let enrolled = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "questionKey": "first_computer_game", "answer": "Elite" } }),
        )
        .await;
    assert_eq!(names(&enrolled), ["select-authenticator-enroll", "skip"]);
    org.shutdown().await;
}

#[tokio::test]
async fn okta_verify_enrolls_by_an_emailed_link_the_phone_opens() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    let by_email = org
        .proceed(
            &enrolling,
            "select-enrollment-channel",
            json!({ "authenticator": { "id": "autDemoOktaVerify0g4", "channel": "email" } }),
        )
        .await;
    assert_eq!(
        names(&by_email),
        ["enrollment-channel-data", "select-enrollment-channel"]
    );
    let data = &by_email["currentAuthenticator"]["value"]["contextualData"];
    assert_eq!(data["selectedChannel"], "email");
    let channels = &crate::idx_client::remediation(&by_email, "select-enrollment-channel")["value"]
        [0]["value"]["form"]["value"][1]["options"];
    // Every channel, the current one too, as Okta lists them.
    assert_eq!(
        channels.as_array().map(Vec::len),
        Some(3),
        "every channel: {channels}"
    );

    let bad = org
        .remediate(
            &by_email,
            "enrollment-channel-data",
            json!({ "email": "not-an-address" }),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 400);
    let sent = org
        .proceed(
            &by_email,
            "enrollment-channel-data",
            json!({ "email": "erin@phone.test" }),
        )
        .await;
    assert_eq!(names(&sent), ["enroll-poll", "select-enrollment-channel"]);
    assert_eq!(
        sent["currentAuthenticator"]["value"]["contextualData"]["email"],
        "erin@phone.test"
    );
    let message = newest_message(&org, "enroll@demo.test").await;
    assert_eq!(message["to"], "erin@phone.test");
    assert!(
        message["link"]
            .as_str()
            .unwrap()
            .starts_with("oktaverify://")
    );

    let waiting = org.proceed(&sent, "enroll-poll", json!({})).await;
    assert_eq!(names(&waiting)[0], "enroll-poll");
    let opened = org
        .post("/_demo/phone/enroll@demo.test/open", json!({}))
        .await;
    assert_eq!(opened.status.as_u16(), 200, "{}", opened.json);
    assert_eq!(opened.json["result"], "PUSH_ACTIVATED");
    let done = org.proceed(&waiting, "enroll-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn okta_verify_links_by_sms_go_to_the_number_given() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    let by_sms = org
        .proceed(
            &enrolling,
            "select-enrollment-channel",
            json!({ "authenticator": { "id": "autDemoOktaVerify0g4", "channel": "sms" } }),
        )
        .await;
    let bad = org
        .remediate(
            &by_sms,
            "enrollment-channel-data",
            json!({ "phoneNumber": "555" }),
        )
        .await;
    assert_eq!(message_key(&bad.json), "errors.E0000098");
    let sent = org
        .proceed(
            &by_sms,
            "enrollment-channel-data",
            json!({ "phoneNumber": "+1 555 415 1337" }),
        )
        .await;
    let data = &sent["currentAuthenticator"]["value"]["contextualData"];
    assert_eq!(data["selectedChannel"], "sms");
    assert_eq!(data["phoneNumber"], "+15554151337");
    let message = newest_message(&org, "enroll@demo.test").await;
    assert_eq!(message["channel"], "sms");
    let link = message["link"].clone();
    let opened = org
        .post(
            "/_demo/phone/enroll@demo.test/open",
            json!({ "link": link }),
        )
        .await;
    assert_eq!(opened.json["result"], "PUSH_ACTIVATED");
    let again = org
        .post(
            "/_demo/phone/enroll@demo.test/open",
            json!({ "link": link }),
        )
        .await;
    assert_eq!(again.status.as_u16(), 422, "a link works once");
    org.shutdown().await;
}
