//! Every command through Tauri's real IPC layer on the mock runtime, against a demo org on
//! loopback and an in-memory account store.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oktadesk_accounts::{AccountStore, MemoryStore, SimulatedFailure};
use oktadesk_demo_org::{DemoOrg, DemoOrgConfig};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use super::*;

/// A hang guard for waiting on events, not a speed expectation.
const PATIENCE: Duration = Duration::from_secs(60);

/// The desktop seam, recording what the app asked of it.
struct RecordingDesktop {
    notes: Mutex<Vec<Note>>,
    opened: Mutex<Vec<String>>,
    dir: PathBuf,
    /// How the person answers the trust dialog.
    trusts: std::sync::atomic::AtomicBool,
    /// The fingerprints each trust dialog showed.
    trust_asked: Mutex<Vec<Vec<String>>>,
}

impl Desktop for RecordingDesktop {
    fn notify(&self, note: &Note) {
        self.notes.lock().unwrap().push(note.clone());
    }

    fn window_focused(&self) -> bool {
        true
    }

    fn open_url(&self, url: &str) -> std::io::Result<()> {
        self.opened.lock().unwrap().push(url.to_owned());
        Ok(())
    }

    fn confirm_trust(&self, roots: &[oktadesk_core::RootCertificate]) -> bool {
        let shown = roots.iter().map(|root| root.sha256.clone()).collect();
        self.trust_asked.lock().unwrap().push(shown);
        self.trusts.load(Ordering::SeqCst)
    }

    fn handoff_dir(&self) -> Option<PathBuf> {
        Some(self.dir.join("handoff"))
    }

    fn config_dir(&self) -> Option<PathBuf> {
        Some(self.dir.join("config"))
    }

    fn export_dir(&self) -> Option<PathBuf> {
        Some(self.dir.clone())
    }

    fn ui_font(&self) -> Option<&str> {
        None
    }
}

impl RecordingDesktop {
    fn titles(&self) -> Vec<String> {
        self.notes
            .lock()
            .unwrap()
            .iter()
            .map(|n| n.title.clone())
            .collect()
    }
}

/// A message the app sent on a sign-in's channel, and which channel it came on.
struct Delivered {
    channel: u32,
    message: Value,
}

struct Harness {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    stages: Receiver<Delivered>,
    remembered: Receiver<Delivered>,
    /// The channel the latest `start_sign_in` was given, as the page would make one.
    channel: AtomicU32,
    store: Arc<MemoryStore>,
    desktop: Arc<RecordingDesktop>,
    export_dir: PathBuf,
    org: Option<DemoOrg>,
}

