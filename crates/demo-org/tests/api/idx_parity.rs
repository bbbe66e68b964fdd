//! Identity Engine at parity with Classic: "Keep me signed in" remembering the device by its
//! `DT` cookie, a hardware token enrolled with its user name and code, and a security
//! question of one's own with Okta's refusals on the field.

use oktadesk_demo_org::{DEMO_PASSWORD, DemoEngine, DemoOrgConfig, IdxOptions};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{self, Harness};
use crate::idx_client::{self, names, remediation};

/// Posts `values` to the remediation `name` of `response`, presenting `device` as the `DT`
/// cookie; returns the answer and the device cookie the org set, if any.
async fn remediate_from(
    org: &Harness,
    response: &Value,
    name: &str,
    values: Value,
    device: Option<&str>,
) -> (Value, Option<String>) {
    let mut body = json!({ "stateHandle": response["stateHandle"] });
    if let (Some(body), Some(values)) = (body.as_object_mut(), values.as_object()) {
        body.extend(values.clone());
    }
    let mut request = org
        .http
        .post(common::href(remediation(response, name)))
        .json(&body);
    if let Some(device) = device {
        request = request.header("cookie", format!("DT={device}"));
    }
    let response = request.send().await.expect("request sent");
    assert_eq!(response.status(), StatusCode::OK);
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("DT="))
        .map(|cookie| cookie.split(';').next().unwrap_or_default().to_owned());
    (response.json().await.expect("json"), set)
}

/// sms@ identified from `device` (with `rememberMe`) and through the password: the answer
/// after the first factor, and the device cookie the org handed out.
async fn sms_sign_in(
    org: &Harness,
    device: Option<&str>,
    remember_me: bool,
) -> (Value, Option<String>) {
    let start = org.idx_begin().await;
    let (password, set) = remediate_from(
        org,
        &start,
        "identify",
        json!({ "identifier": "sms@demo.test", "rememberMe": remember_me }),
        device,
    )
    .await;
    let after = org
        .proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    (after, set)
}

/// Verifies sms@ by the texted code from the answer after the password.
async fn verify_sms(org: &Harness, select: &Value) -> Value {
    let challenge = org
        .choose(
            select,
            "select-authenticator-authenticate",
            "phone_number",
            None,
        )
        .await
        .json;
    let inbox = org.get_json("/_demo/inbox/sms@demo.test").await.json;
    let code = inbox.as_array().and_then(|m| m.last()).expect("a text")["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    org.proceed(
        &challenge,
        "challenge-authenticator",
        json!({ "credentials": { "passcode": code } }),
    )
    .await
}

