//! The display and the measuring desktop session start for real; the session is gone after drop.

use std::path::Path;
use std::process::Command;

use oktadesk_testenv::{DesktopSession, Xvfb};

/// The socket an X server at `display` (`:N`) listens on.
fn x_socket(display: &str) -> String {
    format!("/tmp/.X11-unix/X{}", display.trim_start_matches(':'))
}

#[test]
fn xvfb_takes_a_free_display_of_its_own() {
    let mut first = Xvfb::start().unwrap();
    let second = Xvfb::start().unwrap();
    assert_ne!(first.display(), second.display());
    assert!(first.is_running());
    let socket = x_socket(first.display());
    assert!(Path::new(&socket).exists(), "{socket}");
}

#[test]
fn a_desktop_session_starts_the_keyring_on_demand_in_its_own_directories() {
    let parent = tempfile::tempdir().unwrap();
    let session = DesktopSession::start_in(parent.path()).unwrap();
    let runtime = session.dirs().runtime_dir();
    assert!(runtime.starts_with(parent.path()));
    let vars = session.env_vars();
    for name in [
        "DISPLAY",
        "DBUS_SESSION_BUS_ADDRESS",
        "XDG_RUNTIME_DIR",
        "NO_AT_BRIDGE",
    ] {
        assert!(vars.iter().any(|(var, _)| var == name), "{name} missing");
    }
    assert!(
        !vars.iter().any(|(var, _)| var == "HOME"),
        "HOME is the caller's"
    );

    // Calling the Secret Service activates gnome-keyring, as a desktop's bus does, and it
    // keeps its files in the session's runtime directory, not the user's.
    let output = session
        .command("gdbus")
        .args(["call", "--session", "--dest", "org.freedesktop.secrets"])
        .args(["--object-path", "/org/freedesktop/secrets"])
        .args(["--method", "org.freedesktop.DBus.Peer.Ping"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        runtime.join("keyring").exists(),
        "no keyring in {}",
        runtime.display()
    );

    let address = session.bus().address().to_owned();
    let root = session.dirs().root().to_path_buf();
    drop(session);
    let after = Command::new("gdbus")
        .args(["call", "--session", "--dest", "org.freedesktop.DBus"])
        .args(["--object-path", "/org/freedesktop/DBus"])
        .args(["--method", "org.freedesktop.DBus.GetId"])
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .output()
        .unwrap();
    assert!(!after.status.success(), "the bus still answers after drop");
    assert!(!root.exists(), "{} outlived the session", root.display());
}
