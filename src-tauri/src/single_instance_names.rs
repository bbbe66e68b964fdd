//! Where a second launch finds the running copy today, on macOS and Windows, as
//! tauri-plugin-single-instance 2.5 (without its `semver` feature) derives it from the bundle
//! identifier in `tauri.conf.json`. The plugin owns these names and OktaDesk does not set
//! them; they are spelled here, as small pure functions tested on every system, so that a
//! change (a new plugin version, another identifier, or a socket moved out of the shared
//! `/tmp`) is noticed and docs/platforms.md kept true. Linux uses the D-Bus name that
//! `single_instance.rs` sets, and is tested end to end (`opening_the_app_again_keeps_one_window`).

use std::path::PathBuf;

/// The bundle identifier, as the plugin reads it from the app's configuration.
fn identifier() -> String {
    let config: serde_json::Value =
        serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json is JSON");
    config["identifier"]
        .as_str()
        .expect("tauri.conf.json names the identifier")
        .to_owned()
}

/// macOS: a Unix socket in `/tmp`, named after the identifier with `.` and `-` as `_`.
fn macos_socket(identifier: &str) -> PathBuf {
    let name = identifier.replace(['.', '-'], "_");
    PathBuf::from(format!("/tmp/{name}_si.sock"))
}

/// Windows: a named mutex held by the running copy (and a hidden window of the same family
/// that receives the second launch's arguments).
fn windows_mutex(identifier: &str) -> String {
    format!("{identifier}-sim")
}

#[test]
fn macos_finds_the_running_copy_through_a_socket_in_tmp() {
    assert_eq!(
        macos_socket(&identifier()),
        PathBuf::from("/tmp/dev_oktadesk_desktop_si.sock")
    );
    // macOS limits a socket's path to 104 bytes, which is why the plugin uses /tmp.
    assert!(macos_socket(&identifier()).as_os_str().len() < 104);
}

#[test]
fn windows_finds_the_running_copy_through_a_named_mutex() {
    assert_eq!(windows_mutex(&identifier()), "dev.oktadesk.desktop-sim");
}
