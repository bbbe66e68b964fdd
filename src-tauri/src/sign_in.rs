//! Runs one sign-in at a time on the core's flow engine and forwards its stages to the
//! window (on the sign-in's own channel), to desktop notifications, and to the keychain on
//! success.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use oktadesk_core::{Command, ErrorKind, FlowHandle, OktaClient, Recovery, Secret, Stage, Stages};
use oktadesk_signin_setup::{SignInSetup, engine_recheck, may_mean_another_engine};
use tauri::ipc::Channel;

use crate::accounts::Accounts;
use crate::desktop::SharedDesktop;
use crate::error::{Error, Result};
use crate::flow_record::FlowRecord;
use crate::models::{Problem, SignInEvent};
use crate::notify::{NotifyWhen, StageNotes};

/// The running (or last) sign-in: the part of the app's state the sign-in commands take.
#[derive(Default)]
pub struct SignIns {
    next_id: AtomicU64,
    current: Mutex<Option<Current>>,
    notify_when: NotifyWhen,
}

/// Dropping the handle (when a newer sign-in replaces this one) cancels the transaction on
/// the server, so the handle lives here and nowhere else.
struct Current {
    record: Arc<FlowRecord>,
    handle: FlowHandle,
}

/// Where a sign-in's stages go besides its record.
pub struct Followers {
    /// The window's channel for this sign-in: its stages, then what came of remembering.
    pub events: Channel<SignInEvent>,
    /// For notifications while the window is in the background.
    pub desktop: SharedDesktop,
    /// Where the account is remembered after success, when the person asked for that.
    pub accounts: Accounts,
    /// The client the sign-in used, to ask the org its engine again after some failures.
    pub client: OktaClient,
}

impl Followers {
    pub fn new(
        events: Channel<SignInEvent>,
        desktop: &SharedDesktop,
        accounts: &Accounts,
        client: &OktaClient,
    ) -> Self {
        Self {
            events,
            desktop: desktop.clone(),
            accounts: accounts.clone(),
            client: client.clone(),
        }
    }
}

impl SignIns {
    pub fn new(notify_when: NotifyWhen) -> Self {
        Self {
            notify_when,
            ..Self::default()
        }
    }

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

    /// Sets whether the sign-in `flow_id` asks Okta to remember this device.
    pub fn remember_device(&self, flow_id: u64, remember: bool) -> Result<()> {
        match self.lock().as_ref() {
            Some(current) if current.record.id == flow_id => {
                current.handle.remember_device(remember);
                Ok(())
            }
            _ => Err(Error::NoSignIn),
        }
    }

    /// Sends `command` to the sign-in `flow_id`.
    pub async fn send(&self, flow_id: u64, command: Command) -> Result<()> {
        let handle = match self.lock().as_ref() {
            Some(current) if current.record.id == flow_id => current.handle.clone(),
            _ => return Err(Error::NoSignIn),
        };
        handle.send(command).await.map_err(Error::from)
    }

    /// Starts the sign-in `setup` describes with `password`, replacing (and so cancelling)
    /// any previous one, and returns its id.
    pub fn start(
        &self,
        client: &OktaClient,
        setup: SignInSetup,
        password: Secret,
        followers: Followers,
    ) -> u64 {
        let (handle, stages) = setup.start(client, password);
        self.follow(handle, stages, setup, followers)
    }

    /// Starts a password reset or an unlock for `setup`'s account as the current sign-in:
    /// the same id, channel and commands, so choosing a factor, a code, an answer or cancel
    /// work on it as on any sign-in. A reset goes on to sign in, and is remembered then when
    /// the setup says so.
    pub fn recover(
        &self,
        client: &OktaClient,
        setup: SignInSetup,
        recovery: Recovery,
        followers: Followers,
    ) -> u64 {
        let (handle, stages) = setup.recover(client, recovery);
        self.follow(handle, stages, setup, followers)
    }

