//! Where the harness finds the app and puts its screenshots and logs.

use std::path::{Path, PathBuf};

use oktadesk_testenv::Program;

use crate::error::{HarnessError, Result};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives one level below the workspace root")
        .to_path_buf()
}

/// Screenshots stay in the clone's own `target/` (even when builds go elsewhere) so they are
/// next to the code that produced them.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target").join("e2e-screenshots")
}

/// Logs of the programs the harness starts, kept for reading after a failure.
pub fn log_dir() -> PathBuf {
    workspace_root().join("target").join("e2e-logs")
}

fn build_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The built `oktadesk` binary: `OKTADESK_APP`, else the debug build in the build directory.
pub fn app_binary() -> Result<PathBuf> {
    let path = std::env::var_os("OKTADESK_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| build_dir().join("debug").join("oktadesk"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(HarnessError::NotFound {
            what: format!("the app binary {}", path.display()),
            hint: "build it with `cargo build -p oktadesk` (cargo xtask test does) or set \
                   OKTADESK_APP"
                .into(),
        })
    }
}

pub fn tauri_driver() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("OKTADESK_TAURI_DRIVER") {
        return Ok(PathBuf::from(path));
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    cargo_bin
        .into_iter()
        .chain(std::env::split_paths(&path))
        .map(|dir| dir.join("tauri-driver"))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| HarnessError::NotFound {
            what: "tauri-driver".into(),
            hint: "install it with `cargo install tauri-driver --version ^2 --locked` \
                   (cargo xtask test does)"
                .into(),
        })
}

/// Where Debian's webkit2gtk-driver puts WebKitWebDriver; tauri-driver is told this path.
pub const WEBKIT_WEBDRIVER: Program = Program {
    name: "/usr/bin/WebKitWebDriver",
    package: "webkit2gtk-driver",
};
