//! Identity Engine asks which method when an authenticator with several is chosen without
//! one (`authenticator-verification-data`): Okta Verify push or code, a phone's text or call.
//! And the per-user rate limit on the IDX steps that take a guess.

use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};
use serde_json::{Value, json};

use crate::idx_client::{self, message_key, names, remediation};

/// The methods `authenticator-verification-data` offers, and its authenticator id.
fn offered(response: &Value) -> (String, Vec<String>) {
    let fields =
        &remediation(response, "authenticator-verification-data")["value"][0]["form"]["value"];
    let id = fields[0]["value"].as_str().expect("id").to_owned();
    let methods = fields[1]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|option| option["value"].as_str().unwrap().to_owned())
        .collect();
    (id, methods)
}

#[tokio::test]
async fn okta_verify_without_a_method_asks_push_or_code() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("multi@demo.test").await;
    let asked = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "okta_verify",
            None,
        )
        .await;
    assert_eq!(asked.status.as_u16(), 200, "{}", asked.json);
    let asked = asked.json;
    assert_eq!(
        names(&asked),
        [
            "authenticator-verification-data",
            "select-authenticator-authenticate"
        ]
    );
    let form = remediation(&asked, "authenticator-verification-data");
    assert_eq!(form["relatesTo"][0], "$.currentAuthenticator");
    assert!(
        form["href"]
            .as_str()
            .unwrap()
            .ends_with("/idp/idx/challenge")
    );
    assert_eq!(asked["currentAuthenticator"]["value"]["key"], "okta_verify");
    let (id, methods) = offered(&asked);
    assert_eq!(methods, ["push", "totp"]);
    let phone = org.phone("multi@demo.test").await;
    assert!(
        phone["pendingPush"].is_null(),
        "no push until a method is chosen"
    );

    let blank = org
        .remediate(
            &asked,
            "authenticator-verification-data",
            json!({ "authenticator": { "id": id } }),
        )
        .await;
    assert_eq!(blank.status.as_u16(), 400);
    assert_eq!(message_key(&blank.json), "model.validation.field.blank");

    let challenge = org
        .proceed(
            &asked,
            "authenticator-verification-data",
            json!({ "authenticator": { "id": id, "methodType": "totp" } }),
        )
        .await;
    assert_eq!(names(&challenge)[0], "challenge-authenticator");
    let code = org.totp_code("multi@demo.test").await;
    let done = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "totp": code } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn the_phone_without_a_method_asks_text_or_call() {
    let org = idx_client::start().await;
    let asked = org
        .verify_with("allfactors@demo.test", "phone_number", None)
        .await;
    let form = remediation(&asked, "authenticator-verification-data");
    assert_eq!(form["relatesTo"][0], "$.currentAuthenticatorEnrollment");
    let enrollment = &asked["currentAuthenticatorEnrollment"]["value"];
    assert_eq!(enrollment["profile"]["phoneNumber"], "+1 XXX-XXX-0142");
    let (id, methods) = offered(&asked);
    assert_eq!(methods, ["sms", "voice"]);
    let inbox = org.get_json("/_demo/inbox/allfactors@demo.test").await.json;
    assert_eq!(inbox.as_array().map(Vec::len), Some(0), "nothing sent yet");

    let challenge = org
        .proceed(
            &asked,
            "authenticator-verification-data",
            json!({ "authenticator": { "id": id, "methodType": "voice" } }),
        )
        .await;
    let inbox = org.get_json("/_demo/inbox/allfactors@demo.test").await.json;
    assert_eq!(inbox[0]["channel"], "call");
    let code = inbox[0]["code"].as_str().unwrap().to_owned();
    let done = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn guesses_at_idx_steps_are_rate_limited_per_user() {
    let org = crate::common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    })
    .await;
    let password = {
        let start = org.idx_begin().await;
        org.proceed(
            &start,
            "identify",
            json!({ "identifier": "nomfa@demo.test" }),
        )
        .await
    };
    let mut limited = None;
    // A dozen quick wrong passwords overrun 4 a second within some second.
    for _ in 0..12 {
        let reply = org
            .remediate(
                &password,
                "challenge-authenticator",
                json!({ "credentials": { "passcode": "wrong" } }),
            )
            .await;
        assert!(reply.headers.contains_key("x-rate-limit-remaining"));
        if reply.status.as_u16() == 429 {
            limited = Some(reply);
            break;
        }
    }
    let limited = limited.expect("the limit was hit");
    assert_eq!(limited.json["errorCode"], "E0000047");
    assert_eq!(limited.headers["x-rate-limit-limit"], "4");
    org.shutdown().await;
}