    /// Makes the flow `handle` the current one, replacing any previous one, forwards its
    /// stages, and returns its id.
    fn follow(
        &self,
        handle: FlowHandle,
        stages: Stages,
        setup: SignInSetup,
        followers: Followers,
    ) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let record = Arc::new(FlowRecord::new(
            id,
            setup,
            handle.transcript().clone(),
            Some(handle.device_token_reader()),
        ));
        let previous = {
            let mut current = self.lock();
            if let Some(previous) = current.as_ref() {
                previous.record.mark_replaced();
            }
            current.replace(Current {
                record: record.clone(),
                handle,
            })
        };
        // Outside the lock: dropping the handle cancels the old transaction.
        drop(previous);
        tauri::async_runtime::spawn(forward(record, stages, followers, self.notify_when));
        id
    }
}

async fn forward(
    record: Arc<FlowRecord>,
    mut stages: Stages,
    followers: Followers,
    notify_when: NotifyWhen,
) {
    let mut notes = StageNotes::default();
    while let Some(stage) = stages.next().await {
        if record.is_replaced() {
            // A newer sign-in took over; its own stages are what the window shows.
            return;
        }
        record.observe(&stage);
        let display_name = match &stage {
            Stage::Success { user, .. } => Some(user.display_name()),
            _ => None,
        };
        if let Some(note) = notes.note_for(&stage, display_name.as_deref())
            && notify_when.allows(|| followers.desktop.window_focused())
        {
            followers.desktop.notify(&note);
        }
        let succeeded = matches!(stage, Stage::Success { .. });
        let failed_kind = match &stage {
            Stage::Failed { kind, .. } => Some(*kind),
            _ => None,
        };
        if let Err(error) = followers.events.send(SignInEvent::Stage(stage)) {
            tracing::warn!(%error, "could not send a sign-in stage to the window");
        }
        if succeeded && record.remembers() {
            let event = remember(&followers.accounts, &record).await;
            if let Err(error) = followers.events.send(event) {
                tracing::warn!(%error, "could not tell the window the account was remembered");
            }
        }
        if let Some(kind) = failed_kind.filter(|kind| may_mean_another_engine(*kind))
            && let Some(event) = recheck_engine(&followers, &record, kind).await
            && let Err(error) = followers.events.send(event)
        {
            tracing::warn!(%error, "could not tell the window the org's engine changed");
        }
    }
}

/// Asks the org its engine again after a sign-in failed in a way that may mean the org moved
/// (`kind`); when it now runs another one than the account knew, records it on the
/// remembered account and says what it means ([`engine_recheck`]).
async fn recheck_engine(
    followers: &Followers,
    record: &FlowRecord,
    kind: ErrorKind,
) -> Option<SignInEvent> {
    let found = followers
        .client
        .detect_engine(record.account().org())
        .await
        .engine;
    let change = engine_recheck(record.account(), kind, found)?;
    tracing::info!(%kind, engine = change.engine.as_str(), "the org runs another engine than the account knew");
    let (id, engine) = (record.account().id().clone(), change.engine);
    // Best effort: an account that is not remembered, or a locked keychain, just keeps going.
    let _ = followers
        .accounts
        .call(move |store| store.record_engine(&id, Some(engine)))
        .await;
    Some(SignInEvent::EngineChanged {
        engine: change.engine,
        message: change.message,
    })
}

/// [`FlowRecord::remember_in`] as the event the window gets: a keychain problem becomes its
/// `problem` (a calm banner), never a failed sign-in.
async fn remember(accounts: &Accounts, record: &FlowRecord) -> SignInEvent {
    match record.remember_in(accounts).await {
        Ok(account) => SignInEvent::Remembered {
            account: Some(account),
            problem: None,
        },
        Err(error) => {
            tracing::info!(kind = error.kind(), "the account was not remembered");
            SignInEvent::Remembered {
                account: None,
                problem: Some(Problem::from(&error)),
            }
        }
    }
}
