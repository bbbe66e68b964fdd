//! Trusting an extra root certificate, and what release builds must never have.

use super::*;

#[test]
fn a_trusted_root_certificate_is_checked_kept_and_used_until_forgotten() {
    let harness = Harness::new(false);
    let org = tauri::async_runtime::block_on(DemoOrg::start(DemoOrgConfig {
        tls: Some(oktadesk_demo_org::TlsOptions::default()),
        ..DemoOrgConfig::default()
    }))
    .expect("the HTTPS demo org starts");
    let sign_in = || {
        harness.sign_in_at(org.base_url().as_str(), "nomfa@demo.test", false);
        loop {
            let stage = harness.next_stage().expect("a stage");
            if ["success", "failed"].contains(&stage["stage"].as_str().unwrap()) {
                return stage;
            }
        }
    };

    let none = harness.invoke("trusted_certificate", json!({})).unwrap();
    assert_eq!(none["trusted"], false);
    let refused = sign_in();
    assert_eq!(refused["kind"], "tls", "{refused}");

    let garbage = harness
        .invoke("trust_certificate", json!({ "pem": "not a certificate" }))
        .unwrap_err();
    assert!(
        garbage["message"]
            .as_str()
            .unwrap()
            .contains("BEGIN CERTIFICATE"),
        "{garbage}"
    );
    let huge = "A".repeat(trust::MAX_PEM_BYTES + 1);
    assert_eq!(
        harness
            .invoke("trust_certificate", json!({ "pem": huge }))
            .unwrap_err()["kind"],
        "invalid_input"
    );
    assert_eq!(
        harness.invoke("trusted_certificate", json!({})).unwrap()["trusted"],
        false,
        "nothing unusable was kept"
    );

    // A leaf certificate can never be a root, whatever the person would answer.
    let leaf = {
        let mut params = rcgen::CertificateParams::new(vec!["leaf.example".to_owned()]).unwrap();
        params.is_ca = rcgen::IsCa::NoCa;
        params
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap()
            .pem()
    };
    let refused = harness
        .invoke("trust_certificate", json!({ "pem": leaf }))
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid_input", "{refused}");
    assert!(harness.desktop.trust_asked.lock().unwrap().is_empty());

    // The person says no in the native dialog: nothing is stored.
    let ca_pem = org.ca_pem().expect("the org has a CA");
    harness.desktop.trusts.store(false, Ordering::SeqCst);
    let declined = harness
        .invoke("trust_certificate", json!({ "pem": ca_pem }))
        .unwrap_err();
    assert_eq!(declined["kind"], "declined", "{declined}");
    assert_eq!(
        harness.invoke("trusted_certificate", json!({})).unwrap()["trusted"],
        false
    );
    assert_eq!(sign_in()["kind"], "tls");

    harness.desktop.trusts.store(true, Ordering::SeqCst);
    let trusted = harness
        .invoke("trust_certificate", json!({ "pem": ca_pem }))
        .unwrap();
    assert_eq!(trusted["trusted"], true);
    assert_eq!(trusted["certificates"], 1);
    let asked = harness.desktop.trust_asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 2, "asked once per try: {asked:?}");
    let fingerprint = asked[1][0].clone();
    let path = std::path::PathBuf::from(trusted["path"].as_str().unwrap());
    assert!(
        path.starts_with(harness.export_dir.join("config")),
        "{path:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the trusted root is this user's alone");
    }
    assert_eq!(sign_in()["stage"], "success");
    let transcript = harness.invoke("flow_transcript", json!({})).unwrap();
    assert!(
        transcript["text"].as_str().unwrap().contains(&fingerprint),
        "the sign-in's transcript names the extra root it trusted: {transcript}"
    );
    assert_eq!(
        harness.invoke("trusted_certificate", json!({})).unwrap(),
        trusted
    );

    let forgotten = harness.invoke("forget_certificate", json!({})).unwrap();
    assert_eq!(forgotten["trusted"], false);
    assert!(!path.exists());
    assert_eq!(sign_in()["kind"], "tls");
}

/// The web inspector lets whoever sits at the window run script with the app's IPC access.
/// Tauri builds it into debug builds only, unless the `devtools` feature or a window's
/// `devtools` setting turns it on: neither may, so release builds never have it.
#[test]
fn release_builds_have_no_web_inspector() {
    let manifest = include_str!("../../Cargo.toml");
    for line in manifest.lines().filter(|line| line.starts_with("tauri = ")) {
        assert!(!line.contains("devtools"), "{line}");
    }
    let config: Value = serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    for window in config["app"]["windows"].as_array().unwrap() {
        assert_ne!(window["devtools"], true, "{window}");
    }
}
