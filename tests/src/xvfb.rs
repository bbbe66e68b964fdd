//! A virtual X server of its own for each desktop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::error::{HarnessError, Result};
use crate::process::{OwnedChild, READY_TIMEOUT};

#[derive(Debug)]
pub struct Xvfb {
    display: String,
    _process: OwnedChild,
}

impl Xvfb {
    /// Starts Xvfb on a free display (`-displayfd` has it pick one and tell us which).
    pub fn start() -> Result<Self> {
        let mut command = Command::new("Xvfb");
        command.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ]);
        let log_name = format!("xvfb-{}", std::process::id());
        let mut process = OwnedChild::spawn(
            "Xvfb",
            command,
            &log_name,
            Some(Stdio::piped()),
            "Install it with `apt-get install xvfb`.",
        )?;
        let stdout = process.child_mut().stdout.take().expect("stdout is piped");
        // Xvfb writes the display number once it accepts clients; read it off-thread so a
        // wedged server cannot hang the test run.
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(READY_TIMEOUT).unwrap_or_default();
        let number = line.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            process.ensure_running()?;
            return Err(HarnessError::NotReady {
                what: "Xvfb".into(),
                seconds: READY_TIMEOUT.as_secs(),
                log: process.log().to_owned(),
            });
        }
        Ok(Self {
            display: format!(":{number}"),
            _process: process,
        })
    }

    /// The `DISPLAY` value for clients, such as `:3`.
    pub fn display(&self) -> &str {
        &self.display
    }
}
