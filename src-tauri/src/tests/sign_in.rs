//! Starting, following and replacing sign-ins, and the demo phone that answers them.

use super::*;

#[test]
fn start_sign_in_checks_its_input_before_any_request() {
    let harness = Harness::new(false);
    let start = |org: &str, username: &str, password: &str| {
        harness
            .start_sign_in(json!({ "orgUrl": org, "username": username, "password": password }))
            .unwrap_err()
    };
    assert_eq!(start("acme okta", "ada", "pw")["kind"], "invalid_org_url");
    assert_eq!(start("acme.okta.com", "  ", "pw")["kind"], "invalid_input");
    assert_eq!(start("acme.okta.com", "ada", "")["kind"], "invalid_input");
    assert_eq!(
        start("acme.okta.com", "ada", &"x".repeat(2000))["kind"],
        "invalid_input"
    );
    assert!(harness.stages.try_recv().is_err(), "nothing started");
}

#[test]
fn push_sign_in_is_approved_by_the_demo_phone_remembered_and_handed_to_the_browser() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("push@demo.test", true);
    // On the channel this sign-in was started with (`wait_stage` checks), and tagged as a
    // stage rather than anything else the channel carries.
    let sent = harness.wait_stage("pushSent");
    assert_eq!(sent["event"], "stage");

    let phone = harness
        .invoke("demo_phone_view", json!({ "login": "push@demo.test" }))
        .unwrap();
    assert!(phone["pendingPush"].is_object(), "{phone}");
    let answer = harness.invoke(
        "demo_phone_answer",
        json!({ "login": "push@demo.test", "approve": true }),
    );
    assert_eq!(answer, Ok(json!("APPROVED")));

    let success = harness.wait_stage("success");
    assert_eq!(success["user"]["login"], "push@demo.test");
    assert!(!success.to_string().contains("token"), "{success}");
    let remembered = harness.next_remembered();
    assert_eq!(remembered["event"], "remembered");
    assert_eq!(remembered["account"]["username"], "push@demo.test");
    assert_eq!(remembered["problem"], Value::Null);
    let listed = harness.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(listed["accounts"][0]["username"], "push@demo.test");
    assert_eq!(harness.desktop.titles(), ["Push sent", "Push approved"]);

    let transcript = harness.invoke("flow_transcript", json!({})).unwrap();
    assert!(
        transcript["entries"].as_array().unwrap().len() >= 3,
        "{transcript}"
    );
    assert!(
        transcript["text"]
            .as_str()
            .unwrap()
            .contains("POST /api/v1/authn")
    );
    let path = harness.invoke("export_transcript", json!({})).unwrap();
    let path = std::path::PathBuf::from(path.as_str().unwrap());
    assert!(path.starts_with(&harness.export_dir));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("Username: push@demo.test"), "{saved}");
    assert!(!saved.contains(oktadesk_demo_org::DEMO_PASSWORD));

    harness
        .invoke("open_dashboard", json!({ "flowId": flow_id }))
        .unwrap();
    // The browser is handed a private page, never the token: the URL goes on a command line.
    let opened = harness.desktop.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    let page = url::Url::parse(&opened[0]).unwrap().to_file_path().unwrap();
    assert!(
        page.starts_with(harness.export_dir.join("handoff")),
        "{page:?}"
    );
    assert!(!opened[0].contains("token"), "{opened:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains(&format!(
            "url={}login/sessionCookieRedirect?token=",
            harness.org_url()
        )),
        "the page forwards to the org's session redirect"
    );
    assert_eq!(
        harness
            .invoke("open_dashboard", json!({ "flowId": flow_id }))
            .unwrap_err()["kind"],
        "no_session",
        "the single-use token is handed over once"
    );
}

#[test]
fn enrollment_qr_is_scanned_by_the_demo_phone() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("enroll@demo.test", false);
    let qr = harness.wait_stage("enrollQr");
    assert!(qr["svg"].as_str().unwrap().contains("<svg"));
    let scanned = harness
        .invoke(
            "demo_phone_scan",
            json!({ "flowId": flow_id, "login": "enroll@demo.test" }),
        )
        .unwrap();
    assert_eq!(scanned["result"], "PUSH_ACTIVATED");
    harness.wait_stage("success");
    assert_eq!(harness.desktop.titles(), ["Enrollment complete"]);
    // Not remembered until asked to, and then only because the sign-in succeeded.
    assert!(harness.remembered.try_recv().is_err());
    let account = harness
        .invoke("remember_account", json!({ "flowId": flow_id }))
        .unwrap();
    assert_eq!(account["username"], "enroll@demo.test");
    assert_eq!(
        harness
            .invoke(
                "demo_phone_scan",
                json!({ "flowId": flow_id, "login": "enroll@demo.test" })
            )
            .unwrap_err()["kind"],
        "demo_phone"
    );
}

