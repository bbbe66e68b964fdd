//! What the commands share for the life of the app.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tauri::{AppHandle, Manager, Runtime};

use crate::accounts::Accounts;
use crate::demo::Demo;
use crate::error::Result;
use crate::flow::Flows;
use crate::notify::{Note, Notifier, StageNotes};
use crate::trust::Trust;

/// Opens a URL in the default browser (the `open` crate in the app, a recorder in tests).
pub type OpenUrl = dyn Fn(&str) -> std::result::Result<(), String> + Send + Sync;

pub struct AppState {
    demo: Option<Demo>,
    accounts: Accounts,
    trust: Trust,
    flows: Flows,
    stage_notes: StageNotes,
    notify_always: bool,
    notifier: OnceLock<Arc<dyn Notifier>>,
    open_url: Arc<OpenUrl>,
    export_dir: Option<PathBuf>,
    config_dir: Option<PathBuf>,
    ui_font: OnceLock<Option<String>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("demo", &self.demo)
            .field("accounts", &self.accounts)
            .field("notify_always", &self.notify_always)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(demo: Option<Demo>, accounts: Accounts) -> Result<Self> {
        Ok(Self {
            demo,
            accounts,
            trust: Trust::default(),
            flows: Flows::default(),
            stage_notes: StageNotes::default(),
            notify_always: false,
            notifier: OnceLock::new(),
            open_url: Arc::new(|url| open::that_detached(url).map_err(|error| error.to_string())),
            export_dir: None,
            config_dir: None,
            ui_font: OnceLock::new(),
        })
    }

    /// Saves exported transcripts here instead of the user's Downloads folder.
    pub fn with_export_dir(mut self, dir: PathBuf) -> Self {
        self.export_dir = Some(dir);
        self
    }

    pub fn export_dir(&self) -> Option<&Path> {
        self.export_dir.as_deref()
    }

    /// Keeps settings (the trusted root certificate) here instead of the app's config folder.
    pub fn with_config_dir(mut self, dir: PathBuf) -> Self {
        self.config_dir = Some(dir);
        self
    }

    /// Where settings live: the override, else the OS's config folder for the app.
    pub fn config_dir<R: Runtime>(&self, app: &AppHandle<R>) -> Option<PathBuf> {
        self.config_dir
            .clone()
            .or_else(|| app.path().app_config_dir().ok())
    }

    /// Notify even while the window has focus (`--notify-always`).
    pub fn with_notify_always(mut self, always: bool) -> Self {
        self.notify_always = always;
        self
    }

    /// Where notifications go; without one they are only logged.
    pub fn with_notifier(self, notifier: Arc<dyn Notifier>) -> Self {
        let _ = self.notifier.set(notifier);
        self
    }

    /// Sets the notifier once the app handle exists, unless one was given already.
    pub fn set_notifier_if_unset(&self, notifier: Arc<dyn Notifier>) {
        let _ = self.notifier.set(notifier);
    }

    /// Keeps the desktop's UI font family, read once GTK has started.
    pub fn set_ui_font(&self, family: Option<String>) {
        let _ = self.ui_font.set(family);
    }

    pub fn ui_font(&self) -> Option<&str> {
        self.ui_font.get()?.as_deref()
    }

    pub fn with_url_opener(mut self, open: Arc<OpenUrl>) -> Self {
        self.open_url = open;
        self
    }

    pub fn demo(&self) -> Option<&Demo> {
        self.demo.as_ref()
    }

    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }

    pub fn trust(&self) -> &Trust {
        &self.trust
    }

    pub fn flows(&self) -> &Flows {
        &self.flows
    }

    pub fn stage_notes(&self) -> &StageNotes {
        &self.stage_notes
    }

    pub fn open_url(&self, url: &str) -> std::result::Result<(), String> {
        (self.open_url)(url)
    }

    pub fn notifier(&self) -> &dyn Notifier {
        match self.notifier.get() {
            Some(notifier) => notifier.as_ref(),
            None => &LogOnly,
        }
    }

    /// Notifications are for when the person is looking elsewhere; the window already
    /// shows everything while it has focus.
    pub fn should_notify<R: Runtime>(&self, app: &AppHandle<R>) -> bool {
        if self.notify_always {
            return true;
        }
        let focused = app
            .get_webview_window("main")
            .and_then(|window| window.is_focused().ok())
            .unwrap_or(false);
        !focused
    }
}

struct LogOnly;

impl Notifier for LogOnly {
    fn notify(&self, note: &Note) {
        tracing::info!(title = %note.title, "notification (no notifier)");
    }
}
