//! Add account, the accounts list and the keychain, through the real IPC layer.

use super::*;

#[test]
fn validate_org_url_returns_the_origin_or_the_cores_message() {
    let harness = Harness::new(false);
    assert_eq!(
        harness.invoke(
            "validate_org_url",
            json!({ "url": " https://acme.okta.com/app/UserHome " })
        ),
        Ok(json!("https://acme.okta.com"))
    );
    let refused = harness
        .invoke("validate_org_url", json!({ "url": "http://acme.okta.com" }))
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid_org_url");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("https://acme.okta.com")
    );
    let long = "a".repeat(5000);
    assert_eq!(
        harness
            .invoke("validate_org_url", json!({ "url": long }))
            .unwrap_err()["kind"],
        "invalid_input"
    );
}

#[test]
fn app_info_names_the_app_and_lists_demo_users() {
    let harness = Harness::new(false);
    let info = harness.invoke("app_info", json!({})).unwrap();
    assert!(info["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(info["demo"], Value::Null);

    let harness = Harness::new(true);
    let info = harness.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["demo"]["state"], "running");
    assert_eq!(
        info["demo"]["orgUrl"],
        harness.org_url().trim_end_matches('/')
    );
    let users = info["demo"]["users"].as_array().unwrap();
    assert!(users.iter().any(|user| user["login"] == "enroll@demo.test"));
}

#[test]
fn list_accounts_never_fails_and_says_why_without_a_keychain() {
    let harness = Harness::new(false);
    let empty = harness.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(empty["accounts"], json!([]));
    assert_eq!(empty["problem"], Value::Null);

    harness
        .store
        .remember_sign_in(
            oktadesk_accounts::Account::new("https://acme.okta.com", "ada@acme.com").unwrap(),
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let listed = harness.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(listed["accounts"][0]["username"], "ada@acme.com");
    assert_eq!(listed["accounts"][0]["orgUrl"], "https://acme.okta.com");

    harness
        .store
        .simulate_failure(Some(SimulatedFailure::NoKeychain));
    let without = harness.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(without["accounts"], json!([]));
    assert_eq!(without["problem"]["kind"], "no_keychain");
    assert!(
        without["problem"]["message"]
            .as_str()
            .unwrap()
            .contains("sign-in still works")
    );
}

#[test]
fn forget_rename_and_auto_push_change_the_stored_account() {
    let harness = Harness::new(false);
    let account = harness
        .store
        .remember_sign_in(
            oktadesk_accounts::Account::new("https://acme.okta.com", "ada@acme.com").unwrap(),
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let id = account.id().to_string();

    let renamed = harness
        .invoke("rename_account", json!({ "id": id, "label": "  Work  " }))
        .unwrap();
    assert_eq!(renamed["label"], "Work");
    let refused = harness
        .invoke("rename_account", json!({ "id": id, "label": "   " }))
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid_account");

    let pushed = harness
        .invoke("set_auto_push", json!({ "id": id, "enabled": true }))
        .unwrap();
    assert_eq!(pushed["autoPush"], true);
    assert!(harness.store.get(account.id()).unwrap().unwrap().auto_push);

    assert_eq!(
        harness.invoke("forget_account", json!({ "id": id })),
        Ok(json!(true))
    );
    assert_eq!(
        harness.invoke("forget_account", json!({ "id": id })),
        Ok(json!(false))
    );
    assert_eq!(
        harness
            .invoke("set_auto_push", json!({ "id": id, "enabled": true }))
            .unwrap_err()["kind"],
        "account_not_found"
    );
    assert_eq!(
        harness
            .invoke("forget_account", json!({ "id": " " }))
            .unwrap_err()["kind"],
        "invalid_input"
    );

    for user in ["ada@acme.com", "bob@acme.com"] {
        harness
            .store
            .remember_sign_in(
                oktadesk_accounts::Account::new("https://acme.okta.com", user).unwrap(),
                time::OffsetDateTime::now_utc(),
            )
            .unwrap();
    }
    assert_eq!(
        harness.invoke("forget_all_accounts", json!({})),
        Ok(json!(2))
    );
    assert_eq!(harness.store.list().unwrap().accounts.len(), 0);
    assert_eq!(
        harness.invoke("forget_all_accounts", json!({})),
        Ok(json!(0))
    );
}

#[test]
fn a_keychain_failure_after_success_is_a_problem_not_a_failed_sign_in() {
    let harness = Harness::new(true);
    harness
        .store
        .simulate_failure(Some(SimulatedFailure::NoKeychain));
    harness.sign_in("nomfa@demo.test", true);
    harness.wait_stage("success");
    let remembered = harness.next_remembered();
    assert_eq!(remembered["account"], Value::Null);
    assert_eq!(remembered["problem"]["kind"], "no_keychain");
}

#[test]
fn add_account_learns_the_orgs_engine_and_the_account_remembers_it() {
    let harness = Harness::new(true);
    let classic = harness
        .invoke("detect_engine", json!({ "url": harness.org_url() }))
        .unwrap();
    assert_eq!(classic["engine"], "classic", "{classic}");
    assert_eq!(classic["summary"], "Okta Classic Engine");
    assert_eq!(classic["note"], Value::Null);

    let identity_engine = tauri::async_runtime::block_on(DemoOrg::start(DemoOrgConfig {
        engine: oktadesk_demo_org::DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    }))
    .expect("the Identity Engine org starts");
    let idx = harness
        .invoke(
            "detect_engine",
            json!({ "url": identity_engine.base_url().as_str() }),
        )
        .unwrap();
    assert_eq!(idx["engine"], "identity_engine", "{idx}");
    assert!(
        idx["note"].as_str().unwrap().contains("/api/v1/authn"),
        "{idx}"
    );

    // Nothing answering: a summary that says why, not an error.
    let silent = harness
        .invoke("detect_engine", json!({ "url": "http://127.0.0.1:9" }))
        .unwrap();
    assert_eq!(silent["engine"], Value::Null);
    assert!(!silent["summary"].as_str().unwrap().is_empty(), "{silent}");

    harness
        .start_sign_in(json!({
            "orgUrl": harness.org_url(),
            "username": "nomfa@demo.test",
            "password": oktadesk_demo_org::DEMO_PASSWORD,
            "remember": true,
            "engine": "classic",
        }))
        .unwrap();
    harness.wait_stage("success");
    harness.next_remembered();
    let stored = harness.store.list().unwrap().accounts;
    assert_eq!(stored[0].engine, Some(oktadesk_core::Engine::Classic));
    let transcript = harness.invoke("flow_transcript", json!({})).unwrap();
    assert!(
        transcript["text"]
            .as_str()
            .unwrap()
            .contains("Okta Classic Engine"),
        "{transcript}"
    );
}
