//! The desktop around the window: notifications, the browser, the folders the OS gives the
//! app, whether the window has focus. One seam, so the mock-runtime tests put a recorder
//! where the real desktop cannot run.

use std::path::PathBuf;
use std::sync::Arc;

use oktadesk_core::RootCertificate;
use tauri::{AppHandle, Manager, Runtime};

use crate::notify::Note;

/// What the app asks of the desktop it runs on.
pub trait Desktop: Send + Sync {
    /// Shows a desktop notification. A desktop without a notification server still has the
    /// window, which says it all, so this cannot fail.
    fn notify(&self, note: &Note);

    /// Whether the app's window has the keyboard focus (the person is looking at it).
    fn window_focused(&self) -> bool;

    /// Opens `url` in the default browser. The URL goes on a command line, where any local
    /// user can read it: it must carry no secret (see `browser_handoff.rs`).
    fn open_url(&self, url: &str) -> std::io::Result<()>;

    /// A folder for the browser hand-off pages: this user's own, preferably one cleared at
    /// logout.
    fn handoff_dir(&self) -> Option<PathBuf>;

    /// Asks the person, in a native dialog the page cannot answer for them, whether to trust
    /// `roots` for every sign-in. Blocks until they answer: call it off the async workers.
    fn confirm_trust(&self, roots: &[RootCertificate]) -> bool;

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

    fn confirm_trust(&self, roots: &[RootCertificate]) -> bool {
        use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
        let mut dialog = self
            .app
            .dialog()
            .message(trust_question(roots))
            .title(TRUST_TITLE)
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                TRUST_BUTTON.into(),
                "Cancel".into(),
            ));
        if let Some(window) = self.app.get_webview_window("main") {
            dialog = dialog.parent(&window);
        }
        dialog.blocking_show()
    }

    fn handoff_dir(&self) -> Option<PathBuf> {
        let paths = self.app.path();
        handoff_dir_in(paths.runtime_dir().ok(), paths.app_cache_dir().ok())
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

/// The hand-off pages' folder, from the folders the OS gives the app. Linux's runtime folder
/// (`$XDG_RUNTIME_DIR`) is per user, 0700, in memory and emptied at logout; macOS and Windows
/// have none, and give the app a per-user cache folder instead
/// (`~/Library/Caches/dev.oktadesk.desktop`, `%LOCALAPPDATA%\dev.oktadesk.desktop`).
fn handoff_dir_in(runtime_dir: Option<PathBuf>, app_cache_dir: Option<PathBuf>) -> Option<PathBuf> {
    runtime_dir
        .map(|dir| dir.join("oktadesk"))
        .or_else(|| app_cache_dir.map(|dir| dir.join("handoff")))
}

/// The trust dialog's title; end-to-end tests find the dialog by it.
pub const TRUST_TITLE: &str = "Trust this root certificate?";
/// GTK reads the underscore as the button's Alt shortcut; elsewhere it would show.
#[cfg(target_os = "linux")]
const TRUST_BUTTON: &str = "_Trust";
#[cfg(not(target_os = "linux"))]
const TRUST_BUTTON: &str = "Trust";

/// What the trust dialog says: what trusting means, then each certificate as people check it
/// against what their IT department published.
pub fn trust_question(roots: &[RootCertificate]) -> String {
    let mut text = String::from(
        "OktaDesk will trust this certificate for every organization you sign in to, next to \
         your computer's own. A root certificate can vouch for any site: trust it only if your \
         IT department gave it to you, and compare its fingerprint with theirs.",
    );
    for root in roots {
        text.push_str(&format!(
            "\n\nName: {}\nIssued by: {}\nValid until: {}\nSHA-256: {}",
            root.subject,
            root.issuer,
            root.not_after.date(),
            root.sha256
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_hands_off_through_the_runtime_folder() {
        let dir = handoff_dir_in(
            Some(PathBuf::from("/run/user/1000")),
            Some(PathBuf::from("/home/jane/.cache/dev.oktadesk.desktop")),
        );
        assert_eq!(dir, Some(PathBuf::from("/run/user/1000").join("oktadesk")));
    }

    #[test]
    fn macos_and_windows_hand_off_through_the_apps_cache_folder() {
        for cache in [
            PathBuf::from("/Users/jane/Library/Caches/dev.oktadesk.desktop"),
            PathBuf::from(r"C:\Users\jane\AppData\Local\dev.oktadesk.desktop"),
        ] {
            let dir = handoff_dir_in(None, Some(cache.clone()));
            assert_eq!(dir, Some(cache.join("handoff")));
        }
    }

    #[test]
    fn without_either_folder_there_is_no_hand_off_page() {
        assert_eq!(handoff_dir_in(None, None), None);
    }
}
