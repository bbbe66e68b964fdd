//! `oktadesk-cli doctor` against the demo org (with a real keychain and notification
//! server), over HTTPS with a pasted CA file, and against a port where nothing listens.

// The Linux desktop session these tests start (oktadesk-testenv: D-Bus, gnome-keyring, a
// notification server) exists only there; docs/platforms.md says what runs where.
#![cfg(target_os = "linux")]

mod common;

use common::{Org, signin, spawn};
use oktadesk_demo_org::{DemoOrgConfig, TlsOptions};
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
            "engine",
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
    assert!(
        found.contains(&("engine".into(), "skip".into())),
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

/// A CA certificate pasted from an e-mail loses its line breaks. `doctor --ca-file` and
/// `signin --ca-file` build their TLS trust with the same code, so both accept it.
#[test]
fn a_pasted_ca_file_is_accepted_by_doctor_and_signin_alike() {
    let services = Environment::start().expect("private bus, keyring and notifications");
    let org = Org::start_with(DemoOrgConfig {
        tls: Some(TlsOptions::default()),
        ..DemoOrgConfig::default()
    });
    assert!(org.url.starts_with("https://"), "{}", org.url);
    let pem = org.ca_pem().expect("an HTTPS org has a CA");
    let pasted = pem.replace(['\n', '\r'], "");
    assert_eq!(pasted.lines().count(), 1, "{pasted}");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("pasted-ca.pem");
    std::fs::write(&ca_file, &pasted).unwrap();
    let ca_file = ca_file.to_str().unwrap();

    let done = spawn(
        &["doctor", "--org", &org.url, "--ca-file", ca_file, "--json"],
        &services.env_vars(),
    )
    .finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    let found = checks(&done.events);
    for name in ["authnApi", "clock"] {
        assert!(
            found.contains(&(name.into(), "pass".into())),
            "{name} must pass: {found:?}"
        );
    }
    // The demo org's certificate is short-lived, so "expires soon" (warn) is right too.
    let tls = done.events.iter().find(|e| e["check"] == "tls").unwrap();
    assert!(
        matches!(tls["status"].as_str(), Some("pass" | "warn")),
        "{tls}"
    );
    assert!(
        tls["detail"].as_str().unwrap().contains("verified"),
        "{tls}"
    );

    let signed_in = signin(&org, "nomfa@demo.test", &["--ca-file", ca_file, "--json"]).finish();
    assert_eq!(
        signed_in.code(),
        0,
        "{}\n{}",
        signed_in.stdout,
        signed_in.stderr
    );
    assert_eq!(signed_in.result()["result"], "success");

    // Without the CA neither trusts the org, and both say it is about TLS.
    let refused = spawn(
        &["doctor", "--org", &org.url, "--json"],
        &services.env_vars(),
    )
    .finish();
    assert_eq!(refused.code(), 5, "{}", refused.stdout);
    assert!(
        checks(&refused.events).contains(&("tls".into(), "fail".into())),
        "{}",
        refused.stdout
    );
    let refused = signin(&org, "nomfa@demo.test", &["--json"]).finish();
    assert_eq!(refused.code(), 5, "{}", refused.stdout);
    assert_eq!(refused.result()["kind"], "tls");
}

#[test]
fn an_unreadable_ca_file_is_reported_by_the_tls_check() {
    let org = Org::start_with(DemoOrgConfig {
        tls: Some(TlsOptions::default()),
        ..DemoOrgConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("broken.pem");
    std::fs::write(&ca_file, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
    let done = spawn(
        &[
            "doctor",
            "--org",
            &org.url,
            "--ca-file",
            ca_file.to_str().unwrap(),
            "--json",
        ],
        &[],
    )
    .finish();
    assert_eq!(done.code(), 5, "{}", done.stdout);
    let tls = done.events.iter().find(|e| e["check"] == "tls").unwrap();
    assert_eq!(tls["status"], "fail", "{tls}");
    assert!(
        tls["detail"]
            .as_str()
            .unwrap()
            .contains("no matching END line"),
        "{tls}"
    );
}
