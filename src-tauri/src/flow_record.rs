//! What the app keeps of one sign-in besides the core's engine: who signs in where, the
//! transcript, the device cookie, and what the later commands need of its stages (the QR
//! image for the demo phone, the session for the browser, the page the browser must finish
//! on). The commands that open the dashboard or the browser act on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use oktadesk_accounts::Account;
use oktadesk_core::{
    CodePurpose, DeviceTokenReader, SecretBytes, SessionHandoff, Stage, Transcript,
};
use oktadesk_signin_setup::SignInSetup;
use time::OffsetDateTime;

use crate::accounts::Accounts;
use crate::browser_handoff::{HandoffPages, PAGE_LIFETIME};
use crate::desktop::Desktop;
use crate::error::{Error, Result};
use crate::models::{AccountView, TranscriptView};

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
    pub(crate) fn new(
        id: u64,
        setup: SignInSetup,
        transcript: Transcript,
        device: Option<DeviceTokenReader>,
    ) -> Self {
        Self {
            id,
            setup,
            transcript,
            device,
            replaced: AtomicBool::new(false),
            kept: Mutex::default(),
        }
    }

    /// A newer sign-in has taken over: this one's late stages go nowhere.
    pub(crate) fn mark_replaced(&self) {
        self.replaced.store(true, Ordering::Release);
    }

    /// Whether the account is to be remembered once the sign-in succeeds.
    pub(crate) fn remembers(&self) -> bool {
        self.setup.remember()
    }
    fn kept(&self) -> MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn observe(&self, stage: &Stage) {
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

    pub(crate) fn is_replaced(&self) -> bool {
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
        let setup = SignInSetup::new(
            read_account("https://acme.okta.com", "pat@acme.com").unwrap(),
            None,
            Choices::default(),
        )
        .unwrap();
        let record = FlowRecord::new(1, setup, Transcript::new(), None);
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