#[test]
fn demo_phone_commands_need_a_demo_org() {
    let harness = Harness::new(false);
    for (command, args) in [
        ("demo_phone_view", json!({ "login": "push@demo.test" })),
        (
            "demo_phone_scan",
            json!({ "flowId": 1, "login": "enroll@demo.test" }),
        ),
        (
            "demo_phone_answer",
            json!({ "login": "push@demo.test", "approve": false }),
        ),
    ] {
        assert_eq!(
            harness.invoke(command, args).unwrap_err()["kind"],
            "not_demo"
        );
    }
    assert_eq!(
        harness.invoke("flow_transcript", json!({})).unwrap_err()["kind"],
        "nothing_to_export"
    );
    assert_eq!(
        harness.invoke("export_transcript", json!({})).unwrap_err()["kind"],
        "nothing_to_export"
    );
    assert_eq!(
        harness
            .invoke("remember_account", json!({ "flowId": 7 }))
            .unwrap_err()["kind"],
        "no_sign_in"
    );
    assert_eq!(
        harness
            .invoke("open_dashboard", json!({ "flowId": 7 }))
            .unwrap_err()["kind"],
        "no_sign_in"
    );
}

#[test]
fn the_demo_phone_scans_only_a_sign_in_to_the_demo_org() {
    let harness = Harness::new(true);
    // Another org on this computer stands in for a real one: its QR holds a live activation
    // secret that must not go to the demo org.
    let elsewhere = tauri::async_runtime::block_on(DemoOrg::start(DemoOrgConfig::default()))
        .expect("the second org starts");
    let flow_id = harness.sign_in_at(elsewhere.base_url().as_str(), "enroll@demo.test", false);
    harness.wait_stage("enrollQr");
    assert_eq!(
        harness
            .invoke(
                "demo_phone_scan",
                json!({ "flowId": flow_id, "login": "enroll@demo.test" }),
            )
            .unwrap_err()["kind"],
        "not_demo"
    );
}

#[test]
fn a_rejected_push_can_be_sent_again() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("push@demo.test", false);
    harness.wait_stage("pushSent");
    assert_eq!(
        harness.invoke(
            "demo_phone_answer",
            json!({ "login": "push@demo.test", "approve": false })
        ),
        Ok(json!("REJECTED"))
    );
    let rejected = harness.wait_stage("pushRejected");
    assert_eq!(rejected["error"]["kind"], "mfa_rejected");
    harness
        .invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "resendPush" } }),
        )
        .unwrap();
    harness.wait_stage("pushSent");
    harness
        .invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "cancel" } }),
        )
        .unwrap();
    let failed = harness.wait_stage("failed");
    assert_eq!(failed["kind"], "cancelled");
}

#[test]
fn a_newer_sign_in_takes_over_and_the_old_one_sends_nothing_more() {
    let harness = Harness::new(true);
    let first = harness.sign_in("push@demo.test", false);
    harness.wait_stage("pushSent");
    let first_channel = harness.channel.load(Ordering::Relaxed);
    let second = harness.sign_in("nomfa@demo.test", false);
    assert_ne!(first, second);
    // The first may have said something just before it was replaced; once the second has
    // spoken, the first must stay silent.
    let mut second_spoke = false;
    loop {
        let delivered = harness.stages.recv_timeout(PATIENCE).expect("a stage");
        if delivered.channel == first_channel {
            assert!(
                !second_spoke,
                "the replaced sign-in went on: {}",
                delivered.message
            );
            continue;
        }
        second_spoke = true;
        if delivered.message["stage"] == "success" {
            break;
        }
    }
    assert_eq!(
        harness
            .invoke(
                "flow_command",
                json!({ "flowId": first, "command": { "command": "resendPush" } })
            )
            .unwrap_err()["kind"],
        "no_sign_in"
    );
}

/// An account Add account found on Classic Engine fails in a way an upgraded org can cause:
/// the org is asked again, the account now says Identity Engine, and the window is told what
/// that means.
#[test]
fn a_failure_that_may_mean_an_upgrade_rechecks_the_engine() {
    let harness = Harness::with_org(Some(DemoOrgConfig {
        engine: oktadesk_demo_org::DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    }));
    let mut account =
        oktadesk_accounts::Account::new(&harness.org_url(), "nomfa@demo.test").unwrap();
    account.engine = Some(oktadesk_core::Engine::Classic);
    harness.store.save(&account).unwrap();
    harness
        .org
        .as_ref()
        .unwrap()
        .inject_fault(oktadesk_demo_org::FaultRule {
            path: Some("/api/v1/authn".into()),
            method: Some("POST".into()),
            count: 1,
            fault: oktadesk_demo_org::Fault::UnknownStatus { status: None },
        });
    harness.sign_in("nomfa@demo.test", false);
    let failed = harness.wait_stage("failed");
    assert_eq!(failed["kind"], "unsupported_step", "{failed}");
    let changed = harness.next_remembered();
    assert_eq!(changed["event"], "engineChanged", "{changed}");
    assert_eq!(changed["engine"], "identity_engine");
    assert!(
        changed["message"]
            .as_str()
            .is_some_and(|message| message.contains("Okta Identity Engine")),
        "{changed}"
    );
    let stored = harness.store.get(account.id()).unwrap().unwrap();
    assert_eq!(stored.engine, Some(oktadesk_core::Engine::IdentityEngine));
}
