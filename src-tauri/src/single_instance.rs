//! One window per user. Double-clicking the app while it runs (the commonest thing an end
//! user does) brings the running window forward instead of starting a second copy that would
//! poll the same push and hold its own sign-in.
//!
//! The plugin finds the running copy through a D-Bus name on the session bus (Linux), a named
//! mutex and window message (Windows) or a Unix socket (macOS). The second copy passes its
//! arguments over (ignored here) and exits before it opens a window.
//!
//! On macOS that socket is a fixed path in `/tmp`, which every user shares, and the plugin
//! offers no way to move it. Another local user could bind it first: OktaDesk would then
//! hand over to their program and exit, never opening for this user. So before the plugin is
//! set up, OktaDesk looks at who owns whatever is at that path; when it belongs to another
//! user, this copy starts without the one-window rule rather than handing over.

use std::path::PathBuf;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// Builds with the demo are their own family on Linux, so `cargo xtask run` next to an
/// installed OktaDesk starts rather than focusing the installed one. (The plugin keys macOS and
/// Windows on the bundle identifier alone.)
#[cfg(feature = "demo")]
const DBUS_ID: &str = "dev.oktadesk.desktop.demo";
#[cfg(not(feature = "demo"))]
const DBUS_ID: &str = "dev.oktadesk.desktop";

/// The app's identifier (`tauri.conf.json`), which the plugin names its macOS socket after.
const IDENTIFIER: &str = "dev.oktadesk.desktop";

/// The one-window plugin, or `None` where handing over would not be safe (see the module).
pub fn plugin<R: Runtime>() -> Option<TauriPlugin<R>> {
    if !socket_owner_is_safe() {
        tracing::warn!(
            path = %macos_socket_path(IDENTIFIER).display(),
            "another user owns the single-instance socket; starting without the one-window rule"
        );
        return None;
    }
    Some(
        tauri_plugin_single_instance::Builder::new()
            .dbus_id(DBUS_ID)
            // The second copy's arguments are never read: nothing another program sends
            // there can steer this one.
            .callback(|app, _args, _cwd| bring_forward(app))
            .build(),
    )
}

/// Where tauri-plugin-single-instance (2.5) puts its socket on macOS: `/tmp/` and the
/// identifier with `.` and `-` made `_`, then `_si.sock` (its `platform_impl/macos.rs`,
/// `socket_path`, without the optional `semver` feature, which OktaDesk does not turn on).
/// Check this again when the plugin is upgraded.
fn macos_socket_path(identifier: &str) -> PathBuf {
    PathBuf::from(format!(
        "/tmp/{}_si.sock",
        identifier.replace(['.', '-'], "_")
    ))
}

/// Whether this copy may connect to what is at the socket path: nothing there (it becomes
/// the running copy), or something this user owns. Anything another user owns is refused.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
fn may_hand_over(owner: Option<u32>, this_user: u32) -> bool {
    owner.is_none_or(|owner| owner == this_user)
}

#[cfg(target_os = "macos")]
fn socket_owner_is_safe() -> bool {
    use std::os::unix::fs::MetadataExt;
    // lstat: a link planted there is judged by its own owner, not its target's.
    let owner = match std::fs::symlink_metadata(macos_socket_path(IDENTIFIER)) {
        Ok(metadata) => Some(metadata.uid()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        // Unreadable: not known to be ours.
        Err(_) => return false,
    };
    // SAFETY: getuid has no preconditions and cannot fail.
    let this_user = unsafe { libc::getuid() };
    may_hand_over(owner, this_user)
}

/// Linux (the session bus) and Windows (per-session names) are per user already.
#[cfg(not(target_os = "macos"))]
fn socket_owner_is_safe() -> bool {
    true
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_socket_of_this_user_or_none_is_handed_over_to() {
        assert!(may_hand_over(None, 501));
        assert!(may_hand_over(Some(501), 501));
        assert!(!may_hand_over(Some(502), 501));
        assert!(!may_hand_over(Some(0), 501), "not even root's");
    }

    #[test]
    fn the_socket_path_is_the_plugins_for_our_identifier() {
        assert_eq!(
            macos_socket_path(IDENTIFIER),
            PathBuf::from("/tmp/dev_oktadesk_desktop_si.sock")
        );
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(config["identifier"], IDENTIFIER);
        // macOS limits a socket's path to 104 bytes, which is why the plugin uses /tmp.
        assert!(macos_socket_path(IDENTIFIER).as_os_str().len() < 104);
    }

    /// Windows: the plugin's named mutex, held by the running copy (a hidden window of the
    /// same family receives the second launch's arguments), is per session. Spelled here so a
    /// plugin upgrade that changes it is noticed and docs/platforms.md kept true.
    #[test]
    fn windows_finds_the_running_copy_through_a_per_session_mutex() {
        let windows_mutex = |identifier: &str| format!("{identifier}-sim");
        assert_eq!(windows_mutex(IDENTIFIER), "dev.oktadesk.desktop-sim");
    }
}
