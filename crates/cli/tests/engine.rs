//! The org's engine in `signin` (announced, noted in the transcript, remembered with the
//! account) and in `doctor`, on a Classic and an Identity Engine demo org.

mod common;

use common::{Org, signin, spawn};
use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};
use serde_json::Value;

fn identity_engine_org() -> Org {
    Org::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    })
}

fn engine_line(events: &[Value]) -> &Value {
    events
        .iter()
        .find(|event| event.get("signsInThrough").is_some())
        .expect("an engine line")
}

#[test]
fn a_classic_sign_in_names_the_engine_and_notes_it_in_the_transcript() {
    let org = Org::start();
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("signin.json");
    let done = signin(
        &org,
        "nomfa@demo.test",
        &["--json", "--transcript", transcript.to_str().unwrap()],
    )
    .finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    done.assert_json_lines();
    let line = engine_line(&done.events);
    assert_eq!(line["engine"], "classic", "{line}");
    assert_eq!(line["pipeline"], "v1");
    assert!(line.get("note").is_none(), "{line}");
    let first = done.events.first().unwrap();
    assert_eq!(first, line, "announced before any stage");

    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&transcript).unwrap()).unwrap();
    let entries = saved.as_array().unwrap();
    assert_eq!(entries[0]["path"], "org engine");
    assert!(
        entries[0]["note"]
            .as_str()
            .unwrap()
            .contains("Okta Classic Engine (pipeline v1)")
    );
    assert_eq!(entries[1]["path"], "/api/v1/authn");
}

#[test]
fn an_identity_engine_org_is_named_with_what_that_means_and_the_sign_in_goes_on() {
    let org = identity_engine_org();
    let done = signin(&org, "nomfa@demo.test", &[]).finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    for needle in [
        "runs Okta Identity Engine",
        "through Classic's /api/v1/authn",
        "global session policy",
        "Signed in as",
    ] {
        assert!(
            done.stderr.contains(needle),
            "{needle} missing:\n{}",
            done.stderr
        );
    }

    let json = signin(&org, "nomfa@demo.test", &["--json"]).finish();
    assert_eq!(json.code(), 0, "{}", json.stdout);
    let line = engine_line(&json.events);
    assert_eq!(line["engine"], "identity_engine");
    assert_eq!(line["signsInThrough"], "/api/v1/authn");
    assert!(
        line["note"]
            .as_str()
            .unwrap()
            .contains("global session policy")
    );
    json.assert_no_secrets();
}

#[test]
fn an_org_that_does_not_say_is_signed_in_to_all_the_same() {
    let org = Org::start();
    org.inject_fault(oktadesk_demo_org::FaultRule {
        path: Some("/.well-known/okta-organization".into()),
        method: None,
        count: 1,
        fault: oktadesk_demo_org::Fault::Status {
            status: 404,
            error_code: Some("E0000007".into()),
            error_summary: Some("Not found: Resource not found".into()),
        },
    });
    let done = signin(&org, "nomfa@demo.test", &[]).finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    assert!(
        done.stderr.contains("Could not tell which engine"),
        "{}",
        done.stderr
    );
}

#[test]
fn doctor_reports_the_engine() {
    for (org, status, detail) in [
        (Org::start(), "pass", "Okta Classic Engine (pipeline v1"),
        (
            identity_engine_org(),
            "warn",
            "Okta Identity Engine (pipeline idx",
        ),
    ] {
        let done = spawn(&["doctor", "--org", &org.url, "--json"], &[]).finish();
        let check = done
            .events
            .iter()
            .find(|event| event["check"] == "engine")
            .unwrap_or_else(|| panic!("no engine check: {}", done.stdout));
        assert_eq!(check["status"], status, "{check}");
        assert!(
            check["detail"].as_str().unwrap().contains(detail),
            "{check}"
        );
        if status == "warn" {
            assert!(check["advice"].as_str().unwrap().contains("/api/v1/authn"));
        }
    }
}

// A private Secret Service (gnome-keyring on D-Bus) is Linux's alone.
#[cfg(target_os = "linux")]
#[test]
fn a_remembered_account_keeps_its_org_engine() {
    use common::signin_env;
    use oktadesk_testenv::Environment;

    let keyring = Environment::start().expect("private keyring starts");
    let env = keyring.env_vars();
    let org = identity_engine_org();
    let done = signin_env(&org, "nomfa@demo.test", &["--remember", "--json"], &env).finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    assert_eq!(done.result()["account"]["engine"], "identity_engine");
    let listed = spawn(&["accounts", "list", "--json"], &env).finish();
    let accounts = &listed.events.last().unwrap()["accounts"];
    assert_eq!(accounts[0]["engine"], "identity_engine", "{accounts}");
}
