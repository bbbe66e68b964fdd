//! Identity Engine self-service recovery and unlock over HTTP: `recover` →
//! `identify-recovery` / `select-authenticator-authenticate` → challenge →
//! `reset-authenticator` → success; `unlock-account` → `select-authenticator-unlock-account`
//! → challenge → the terminal "unlocked"; and an org that allows neither. Key lists follow
//! the okta-signin-widget recordings named beside them.

use oktadesk_demo_org::{
    DEMO_PASSWORD, DEMO_SECURITY_ANSWER, DemoEngine, DemoOrgConfig, IdxOptions,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{self, Harness, href};
use crate::idx_client::{self, VERIFIER, input_message_key, message_key, names};

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

async fn newest_code(org: &Harness, login: &str) -> String {
    let inbox = org.get_json(&format!("/_demo/inbox/{login}")).await.json;
    inbox
        .as_array()
        .and_then(|all| all.last())
        .expect("a message")["code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

async fn start_with(config: DemoOrgConfig) -> Harness {
    common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..config
    })
    .await
}

/// Identify, then follow the password's `recover`: the recovery's first answer.
async fn recover_after_identify(org: &Harness, login: &str) -> Value {
    let start = org.idx_begin().await;
    let password = org
        .proceed(&start, "identify", json!({ "identifier": login }))
        .await;
    let recover = &password["currentAuthenticatorEnrollment"]["value"]["recover"];
    assert_eq!(recover["name"], "recover", "{password}");
    let reply = org
        .post(
            &href(recover),
            json!({ "stateHandle": password["stateHandle"] }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    reply.json
}

#[tokio::test]
async fn identify_offers_unlock_and_the_password_offers_recover() {
    let org = idx_client::start().await;
    let start = org.idx_begin().await;
    // identify-with-unlock-account-link.json
    assert_eq!(names(&start), ["identify", "unlock-account"]);
    org.shutdown().await;
}

#[tokio::test]
async fn password_recovery_by_text_then_a_new_password_signs_in() {
    let org = idx_client::start().await;
    let select = recover_after_identify(&org, "recover@demo.test").await;
    // authenticator-verification-select-authenticator-for-recovery.json
    assert_eq!(names(&select), ["select-authenticator-authenticate"]);
    for key in [
        "remediation",
        "authenticatorEnrollments",
        "user",
        "recoveryAuthenticator",
        "cancel",
    ] {
        assert!(select.get(key).is_some(), "{key} in {select}");
    }
    let recovery = &select["recoveryAuthenticator"]["value"];
    assert_eq!(recovery["key"], "okta_password");
    assert_eq!(
        keys(&recovery["settings"]["complexity"]),
        sorted(&[
            "minLength",
            "minLowerCase",
            "minUpperCase",
            "minNumber",
            "minSymbol",
            "excludeUsername",
            "excludeAttributes"
        ])
    );
    assert_eq!(recovery["settings"]["age"]["historyCount"], 4);

    let challenge = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "phone_number",
            Some("sms"),
        )
        .await
        .json;
    assert_eq!(
        names(&challenge)[0],
        "challenge-authenticator",
        "{challenge}"
    );
    assert!(challenge["currentAuthenticatorEnrollment"]["value"]["resend"].is_object());
    let wrong = org
        .remediate(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "000000" } }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        input_message_key(&wrong.json),
        "api.authn.error.PASSCODE_INVALID"
    );
    let code = newest_code(&org, "recover@demo.test").await;
    let reset = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    // authenticator-reset-password.json
    assert_eq!(names(&reset), ["reset-authenticator"]);
    assert_eq!(
        reset["remediation"]["value"][0]["relatesTo"][0],
        "$.currentAuthenticator"
    );
    assert_eq!(
        reset["currentAuthenticator"]["value"]["key"],
        "okta_password"
    );
    assert!(reset["currentAuthenticator"]["value"]["settings"]["complexity"].is_object());

    // error-authenticator-reset-password-requirement.json: said on the password input.
    let refused = org
        .remediate(
            &reset,
            "reset-authenticator",
            json!({ "credentials": { "passcode": "recover-Pa55" } }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        input_message_key(&refused.json),
        "password.passwordRequirementsNotMet"
    );
    let message = &refused.json["remediation"]["value"][0]["value"][0]["form"]["value"][0]["messages"]
        ["value"][0];
    assert!(
        message["i18n"]["params"][0]
            .as_str()
            .unwrap()
            .starts_with("Password requirements:")
    );
    assert_eq!(names(&refused.json), ["reset-authenticator"]);

    let success = org
        .proceed(
            &reset,
            "reset-authenticator",
            json!({ "credentials": { "passcode": NEW_PASSWORD } }),
        )
        .await;
    assert!(
        success["successWithInteractionCode"].is_object(),
        "{success}"
    );
    let tokens = org.exchange(&success, VERIFIER).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);

    // The new password is the password now.
    let start = org.idx_begin().await;
    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "recover@demo.test" }),
        )
        .await;
    let old = org
        .remediate(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let next = org
        .proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": NEW_PASSWORD } }),
        )
        .await;
    assert_eq!(names(&next)[0], "select-authenticator-authenticate");
    org.shutdown().await;
}

