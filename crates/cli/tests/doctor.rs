//! `oktadesk-cli doctor` against the demo org (with a real keychain and notification
//! server) and against a port where nothing listens.

mod common;

use common::{Org, spawn};
use oktadesk_testenv::Environment;
use serde_json::Value;

fn checks(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|event| {
            Some((
                event["check"].as_str()?.to_owned(),
                event["status"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

#[test]
fn the_demo_org_passes_every_check() {
    let services = Environment::start().expect("private bus, keyring and notifications");
    let org = Org::start();
    let done = spawn(
        &["doctor", "--org", &org.url, "--json"],
        &services.env_vars(),
    )
    .finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    let found = checks(&done.events);
    let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "dns",
            "tcp",
            "tls",
            "authnApi",
            "clock",
            "proxy",
            "keychain",
            "notifications"
        ]
    );
    for (name, status) in &found {
        let expected = if name == "tls" { "skip" } else { "pass" };
        assert_eq!(status, expected, "{name}: {}", done.stdout);
    }
    let summary = done.result();
    assert_eq!(summary["result"], "passed");
    assert_eq!(summary["failed"], 0);
}

#[test]
fn a_closed_port_fails_tcp_with_exit_5() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let org = format!("http://127.0.0.1:{port}");
    let done = spawn(&["doctor", "--org", &org, "--json"], &[]).finish();
    assert_eq!(done.code(), 5, "{}", done.stdout);
    let found = checks(&done.events);
    assert!(found.contains(&("tcp".into(), "fail".into())), "{found:?}");
    assert!(
        found.contains(&("authnApi".into(), "skip".into())),
        "{found:?}"
    );
    let tcp = done.events.iter().find(|e| e["check"] == "tcp").unwrap();
    assert!(
        tcp["advice"]
            .as_str()
            .unwrap()
            .contains("Check the org URL"),
        "{tcp}"
    );
    assert_eq!(done.result()["exitCode"], 5);
}

#[test]
fn human_output_names_each_check_and_what_to_do() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let org = format!("127.0.0.1:{port}");
    let done = spawn(&["doctor", "--org", &org], &[]).finish();
    assert_eq!(done.code(), 5);
    assert!(done.stdout.is_empty(), "{}", done.stdout);
    for needle in [
        "DNS",
        "TCP",
        "could not connect",
        "Check the org URL",
        "Keychain",
        "check(s) failed",
    ] {
        assert!(
            done.stderr.contains(needle),
            "{needle} missing:\n{}",
            done.stderr
        );
    }
}
