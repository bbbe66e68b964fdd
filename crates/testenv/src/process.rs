//! Child processes that are always reaped, and readiness checks that wait for events.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Result, TestEnvError};
use crate::programs::{self, GDBUS};

/// How long a service may take to come up before the test environment gives up. Generous on
/// purpose: this is a safety net for broken machines, never a speed expectation.
pub(crate) const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A background service whose output goes to a log file and which is killed and reaped on
/// drop, so neither a passing nor a panicking test leaves daemons behind.
///
/// Output goes to a file rather than the test's own stdout/stderr because a daemon that
/// outlives a crashed test would otherwise keep the CI log pipe open forever.
#[derive(Debug)]
pub(crate) struct ManagedChild {
    program: String,
    child: Child,
    log: PathBuf,
}

impl ManagedChild {
    /// Spawns `command` with stdout and stderr sent to `log`. Stdin is left as configured by
    /// the caller (null unless set).
    pub(crate) fn spawn(program: &str, command: &mut Command, log: &Path) -> Result<Self> {
        let log_file = File::create(log)?;
        let child = command
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .map_err(|source| TestEnvError::Spawn {
                program: program.to_owned(),
                source,
            })?;
        Ok(Self::adopt(program, child, log))
    }

    /// Takes ownership of an already spawned child whose output goes to `log`.
    pub(crate) fn adopt(program: &str, child: Child, log: &Path) -> Self {
        Self {
            program: program.to_owned(),
            child,
            log: log.to_path_buf(),
        }
    }

    pub(crate) fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    pub(crate) fn log_tail(&self) -> String {
        log_tail(&self.log)
    }

    /// Fails with the log when the process has already exited.
    pub(crate) fn ensure_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => Err(TestEnvError::ExitedEarly {
                program: self.program.clone(),
                status,
                log: self.log_tail(),
            }),
        }
    }
}

impl Drop for ManagedChild {
    fn drop(&mut self) {
        // Errors only mean the process is already gone; waiting reaps it either way.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last lines of a log file, for error messages.
pub(crate) fn log_tail(log: &Path) -> String {
    const LINES: usize = 40;
    match fs::read_to_string(log) {
        Ok(text) if text.trim().is_empty() => "(empty log)".to_owned(),
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(LINES)..].join("\n")
        }
        Err(error) => format!("(log {} unreadable: {error})", log.display()),
    }
}

/// Blocks until `name` has an owner on the bus at `address`, failing early if `owner`
/// (the process expected to claim it) exits first.
///
/// `gdbus wait` watches `NameOwnerChanged`, so this returns as soon as the name appears;
/// the short per-call timeout only bounds how often the owner's liveness is checked.
pub(crate) fn wait_for_bus_name(address: &str, name: &str, owner: &mut ManagedChild) -> Result<()> {
    let gdbus = programs::require(GDBUS)?;
    let started = Instant::now();
    loop {
        let output = Command::new(&gdbus)
            .args(["wait", "--session", "--timeout", "2", name])
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .stdin(Stdio::null())
            .output()
            .map_err(|source| TestEnvError::Spawn {
                program: "gdbus".to_owned(),
                source,
            })?;
        if output.status.success() {
            return Ok(());
        }
        owner.ensure_running()?;
        if started.elapsed() > READY_TIMEOUT {
            return Err(TestEnvError::NotReady {
                what: format!("the D-Bus name {name}"),
                waited: started.elapsed(),
                log: format!(
                    "{}\n(gdbus wait said: {})",
                    owner.log_tail(),
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
            });
        }
    }
}

/// Runs a short-lived command to completion and fails with its output unless it succeeded.
pub(crate) fn run_checked(command: &mut Command) -> Result<Output> {
    let description = describe(command);
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| TestEnvError::Spawn {
            program: command.get_program().to_string_lossy().into_owned(),
            source,
        })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(TestEnvError::CommandFailed {
            command: description,
            status: output.status,
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
            .trim()
            .to_owned(),
        })
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
