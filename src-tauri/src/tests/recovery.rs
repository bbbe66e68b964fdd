//! Starting a password reset or an unlock: checked like a sign-in, run as the current
//! sign-in (its id, its channel, its commands), and its secrets checked before the engine.

use super::*;

fn start_recovery(harness: &Harness, request: Value) -> Result<Value, Value> {
    let channel = harness.channel.fetch_add(1, Ordering::Relaxed) + 1;
    harness.invoke(
        "start_recovery",
        json!({ "request": request, "events": format!("__CHANNEL__:{channel}") }),
    )
}

#[test]
fn start_recovery_checks_its_input_before_any_request() {
    let harness = Harness::new(false);
    let start = |org: &str, username: &str, recovery: &str| {
        start_recovery(
            &harness,
            json!({ "orgUrl": org, "username": username, "recovery": recovery }),
        )
        .unwrap_err()
    };
    assert_eq!(
        start("acme okta", "ada", "resetPassword")["kind"],
        "invalid_org_url"
    );
    assert_eq!(
        start("acme.okta.com", "  ", "unlockAccount")["kind"],
        "invalid_input"
    );
    assert_eq!(
        start("acme.okta.com", &"a".repeat(600), "unlockAccount")["kind"],
        "invalid_input"
    );
    // Only the two recoveries there are.
    assert!(
        start_recovery(
            &harness,
            json!({ "orgUrl": "acme.okta.com", "username": "ada", "recovery": "deleteAccount" }),
        )
        .is_err()
    );
    assert!(harness.stages.try_recv().is_err(), "nothing started");
}

#[test]
fn a_recovery_runs_as_the_current_sign_in_on_its_own_channel() {
    let harness = Harness::new(true);
    let started = start_recovery(
        &harness,
        json!({
            "orgUrl": harness.org_url(),
            "username": "locked@demo.test",
            "recovery": "unlockAccount",
        }),
    )
    .expect("the unlock starts");
    let flow_id = started["flowId"].as_u64().unwrap();
    // The engine says what it does first, on the channel this recovery was started with
    // (`next_stage` checks).
    let first = harness.next_stage().expect("a first stage");
    assert_eq!(first["event"], "stage");
    assert_eq!(first["stage"], "working", "{first}");
    assert_eq!(first["activity"], "startingRecovery", "{first}");

    // The page's commands reach it; the secrets it takes are checked first.
    let command = |command: Value| {
        harness.invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": command }),
        )
    };
    for refused in [
        json!({ "command": "submitRecoveryToken", "token": "  " }),
        json!({ "command": "submitRecoveryToken", "token": "x".repeat(5000) }),
        json!({ "command": "setNewPassword", "newPassword": "" }),
        json!({ "command": "setNewPassword", "newPassword": "x".repeat(2000) }),
    ] {
        assert_eq!(
            command(refused.clone()).unwrap_err()["kind"],
            "invalid_input",
            "{refused}"
        );
    }
    let transcript = harness.invoke("flow_transcript", json!({})).unwrap();
    assert_eq!(transcript["username"], "locked@demo.test");

    // A sign-in started after it takes over, as a second sign-in would: once the sign-in
    // has spoken, the recovery stays silent (it may have said more just before).
    let recovery_channel = harness.channel.load(Ordering::Relaxed);
    let signed_in = harness.sign_in("nomfa@demo.test", false);
    assert_ne!(signed_in, flow_id);
    let mut sign_in_spoke = false;
    loop {
        let delivered = harness.stages.recv_timeout(PATIENCE).expect("a stage");
        if delivered.channel == recovery_channel {
            assert!(
                !sign_in_spoke,
                "the replaced recovery went on: {}",
                delivered.message
            );
            continue;
        }
        sign_in_spoke = true;
        if delivered.message["stage"] == "success" {
            break;
        }
    }
    assert_eq!(
        command(json!({ "command": "cancel" })).unwrap_err()["kind"],
        "no_sign_in"
    );
}