#[tokio::test]
async fn password_recovery_by_email_code_and_by_security_question() {
    let org = idx_client::start().await;
    let select = recover_after_identify(&org, "forgot@demo.test").await;
    let challenge = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "okta_email",
            None,
        )
        .await
        .json;
    let code = newest_code(&org, "forgot@demo.test").await;
    let reset = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    let success = org
        .proceed(
            &reset,
            "reset-authenticator",
            json!({ "credentials": { "passcode": NEW_PASSWORD } }),
        )
        .await;
    assert!(success["successWithInteractionCode"].is_object());

    let select = recover_after_identify(&org, "recover@demo.test").await;
    let challenge = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "security_question",
            None,
        )
        .await
        .json;
    let reset = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "answer": DEMO_SECURITY_ANSWER } }),
        )
        .await;
    assert_eq!(names(&reset), ["reset-authenticator"]);
    org.shutdown().await;
}

#[tokio::test]
async fn recover_from_identify_with_password_asks_who_first() {
    let org = start_with(DemoOrgConfig {
        idx: IdxOptions {
            identify_with_password: true,
            ..IdxOptions::default()
        },
        ..common::unlimited()
    })
    .await;
    let start = org.idx_begin().await;
    let recover = &start["currentAuthenticator"]["value"]["recover"];
    assert_eq!(recover["name"], "recover", "{start}");
    let identify = org
        .post(
            &href(recover),
            json!({ "stateHandle": start["stateHandle"] }),
        )
        .await
        .json;
    // identify-recovery.json
    assert_eq!(names(&identify), ["identify-recovery"]);
    let select = org
        .proceed(
            &identify,
            "identify-recovery",
            json!({ "identifier": "forgot@demo.test" }),
        )
        .await;
    assert_eq!(names(&select), ["select-authenticator-authenticate"]);
    org.shutdown().await;
}

