//! A stand-in default browser: an `xdg-open` first on `PATH` that writes down what it was
//! asked to open, so tests can check the browser hand-off and never start a real browser.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::error::{Result, TestEnvError};

#[derive(Debug)]
pub struct Browser {
    dir: TempDir,
}

impl Browser {
    pub fn start() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("oktadesk-browser-")
            .tempdir()?;
        let script = dir.path().join("xdg-open");
        // One line per call. The URL may carry a one-time session token, which is what a
        // browser is handed; it stays in this private directory.
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                dir.path().join("opened").display()
            ),
        )?;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
        Ok(Self { dir })
    }

    /// `PATH` with the stand-in first.
    pub fn env_vars(&self) -> Vec<(OsString, OsString)> {
        let mut path = OsString::from(self.dir.path());
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        vec![("PATH".into(), path)]
    }

    /// What was opened so far, oldest first.
    pub fn opened(&self) -> Result<Vec<String>> {
        match std::fs::read_to_string(self.log()) {
            Ok(text) => Ok(text.lines().map(str::to_owned).collect()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(error) => Err(error.into()),
        }
    }

    /// Waits until something was opened and returns it. `timeout` is a safety net.
    pub fn wait_for_open(&self, timeout: Duration) -> Result<String> {
        let started = Instant::now();
        loop {
            if let Some(url) = self.opened()?.pop() {
                return Ok(url);
            }
            if started.elapsed() > timeout {
                return Err(TestEnvError::NotReady {
                    what: "the browser hand-off (nothing ran xdg-open)".to_owned(),
                    waited: started.elapsed(),
                    log: String::new(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("opened")
    }
}
