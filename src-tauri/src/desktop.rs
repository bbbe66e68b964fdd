//! The desktop around the window: notifications, the browser, the folders the OS gives the
//! app, whether the window has focus. One seam, so the mock-runtime tests put a recorder
//! where the real desktop cannot run.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, Manager, Runtime};

use crate::notify::Note;

/// What the app asks of the desktop it runs on.
pub trait Desktop: Send + Sync {
    /// Shows a desktop notification. A desktop without a notification server still has the
    /// window, which says it all, so this cannot fail.
    fn notify(&self, note: &Note);

    /// Whether the app's window has the keyboard focus (the person is looking at it).
    fn window_focused(&self) -> bool;

    /// Opens `url` in the default browser.
    fn open_url(&self, url: &str) -> std::io::Result<()>;

    /// Where settings live (the trusted root certificate), if the OS gives the app a folder.
    fn config_dir(&self) -> Option<PathBuf>;

    /// Where an exported transcript is saved: Downloads, else Documents, else home.
    fn export_dir(&self) -> Option<PathBuf>;

    /// The desktop's UI font family, for the page to name instead of `system-ui`.
    fn ui_font(&self) -> Option<&str>;
}

/// The desktop as the app's managed state holds it; a sign-in keeps a clone for its
/// notifications.
pub type SharedDesktop = Arc<dyn Desktop>;

/// The real desktop, through Tauri: the notification plugin, the OS folders, the window.
pub struct TauriDesktop<R: Runtime> {
    app: AppHandle<R>,
    ui_font: Option<String>,
}

impl<R: Runtime> TauriDesktop<R> {
    /// `ui_font` is read once, on the main thread after GTK started (`ui_font.rs`).
    pub fn shared(app: AppHandle<R>, ui_font: Option<String>) -> SharedDesktop {
        Arc::new(Self { app, ui_font })
    }
}

impl<R: Runtime> Desktop for TauriDesktop<R> {
    fn notify(&self, note: &Note) {
        use tauri_plugin_notification::NotificationExt;
        let shown = self
            .app
            .notification()
            .builder()
            .title(&note.title)
            .body(note.body_for_desktop())
            .show();
        if let Err(error) = shown {
            tracing::info!(%error, "could not show a desktop notification");
        }
    }

    fn window_focused(&self) -> bool {
        self.app
            .get_webview_window("main")
            .and_then(|window| window.is_focused().ok())
            .unwrap_or(false)
    }

    fn open_url(&self, url: &str) -> std::io::Result<()> {
        open::that_detached(url)
    }

    fn config_dir(&self) -> Option<PathBuf> {
        self.app.path().app_config_dir().ok()
    }

    fn export_dir(&self) -> Option<PathBuf> {
        let paths = self.app.path();
        paths
            .download_dir()
            .or_else(|_| paths.document_dir())
            .or_else(|_| paths.home_dir())
            .ok()
    }

    fn ui_font(&self) -> Option<&str> {
        self.ui_font.as_deref()
    }
}