#[tokio::test]
async fn unlock_by_email_code_then_the_password_signs_in() {
    let org = start_with(DemoOrgConfig {
        reveal_lockout: true,
        ..common::unlimited()
    })
    .await;
    let start = org.idx_begin().await;
    let unlock = org.proceed(&start, "unlock-account", json!({})).await;
    // user-unlock-account.json
    assert_eq!(names(&unlock), ["select-authenticator-unlock-account"]);
    for key in ["authenticators", "authenticatorEnrollments"] {
        assert!(unlock[key]["value"].is_array(), "{key}");
    }
    let form = &unlock["remediation"]["value"][0]["value"];
    assert_eq!(form[0]["name"], "identifier");
    assert_eq!(form[1]["name"], "authenticator");
    let email = option_id_of(&unlock, "okta_email");
    let challenge = org
        .proceed(
            &unlock,
            "select-authenticator-unlock-account",
            json!({ "identifier": "locked@demo.test", "authenticator": { "id": email, "methodType": "email" } }),
        )
        .await;
    assert_eq!(names(&challenge), ["challenge-authenticator"]);
    let code = newest_code(&org, "locked@demo.test").await;
    let unlocked = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    // user-account-unlock-success.json
    assert_eq!(
        keys(&unlocked),
        sorted(&[
            "version",
            "stateHandle",
            "expiresAt",
            "intent",
            "messages",
            "user",
            "cancel",
            "app"
        ])
    );
    assert_eq!(
        message_key(&unlocked),
        "oie.selfservice.unlock_user.success.message"
    );
    assert_eq!(unlocked["messages"]["value"][0]["class"], "INFO");

    let start = org.idx_begin().await;
    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "locked@demo.test" }),
        )
        .await;
    let success = org
        .proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    assert!(
        success["successWithInteractionCode"].is_object(),
        "{success}"
    );
    org.shutdown().await;
}

/// The id of the unlock form's option whose enrollment has `key` (options sit second there).
fn option_id_of(response: &Value, key: &str) -> String {
    let options = response["remediation"]["value"][0]["value"][1]["options"]
        .as_array()
        .expect("options");
    let option = options
        .iter()
        .find(|option| {
            let path = option["relatesTo"].as_str().unwrap();
            idx_client::resolve(response, path)["key"] == key
        })
        .expect("an option");
    option["value"]["form"]["value"][0]["value"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn unlock_by_text_refuses_a_wrong_code_first() {
    let org = idx_client::start().await;
    let start = org.idx_begin().await;
    let unlock = org.proceed(&start, "unlock-account", json!({})).await;
    let phone = option_id_of(&unlock, "phone_number");
    let challenge = org
        .proceed(
            &unlock,
            "select-authenticator-unlock-account",
            json!({ "identifier": "recover@demo.test", "authenticator": { "id": phone, "methodType": "sms" } }),
        )
        .await;
    let wrong = org
        .remediate(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "000000" } }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let code = newest_code(&org, "recover@demo.test").await;
    let unlocked = org
        .proceed(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert_eq!(
        message_key(&unlocked),
        "oie.selfservice.unlock_user.success.message"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn an_org_without_self_service_offers_neither_and_refuses_both() {
    let org = start_with(DemoOrgConfig {
        self_service_recovery: false,
        ..common::unlimited()
    })
    .await;
    let start = org.idx_begin().await;
    assert_eq!(names(&start), ["identify"]);
    let forced = org
        .post(
            &format!("{}/idp/idx/unlock-account", org.base),
            json!({ "stateHandle": start["stateHandle"] }),
        )
        .await;
    // error-400-unlock-account.json
    assert_eq!(forced.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        message_key(&forced.json),
        "oie.selfservice.user.unlock.not.allowed"
    );
    assert_eq!(names(&forced.json), ["identify"]);

    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "forgot@demo.test" }),
        )
        .await;
    let current = &password["currentAuthenticatorEnrollment"]["value"];
    assert!(current.get("recover").is_none(), "{current}");
    let forced = org
        .post(
            &format!("{}/idp/idx/recover", org.base),
            json!({ "stateHandle": password["stateHandle"] }),
        )
        .await;
    // error-reset-password-not-allowed.json
    assert_eq!(forced.status, StatusCode::FORBIDDEN);
    assert_eq!(
        message_key(&forced.json),
        "oie.selfservice.reset.password.not.allowed"
    );
    assert_eq!(
        keys(&forced.json),
        sorted(&[
            "version",
            "stateHandle",
            "expiresAt",
            "intent",
            "messages",
            "user",
            "cancel",
            "app"
        ])
    );
    org.shutdown().await;
}
