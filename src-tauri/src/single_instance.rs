//! One window per user. Double-clicking the app while it runs (the commonest thing an end
//! user does) brings the running window forward instead of starting a second copy that would
//! poll the same push and hold its own sign-in.
//!
//! The plugin finds the running copy through a D-Bus name on the session bus (Linux), a named
//! mutex and window message (Windows) or a socket in the user's folder (macOS). The second
//! copy passes its arguments over and exits before it opens a window.

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// Builds with the demo are their own family on Linux, so `cargo xtask run` next to an
/// installed OktaDesk starts rather than focusing the installed one. (The plugin keys macOS and
/// Windows on the bundle identifier alone.)
#[cfg(feature = "demo")]
const DBUS_ID: &str = "dev.oktadesk.desktop.demo";
#[cfg(not(feature = "demo"))]
const DBUS_ID: &str = "dev.oktadesk.desktop";

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(DBUS_ID)
        .callback(|app, _args, _cwd| bring_forward(app))
        .build()
}

/// Shows the running window on top, restored, with the keyboard.
fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("OktaDesk was opened again; showing the window that is already open");
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    for (what, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(error) = result {
            tracing::info!(%error, "could not {what} the window");
        }
    }
}
