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
        Self::with_org(demo_org.then(DemoOrgConfig::default))
    }

    /// A harness whose demo org (if any) runs with `config`.
    fn with_org(config: Option<DemoOrgConfig>) -> Self {
        let org = config.map(|config| {
            tauri::async_runtime::block_on(DemoOrg::start(config)).expect("the demo org starts")
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
                    // What follows a sign-in's final stage.
                    Some("remembered" | "engineChanged") => &remembered_tx,
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

mod accounts;
mod factors;
mod recovery;
mod security;
mod sign_in;
