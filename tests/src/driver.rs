//! tauri-driver over WebKitWebDriver, talking to apps on one X display.

use std::ffi::OsString;
use std::process::Command;

use crate::error::Result;
use crate::paths;
use crate::process::{OwnedChild, free_port};

#[derive(Debug)]
pub struct TauriDriver {
    port: u16,
    _process: OwnedChild,
}

impl TauriDriver {
    /// Starts tauri-driver with `env` (the display and session bus the apps should use) and
    /// waits until it accepts WebDriver connections.
    pub fn start(env: &[(OsString, OsString)]) -> Result<Self> {
        let port = free_port()?;
        // WebKitWebDriver has a fixed default port; two desktops at once need two.
        let native_port = free_port()?;
        let mut command = Command::new(paths::tauri_driver()?);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .args(["--native-driver", paths::WEBKIT_WEBDRIVER])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env_remove("WAYLAND_DISPLAY");
        let mut process = OwnedChild::spawn(
            "tauri-driver",
            command,
            &format!("tauri-driver-{port}"),
            None,
            "Install it with `cargo install tauri-driver --version ^2 --locked` and \
             WebKitWebDriver with `apt-get install webkit2gtk-driver`.",
        )?;
        // tauri-driver listens at once but starts WebKitWebDriver beside it; a session
        // requested before both listen fails.
        process.wait_for_port(port)?;
        process.wait_for_port(native_port)?;
        Ok(Self {
            port,
            _process: process,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