#[tokio::test]
async fn keep_me_signed_in_remembers_the_device_for_the_policy_lifetime() {
    let org = idx_client::start().await;
    let (select, device) = sms_sign_in(&org, None, true).await;
    let device = device.expect("identify hands out a device cookie");
    assert_eq!(names(&select)[0], "select-authenticator-authenticate");
    let done = verify_sms(&org, &select).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    let (done, set) = sms_sign_in(&org, Some(&device), false).await;
    assert_eq!(set, None, "a known device keeps its cookie");
    assert!(
        done["successWithInteractionCode"].is_object(),
        "no second factor from a device kept signed in: {done}"
    );

    let (select, _) = sms_sign_in(&org, Some("another-device-token-0123456789"), false).await;
    assert_eq!(names(&select)[0], "select-authenticator-authenticate");

    org.advance(24 * 60 * 60).await;
    let (select, _) = sms_sign_in(&org, Some(&device), false).await;
    assert_eq!(
        names(&select)[0],
        "select-authenticator-authenticate",
        "asked again once the lifetime has passed"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_device_is_remembered_only_when_kmsi_is_chosen_and_the_policy_allows() {
    let org = common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: IdxOptions {
            keep_me_signed_in_prompt: true,
            ..IdxOptions::default()
        },
        ..common::unlimited()
    })
    .await;
    // Not chosen at identify: the prompt asks after the factor; "not now" forgets nothing.
    let (select, device) = sms_sign_in(&org, None, false).await;
    let device = device.expect("a device cookie");
    let prompt = verify_sms(&org, &select).await;
    assert_eq!(names(&prompt), ["keep-me-signed-in", "skip"]);
    let done = org.proceed(&prompt, "skip", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    let (select, _) = sms_sign_in(&org, Some(&device), false).await;
    assert_eq!(names(&select)[0], "select-authenticator-authenticate");

    // Yes at the prompt: remembered.
    let prompt = verify_sms(&org, &select).await;
    let done = org
        .proceed(
            &prompt,
            "keep-me-signed-in",
            json!({ "keepMeSignedIn": "true" }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    let (done, _) = sms_sign_in(&org, Some(&device), false).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    // Chosen at identify: no prompt after the factor.
    let (select, other) = sms_sign_in(&org, None, true).await;
    let prompt_or_done = verify_sms(&org, &select).await;
    assert!(
        prompt_or_done["successWithInteractionCode"].is_object(),
        "{prompt_or_done}"
    );
    assert!(other.is_some());

    org.shutdown().await;
}

/// The messages said on the inputs named `name` of the first form's credentials (in its
/// form or its options' forms): their i18n keys.
fn field_keys(response: &Value, name: &str) -> Vec<String> {
    let credentials = &remediation(response, "enroll-authenticator")["value"][0];
    let mut forms = vec![&credentials["form"]["value"]];
    for option in credentials["options"].as_array().into_iter().flatten() {
        forms.push(&option["value"]["form"]["value"]);
    }
    forms
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter(|input| input["name"] == name)
        .filter_map(|input| input["messages"]["value"][0]["i18n"]["key"].as_str())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_token_enrolls_with_its_user_name_and_code() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "rsa_token", None)
        .await
        .json;
    assert_eq!(
        names(&enrolling),
        ["enroll-authenticator", "select-authenticator-enroll"]
    );
    assert_eq!(
        enrolling["currentAuthenticator"]["value"]["key"],
        "rsa_token"
    );
    let fields = &remediation(&enrolling, "enroll-authenticator")["value"][0]["form"]["value"];
    let names_of: Vec<&str> = fields
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names_of, ["id", "methodType", "clientData", "passcode"]);
    assert_eq!(fields[2]["value"], "enrollall@demo.test");

    let wrong = org
        .remediate(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "clientData": "enrollall@demo.test", "passcode": "00000000" } }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.json);
    assert_eq!(
        field_keys(&wrong.json, "passcode"),
        ["api.authn.error.PASSCODE_INVALID"]
    );
    let phone = org.phone("enrollall@demo.test").await;
    let code = phone["codes"]
        .as_array()
        .and_then(|codes| codes.iter().find(|c| c["issuer"] == "RSA SecurID"))
        .expect("the token's code")["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let enrolled = org
        .proceed(
            &wrong.json,
            "enroll-authenticator",
            json!({ "credentials": { "clientData": "enrollall@demo.test", "passcode": code } }),
        )
        .await;
    assert_eq!(names(&enrolled), ["select-authenticator-enroll", "skip"]);
    org.shutdown().await;
}

#[tokio::test]
async fn a_question_of_ones_own_where_the_org_allows_it() {
    let org = common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: IdxOptions {
            custom_security_questions: true,
            ..IdxOptions::default()
        },
        ..common::unlimited()
    })
    .await;
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
    let credentials = &remediation(&enrolling, "enroll-authenticator")["value"][0];
    let own = &credentials["options"][1]["value"]["form"]["value"];
    assert_eq!(own[0]["value"], "custom");
    assert_eq!(own[1]["name"], "question");
    let keys = &enrolling["currentAuthenticator"]["value"]["contextualData"]["questionKeys"];
    assert!(keys.as_array().unwrap().contains(&json!("custom")));

    let too_long = "Why? ".repeat(30);
    for (question, answer, field, key) in [
        (
            "   ",
            "a fine answer",
            "question",
            "model.validation.field.blank",
        ),
        (
            too_long.as_str(),
            "a fine answer",
            "question",
            "errors.E0000001",
        ),
        (
            "<b>Bold</b> question?",
            "a fine answer",
            "question",
            "tagsNotAllowed",
        ),
        (
            "Who was my first teacher?",
            "abc",
            "answer",
            "securityQuestion.answer.tooShort.arg",
        ),
    ] {
        let refused = org
            .remediate(
                &enrolling,
                "enroll-authenticator",
                json!({ "credentials": { "questionKey": "custom", "question": question, "answer": answer } }),
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.json);
        assert!(refused.json["messages"].is_null(), "{}", refused.json);
        assert!(
            field_keys(&refused.json, field).contains(&key.to_owned()),
            "{key} on {field}: {}",
            refused.json
        );
    }
    let enrolled = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "questionKey": "custom", "question": "Who was my first teacher?", "answer": "Mrs Hudson" } }),
        )
        .await;
    assert_eq!(names(&enrolled), ["select-authenticator-enroll", "skip"]);
    org.shutdown().await;
}
