//! Runs one sign-in at a time on the core's flow engine and forwards its stages to the
//! window (on the sign-in's own channel), to desktop notifications, and to the keychain on
//! success.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use oktadesk_accounts::Account;
use oktadesk_core::{
    CodePurpose, Command, DeviceTokenReader, ErrorKind, FlowHandle, OktaClient, Recovery, Secret,
    SecretBytes, SessionHandoff, Stage, Stages, Transcript,
};
use oktadesk_signin_setup::{SignInSetup, engine_recheck, may_mean_another_engine};
use tauri::ipc::Channel;
use time::OffsetDateTime;

use crate::accounts::Accounts;
use crate::browser_handoff::{HandoffPages, PAGE_LIFETIME};
use crate::desktop::{Desktop, SharedDesktop};
use crate::error::{Error, Result};
use crate::models::{AccountView, Problem, SignInEvent, TranscriptView};
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

/// What the app keeps about a sign-in besides the engine.
pub struct FlowRecord {
    pub id: u64,
    /// Who signs in where, with the choices the sign-in was started with.
    setup: SignInSetup,
    pub transcript: Transcript,
    /// The device cookie the sign-in holds, saved with the account when it is remembered.
    device: Option<DeviceTokenReader>,
    /// Set once a newer sign-in has taken over: this one's late stages go nowhere.
    replaced: AtomicBool,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The QR image as Okta served it, for the demo phone to scan. Single use, so it goes
    /// when the enrollment moves on.
    qr_png: Option<SecretBytes>,
    /// The single-use session token, until it is handed to the browser.
    session: Option<SessionHandoff>,
    /// The org's sign-in page while the sign-in waits on the browser (`ContinueInBrowser`).
    browser_url: Option<String>,
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
            Stage::EnrollQr(qr) => {
                kept.qr_png = Some(qr.original_png.clone());
                kept.browser_url = None;
            }
            Stage::ContinueInBrowser { url, .. } => {
                kept.qr_png = None;
                kept.browser_url = Some(url.clone());
            }
            // The QR stays on screen after a link is sent, and still works.
            Stage::Working { .. }
            | Stage::CommandFailed { .. }
            | Stage::ActivationLinkSent { .. } => {}
            // An authenticator app's first code is asked for under its QR code, which stays
            // on screen (and scannable by the demo phone) until the code is accepted.
            Stage::NeedsCode {
                purpose: CodePurpose::Activate,
                ..
            } if kept.qr_png.is_some() => {}
            Stage::Success { session, .. } => {
                kept.qr_png = None;
                kept.browser_url = None;
                kept.session = Some(session.clone());
                kept.succeeded = true;
            }
            _ => {
                kept.qr_png = None;
                kept.browser_url = None;
            }
        }
    }

    /// Who signs in where.
    pub fn account(&self) -> &Account {
        self.setup.account()
    }

    fn is_replaced(&self) -> bool {
        self.replaced.load(Ordering::Acquire)
    }

    /// The QR image currently on screen, for the demo phone.
    pub fn qr_png(&self) -> Option<SecretBytes> {
        self.kept().qr_png.clone()
    }

    pub fn succeeded(&self) -> bool {
        self.kept().succeeded
    }

    /// Opens the Okta dashboard in the browser, signed in with this sign-in's session. The
    /// token inside works a single time, so it is handed out once, and kept for another try
    /// only when the browser did not open.
    pub fn open_dashboard(&self, desktop: &dyn Desktop) -> Result<()> {
        let session = self.kept().session.take().ok_or(Error::NoSession)?;
        if session
            .expires_at()
            .is_some_and(|expires| expires <= OffsetDateTime::now_utc())
        {
            return Err(Error::NoSession);
        }
        let url = session.browser_url(None)?;
        // The URL carries a live session token: it may only ever go to the org itself, over
        // https (plain http only for the demo org on this computer).
        let parsed = url::Url::parse(url.expose()).map_err(Error::internal)?;
        let org = session.org();
        let secure = parsed.scheme() == "https" || (parsed.scheme() == "http" && org.is_loopback());
        if !secure || !org.is_same_origin(&parsed) {
            return Err(Error::Browser {
                org: org.to_string(),
                detail: "the address is not on your organization's secure origin".into(),
            });
        }
        // The browser gets a private page that forwards it, never the token on its command line.
        let opened = desktop
            .handoff_dir()
            .ok_or_else(|| std::io::Error::other("the system gives OktaDesk no private folder"))
            .and_then(|dir| HandoffPages::new(dir, PAGE_LIFETIME).write(&url))
            .and_then(|page| desktop.open_url(page.as_str()));
        if let Err(error) = opened {
            let org = org.to_string();
            self.kept().session = Some(session);
            return Err(Error::Browser {
                org,
                detail: error.to_string(),
            });
        }
        Ok(())
    }

    /// Opens the org's own sign-in page in the browser, for a step only the browser can do.
    /// The address carries no secret, but it came from the org's answers: it opens only when
    /// it is on the org's own origin (https, or http for a demo org on this computer).
    pub fn open_in_browser(&self, desktop: &dyn Desktop) -> Result<()> {
        let url = self
            .kept()
            .browser_url
            .clone()
            .ok_or(Error::NoBrowserStep)?;
        let org = self.account().org();
        let parsed = url::Url::parse(&url).map_err(|_| Error::Browser {
            org: org.to_string(),
            detail: "the address Okta gave is not a web address".into(),
        })?;
        let secure = parsed.scheme() == "https" || (parsed.scheme() == "http" && org.is_loopback());
        if !secure || !org.is_same_origin(&parsed) {
            return Err(Error::Browser {
                org: org.to_string(),
                detail: "the address is not on your organization's secure origin".into(),
            });
        }
        desktop
            .open_url(parsed.as_str())
            .map_err(|error| Error::Browser {
                org: org.to_string(),
                detail: error.to_string(),
            })
    }

    /// The steps so far, for the Details screen.
    pub fn transcript_view(&self) -> TranscriptView {
        TranscriptView {
            org_url: self.account().org().to_string(),
            username: self.account().username().to_string(),
            entries: self.transcript.entries(),
            text: self.transcript.to_string(),
        }
    }

    /// Remembers the signed-in account in the keychain. Only a sign-in that succeeded is
    /// remembered, so a mistyped username never is.
    pub async fn remember_in(&self, accounts: &Accounts) -> Result<AccountView> {
        if !self.succeeded() {
            return Err(Error::NoSession);
        }
        let signed_in = self.setup.signed_in(
            self.device
                .as_ref()
                .and_then(DeviceTokenReader::device_token),
        );
        let account = accounts
            .call(move |store| signed_in.remember_in(store, OffsetDateTime::now_utc()))
            .await?;
        Ok(AccountView::from(&account))
    }
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
        let record = Arc::new(FlowRecord {
            id,
            setup,
            transcript: handle.transcript().clone(),
            device: Some(handle.device_token_reader()),
            replaced: AtomicBool::new(false),
            kept: Mutex::default(),
        });
        let previous = {
            let mut current = self.lock();
            if let Some(previous) = current.as_ref() {
                previous.record.replaced.store(true, Ordering::Release);
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
        if succeeded && record.setup.remember() {
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

#[cfg(test)]
mod tests {
    use oktadesk_signin_setup::{Choices, read_account};

    use super::*;

    /// Records what the browser was asked to open; nothing else is used here.
    #[derive(Default)]
    struct Browser(Mutex<Vec<String>>);

    impl Desktop for Browser {
        fn notify(&self, _: &crate::notify::Note) {}
        fn window_focused(&self) -> bool {
            true
        }
        fn open_url(&self, url: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push(url.to_owned());
            Ok(())
        }
        fn handoff_dir(&self) -> Option<std::path::PathBuf> {
            None
        }
        fn confirm_trust(&self, _: &[oktadesk_core::RootCertificate]) -> bool {
            false
        }
        fn config_dir(&self) -> Option<std::path::PathBuf> {
            None
        }
        fn export_dir(&self) -> Option<std::path::PathBuf> {
            None
        }
        fn ui_font(&self) -> Option<&str> {
            None
        }
    }

    fn record_waiting_on(url: &str) -> FlowRecord {
        let record = FlowRecord {
            id: 1,
            setup: SignInSetup::new(
                read_account("https://acme.okta.com", "pat@acme.com").unwrap(),
                None,
                Choices::default(),
            )
            .unwrap(),
            transcript: Transcript::new(),
            device: None,
            replaced: AtomicBool::new(false),
            kept: Mutex::default(),
        };
        record.observe(&Stage::ContinueInBrowser {
            factor: None,
            message: "Only the browser can do this.".into(),
            url: url.into(),
            can_choose_another: false,
        });
        record
    }

    #[test]
    fn only_the_orgs_own_secure_origin_is_opened() {
        let browser = Browser::default();
        record_waiting_on("https://acme.okta.com/")
            .open_in_browser(&browser)
            .unwrap();
        assert_eq!(*browser.0.lock().unwrap(), ["https://acme.okta.com/"]);
        for elsewhere in [
            "https://evil.example/",
            "http://acme.okta.com/",
            "https://acme.okta.com.evil.example/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "not a url",
        ] {
            let refused = record_waiting_on(elsewhere)
                .open_in_browser(&browser)
                .unwrap_err();
            assert_eq!(refused.kind(), "browser", "{elsewhere}");
        }
        assert_eq!(browser.0.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_page_is_forgotten_once_the_sign_in_moves_on() {
        let browser = Browser::default();
        let record = record_waiting_on("https://acme.okta.com/");
        record.observe(&Stage::LockedOut {
            message: "locked".into(),
            can_unlock: false,
        });
        assert_eq!(
            record.open_in_browser(&browser).unwrap_err().kind(),
            "no_browser_step"
        );
    }
}
