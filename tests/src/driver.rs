//! tauri-driver over WebKitWebDriver, talking to apps on one X display.

use std::ffi::OsString;
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Stdio};

use oktadesk_testenv::ManagedChild;

use crate::error::{HarnessError, Result};
use crate::paths;

#[derive(Debug)]
pub struct TauriDriver {
    port: u16,
    _process: ManagedChild,
}

impl TauriDriver {
    /// Starts tauri-driver with `env` (the display and session bus the apps should use) and
    /// waits until it accepts WebDriver connections.
    pub fn start(env: &[(OsString, OsString)]) -> Result<Self> {
        let tauri_driver = paths::tauri_driver()?;
        let webkit_webdriver = oktadesk_testenv::require(paths::WEBKIT_WEBDRIVER)?;
        let port = free_port()?;
        // WebKitWebDriver has a fixed default port; two desktops at once need two.
        let native_port = free_port()?;
        let mut command = Command::new(tauri_driver);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(webkit_webdriver)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        // Its own process group, stopped as a whole: tauri-driver starts WebKitWebDriver,
        // which starts the app. The log stays in target/e2e-logs for reading after a failure.
        let log = paths::log_dir().join(format!("tauri-driver-{port}.log"));
        let mut process = ManagedChild::spawn_group("tauri-driver", &mut command, &log)?;
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

/// A port nothing listens on right now, for programs that must be told their port.
fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|source| HarnessError::Spawn {
            program: "a loopback listener".into(),
            hint: "Check that the loopback interface is up.",
            source,
        })
}
