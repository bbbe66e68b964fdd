//! Runs one sign-in at a time on the core's flow engine and forwards its stages to the
//! window (`flow://stage`), to desktop notifications, and to the keychain on success.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use oktadesk_core::{
    Command, FlowHandle, FlowOptions, OktaClient, OrgUrl, SecretBytes, SessionHandoff, SignIn,
    SignInRequest, Stage, Stages, Transcript,
};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::models::{AccountView, Problem, RememberedEvent, StageEvent};
use crate::state::AppState;

pub const STAGE_EVENT: &str = "flow://stage";
pub const REMEMBERED_EVENT: &str = "accounts://remembered";

/// The running (or last) sign-in.
#[derive(Default)]
pub struct Flows {
    next_id: AtomicU64,
    current: Mutex<Option<Current>>,
}

/// Dropping the handle (when a newer sign-in replaces this one) cancels the transaction on
/// the server, so the handle lives here and nowhere else.
struct Current {
    record: Arc<FlowRecord>,
    handle: FlowHandle,
}

/// What the app keeps about a sign-in besides the engine.
pub struct FlowRecord {
    pub id: u64,
    pub org: OrgUrl,
    pub username: String,
    pub remember: bool,
    pub transcript: Transcript,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The QR image as Okta served it, for the demo phone to scan. Single use, so it goes
    /// when the enrollment moves on.
    qr_png: Option<SecretBytes>,
    /// The single-use session token, until it is handed to the browser.
    session: Option<SessionHandoff>,
    succeeded: bool,
}

impl FlowRecord {
    fn kept(&self) -> MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn observe(&self, stage: &Stage) {
        let mut kept = self.kept();
        match stage {
            Stage::EnrollQr(qr) => kept.qr_png = Some(qr.original_png.clone()),
            Stage::Working { .. } | Stage::CommandFailed { .. } => {}
            Stage::Success { session, .. } => {
                kept.qr_png = None;
                kept.session = Some(session.clone());
                kept.succeeded = true;
            }
            _ => kept.qr_png = None,
        }
    }

    /// The QR image currently on screen, for the demo phone.
    pub fn qr_png(&self) -> Option<SecretBytes> {
        self.kept().qr_png.clone()
    }

    /// Hands out the session once: the token inside works a single time.
    pub fn take_session(&self) -> Option<SessionHandoff> {
        self.kept().session.take()
    }

    /// Puts back a session that could not be handed over (the browser did not open).
    pub fn restore_session(&self, session: SessionHandoff) {
        self.kept().session = Some(session);
    }

    pub fn succeeded(&self) -> bool {
        self.kept().succeeded
    }
}

/// Everything the UI sends to start a sign-in, already validated.
pub struct StartRequest {
    pub org: OrgUrl,
    pub username: String,
    pub password: oktadesk_core::Secret,
    pub remember: bool,
    pub options: FlowOptions,
}

impl Flows {
    fn lock(&self) -> MutexGuard<'_, Option<Current>> {
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current sign-in's record, if `flow_id` is still the current one.
    pub fn record(&self, flow_id: u64) -> Result<Arc<FlowRecord>> {
        match self.lock().as_ref() {
            Some(current) if current.record.id == flow_id => Ok(current.record.clone()),
            _ => Err(Error::NoSignIn),
        }
    }

    /// The latest sign-in's record, finished or not.
    pub fn latest(&self) -> Option<Arc<FlowRecord>> {
        self.lock().as_ref().map(|current| current.record.clone())
    }

    fn is_current(&self, flow_id: u64) -> bool {
        self.lock()
            .as_ref()
            .is_some_and(|current| current.record.id == flow_id)
    }

    /// Sends `command` to the sign-in `flow_id`.
    pub async fn send(&self, flow_id: u64, command: Command) -> Result<()> {
        let handle = match self.lock().as_ref() {
            Some(current) if current.record.id == flow_id => current.handle.clone(),
            _ => return Err(Error::NoSignIn),
        };
        handle.send(command).await.map_err(Error::from)
    }
}

/// Starts a sign-in, replacing (and so cancelling) any previous one, and returns its id.
pub fn start<R: Runtime>(app: &AppHandle<R>, client: &OktaClient, request: StartRequest) -> u64 {
    let state = app.state::<AppState>();
    let flows = state.flows();
    let id = flows.next_id.fetch_add(1, Ordering::Relaxed) + 1;
    let (handle, stages) = SignIn::start(
        client,
        SignInRequest {
            org: request.org.clone(),
            username: request.username.clone(),
            password: request.password,
            options: request.options,
        },
    );
    let record = Arc::new(FlowRecord {
        id,
        org: request.org,
        username: request.username,
        remember: request.remember,
        transcript: handle.transcript().clone(),
        kept: Mutex::default(),
    });
    state.stage_notes().reset();
    let previous = flows.lock().replace(Current {
        record: record.clone(),
        handle,
    });
    drop(previous);
    tauri::async_runtime::spawn(forward(app.clone(), record, stages));
    id
}

async fn forward<R: Runtime>(app: AppHandle<R>, record: Arc<FlowRecord>, mut stages: Stages) {
    while let Some(stage) = stages.next().await {
        let state = app.state::<AppState>();
        if !state.flows().is_current(record.id) {
            // A newer sign-in took over; its own stages are what the window shows.
            return;
        }
        record.observe(&stage);
        let display_name = match &stage {
            Stage::Success { user, .. } => Some(user.display_name()),
            _ => None,
        };
        if let Some(note) = state
            .stage_notes()
            .note_for(&stage, display_name.as_deref())
            && state.should_notify(&app)
        {
            state.notifier().notify(&note);
        }
        let succeeded = matches!(stage, Stage::Success { .. });
        let event = StageEvent {
            flow_id: record.id,
            stage,
        };
        if let Err(error) = app.emit(STAGE_EVENT, &event) {
            tracing::warn!(%error, "could not send a sign-in stage to the window");
        }
        if succeeded && record.remember {
            let event = remember(&state, &record).await;
            if let Err(error) = app.emit(REMEMBERED_EVENT, &event) {
                tracing::warn!(%error, "could not tell the window the account was remembered");
            }
        }
    }
}

/// Remembers the signed-in account in the keychain. Only a sign-in that succeeded is
/// remembered, so a mistyped username never is.
pub async fn save_account(state: &AppState, record: &FlowRecord) -> Result<AccountView> {
    if !record.succeeded() {
        return Err(Error::NoSession);
    }
    let org = record.org.to_string();
    let username = record.username.clone();
    let account = state
        .accounts()
        .call(move |store| store.remember_sign_in(&org, &username, OffsetDateTime::now_utc()))
        .await?;
    Ok(AccountView::from(&account))
}

/// [`save_account`] as the event the window gets: a keychain problem becomes its `problem`
/// (a calm banner), never a failed sign-in.
async fn remember(state: &AppState, record: &FlowRecord) -> RememberedEvent {
    match save_account(state, record).await {
        Ok(account) => RememberedEvent {
            flow_id: record.id,
            account: Some(account),
            problem: None,
        },
        Err(error) => {
            tracing::info!(kind = error.kind(), "the account was not remembered");
            RememberedEvent {
                flow_id: record.id,
                account: None,
                problem: Some(Problem::from(&error)),
            }
        }
    }
}