impl Harness {
    fn new(demo_org: bool) -> Self {
        let org = demo_org.then(|| {
            tauri::async_runtime::block_on(DemoOrg::start(DemoOrgConfig::default()))
                .expect("the demo org starts")
        });
        let demo = org
            .as_ref()
            .map(|org| Demo::connect(org.base_url().as_str()));
        let store = Arc::new(MemoryStore::new());
        let export_dir = std::env::temp_dir().join(format!(
            "oktadesk-app-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&export_dir).unwrap();
        let desktop = Arc::new(RecordingDesktop {
            notes: Mutex::default(),
            opened: Mutex::default(),
            dir: export_dir.clone(),
            trusts: std::sync::atomic::AtomicBool::new(true),
            trust_asked: Mutex::default(),
        });
        let (stage_tx, stages) = channel();
        let (remembered_tx, remembered) = channel();
        let builder = mock_builder()
            // What the app sends on a page's channel, in the order it sent it (the page's
            // `Channel` orders messages by this index too).
            .channel_interceptor(move |_, channel, _index, body| {
                let InvokeResponseBody::Json(json) = body else {
                    panic!("a sign-in event is JSON");
                };
                let message: Value = serde_json::from_str(json).unwrap();
                let to: &Sender<Delivered> = match message["event"].as_str() {
                    Some("stage") => &stage_tx,
                    Some("remembered") => &remembered_tx,
                    _ => panic!("not a sign-in event: {message}"),
                };
                let _ = to.send(Delivered {
                    channel: channel.0,
                    message,
                });
                true
            });
        let app = build_app(
            builder,
            AppParts {
                accounts: Accounts::with_store(store.clone()),
                demo: DemoMode::from(demo),
                notify_when: NotifyWhen::Always,
            },
        )
        .build(mock_context(tauri::test::noop_assets()))
        .expect("the mock app builds");
        // Where the app's setup hook puts the real desktop (the mock app never runs it).
        app.manage::<SharedDesktop>(desktop.clone());
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock window opens");
        Self {
            _app: app,
            window,
            stages,
            remembered,
            channel: AtomicU32::new(0),
            store,
            desktop,
            export_dir,
            org,
        }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn org_url(&self) -> String {
        self.org.as_ref().unwrap().base_url().to_string()
    }

    fn sign_in(&self, login: &str, remember: bool) -> u64 {
        self.sign_in_at(&self.org_url(), login, remember)
    }

    /// Starts a sign-in with a fresh channel for its events, as the page does.
    fn start_sign_in(&self, request: Value) -> Result<Value, Value> {
        let channel = self.channel.fetch_add(1, Ordering::Relaxed) + 1;
        self.invoke(
            "start_sign_in",
            json!({ "request": request, "events": format!("__CHANNEL__:{channel}") }),
        )
    }

    fn sign_in_at(&self, org_url: &str, login: &str, remember: bool) -> u64 {
        let started = self
            .start_sign_in(json!({
                "orgUrl": org_url,
                "username": login,
                "password": oktadesk_demo_org::DEMO_PASSWORD,
                "remember": remember,
            }))
            .expect("the sign-in starts");
        started["flowId"].as_u64().unwrap()
    }

    /// The next stage, which must come on the latest sign-in's own channel.
    fn next_stage(&self) -> Option<Value> {
        let delivered = self.stages.recv_timeout(PATIENCE).ok()?;
        assert_eq!(
            delivered.channel,
            self.channel.load(Ordering::Relaxed),
            "a stage came on another sign-in's channel: {}",
            delivered.message
        );
        Some(delivered.message)
    }

    /// What came of remembering the account, on the latest sign-in's own channel.
    fn next_remembered(&self) -> Value {
        let delivered = self
            .remembered
            .recv_timeout(PATIENCE)
            .expect("the window hears whether the account was remembered");
        assert_eq!(delivered.channel, self.channel.load(Ordering::Relaxed));
        delivered.message
    }

    /// Waits for the stage named `name`, skipping `working` and the like on the way.
    fn wait_stage(&self, name: &str) -> Value {
        loop {
            let stage = self
                .next_stage()
                .unwrap_or_else(|| panic!("no {name} stage arrived"));
            if stage["stage"] == name {
                return stage;
            }
            assert!(
                !["success", "failed", "lockedOut"].contains(&stage["stage"].as_str().unwrap()),
                "the flow ended with {stage} while waiting for {name}"
            );
        }
    }
}

static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

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
fn codes_are_checked_here_and_wrong_ones_refused_by_the_org() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("totp@demo.test", false);
    harness.wait_stage("needsCode");
    let command = |code: &str| {
        harness.invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "submitCode", "code": code } }),
        )
    };
    // The shape every code shares is checked here, before the engine...
    assert_eq!(command("").unwrap_err()["kind"], "invalid_input");
    assert_eq!(command("12 ab").unwrap_err()["kind"], "invalid_input");
    assert_eq!(command("12\u{1b}456").unwrap_err()["kind"], "invalid_input");
    assert_eq!(
        command(&"1".repeat(65)).unwrap_err()["kind"],
        "invalid_input"
    );
    // ...and the digits this factor wants by the flow, which says so without asking Okta.
    command("12ab56").unwrap();
    let refused = harness.wait_stage("needsCode");
    assert_eq!(refused["lastError"]["kind"], "invalid_code");

    command("000000").unwrap();
    let again = harness.wait_stage("needsCode");
    assert_eq!(again["lastError"]["kind"], "invalid_code");

    let phone = harness
        .invoke("demo_phone_view", json!({ "login": "totp@demo.test" }))
        .unwrap();
    let code = phone["codes"][0]["code"].as_str().unwrap().to_owned();
    command(&code).unwrap();
    harness.wait_stage("success");

    assert_eq!(
        harness
            .invoke(
                "flow_command",
                json!({ "flowId": flow_id + 1, "command": { "command": "cancel" } })
            )
            .unwrap_err()["kind"],
        "no_sign_in"
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
    let manifest = include_str!("../Cargo.toml");
    for line in manifest.lines().filter(|line| line.starts_with("tauri = ")) {
        assert!(!line.contains("devtools"), "{line}");
    }
    let config: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    for window in config["app"]["windows"].as_array().unwrap() {
        assert_ne!(window["devtools"], true, "{window}");
    }
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

#[test]
fn an_sms_number_without_its_country_code_is_refused_before_any_request() {
    let harness = Harness::new(false);
    let refused = harness
        .invoke(
            "flow_command",
            json!({ "flowId": 1, "command": {
                "command": "sendActivationLink",
                "link": { "channel": "sms", "phoneNumber": "4155550123" }
            } }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid_input");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("country code"),
        "{refused}"
    );
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

#[test]
fn a_required_factor_only_the_browser_can_do_opens_the_orgs_own_page() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("webauthn@demo.test", false);
    let browser = harness.wait_stage("continueInBrowser");
    assert_eq!(browser["canChooseAnother"], false, "{browser}");
    assert!(
        browser["message"].as_str().unwrap().contains("browser"),
        "{browser}"
    );
    // Nothing else goes on from here: the engine says so, the window offers only the browser.
    let refused = harness
        .invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "skip" } }),
        )
        .unwrap_err();
    assert!(refused["message"].as_str().is_some(), "{refused}");

    harness
        .invoke("open_in_browser", json!({ "flowId": flow_id }))
        .unwrap();
    let opened = harness.desktop.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    let org = url::Url::parse(&harness.org_url()).unwrap();
    let page = url::Url::parse(&opened[0]).unwrap();
    assert_eq!(page.origin(), org.origin(), "{opened:?}");
    // The page carries no secret, so it can be opened again.
    harness
        .invoke("open_in_browser", json!({ "flowId": flow_id }))
        .unwrap();
    assert_eq!(harness.desktop.opened.lock().unwrap().len(), 2);

    assert_eq!(
        harness
            .invoke("open_in_browser", json!({ "flowId": flow_id + 1 }))
            .unwrap_err()["kind"],
        "no_sign_in"
    );
}

#[test]
fn the_browser_opens_only_while_a_step_waits_on_it() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("push@demo.test", false);
    harness.wait_stage("pushSent");
    assert_eq!(
        harness
            .invoke("open_in_browser", json!({ "flowId": flow_id }))
            .unwrap_err()["kind"],
        "no_browser_step"
    );
    assert!(harness.desktop.opened.lock().unwrap().is_empty());
}

#[test]
fn a_security_question_is_answered_through_the_window_commands() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("question@demo.test", false);
    let asked = harness.wait_stage("needsAnswer");
    assert!(!asked["question"].as_str().unwrap().is_empty(), "{asked}");
    let answer = |answer: &str| {
        harness.invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "submitAnswer", "answer": answer } }),
        )
    };
    assert_eq!(answer("   ").unwrap_err()["kind"], "invalid_input");
    answer("not the answer").unwrap();
    let again = harness.wait_stage("needsAnswer");
    assert!(again["lastError"]["message"].is_string(), "{again}");
    answer(oktadesk_demo_org::DEMO_SECURITY_ANSWER).unwrap();
    harness.wait_stage("success");
}
