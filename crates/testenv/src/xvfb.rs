//! A virtual X server of its own, for windows nobody needs to see.

use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::error::{Result, TestEnvError};
use crate::process::ManagedChild;
use crate::programs::{self, XVFB};

/// What WebKitGTK needs to run on Xvfb: no accessibility bus (the private session has none
/// and GTK would wait for it), and rendering in software, as Xvfb has no GPU.
pub const HEADLESS_WEBKIT_ENV: [(&str, &str); 2] = [
    ("NO_AT_BRIDGE", "1"),
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
];

/// Xvfb on a display of its own, 1280×800 at 24 bits, stopped on drop.
#[derive(Debug)]
pub struct Xvfb {
    // Field order matters: the server is stopped before its log directory is removed.
    server: ManagedChild,
    display: String,
    _dir: TempDir,
}

impl Xvfb {
    /// Starts Xvfb on a free display (`-displayfd` has it pick one and say which) and returns
    /// once it accepts clients.
    pub fn start() -> Result<Self> {
        let xvfb = programs::require(XVFB)?;
        let dir = tempfile::Builder::new()
            .prefix("oktadesk-xvfb-")
            .tempdir()?;
        let log = dir.path().join("xvfb.log");
        let mut command = Command::new(xvfb);
        command.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ]);
        command.stdin(Stdio::null());
        // SIGTERM on drop: Xvfb removes its socket and lock file only when it can.
        let mut server = ManagedChild::spawn_reading_stdout(XVFB.name, &mut command, Some(&log))?
            .terminate_on_drop();
        // Xvfb writes the display number once it accepts clients.
        let number = server.first_line("its display number")?;
        if !is_display_number(&number) {
            return Err(TestEnvError::UnexpectedOutput {
                program: XVFB.name.to_owned(),
                detail: format!(
                    "{number:?} is no display number; log:\n{}",
                    server.log_tail()
                ),
            });
        }
        Ok(Self {
            server,
            display: format!(":{number}"),
            _dir: dir,
        })
    }

    /// The `DISPLAY` value for clients, such as `:3`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Whether the server is still running.
    pub fn is_running(&mut self) -> bool {
        self.server.ensure_running().is_ok()
    }
}

fn is_display_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}
