//! The binary's command line, which works without a display.
//!
//! Having an integration test also makes `cargo test` build the `oktadesk` binary itself, with
//! the same features as the test build, so the end-to-end suite drives that binary without a
//! second build of Tauri.

use std::process::Command;

fn oktadesk(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_oktadesk"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the oktadesk binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn version_prints_the_package_version() {
    let (ok, stdout) = oktadesk(&["--version"]);
    assert!(ok);
    assert_eq!(
        stdout.trim(),
        format!("oktadesk {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_explains_demo_mode() {
    let (ok, stdout) = oktadesk(&["--help"]);
    assert!(ok);
    assert!(stdout.starts_with("Usage: oktadesk"), "{stdout}");
    assert!(stdout.contains("--demo"), "{stdout}");
}
