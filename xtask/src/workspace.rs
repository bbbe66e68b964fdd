//! Where the workspace and its build directory are.

use std::path::{Path, PathBuf};

/// The app's features in every build xtask makes for people and tests: the demo org in the
/// process (`--demo`), the demo phone and `--demo-org-url`, and bench mode. A plain
/// `cargo build` or `cargo tauri build` has none of them: that is the release app.
pub const APP_DEV_FEATURES: &str = "oktadesk/demo-org,oktadesk/bench";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Clean clones on one machine share a build directory outside the clone, so a second clone
/// (or a CI re-run) rebuilds nothing it has already built.
pub fn use_shared_target_dir() {
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        return;
    }
    let dir = home().join(".cache").join("oktadesk").join("target");
    // SAFETY: called at the start of main, before xtask starts any thread.
    unsafe { std::env::set_var("CARGO_TARGET_DIR", &dir) };
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}
