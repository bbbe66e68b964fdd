//! Child processes the harness owns: each in its own process group, so stopping it also stops
//! whatever it started (tauri-driver starts WebKitWebDriver, which starts the app).

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::error::{HarnessError, Result};
use crate::paths;

/// A hang guard, not a speed expectation: start-up normally takes well under a second, but a
/// loaded 2-core CI machine building in parallel can be very slow.
pub const READY_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug)]
pub struct OwnedChild {
    name: String,
    child: Child,
    log: PathBuf,
}

impl OwnedChild {
    /// Starts `command` with its output in `target/e2e-logs/<log_name>.log`.
    pub fn spawn(
        name: &str,
        mut command: Command,
        log_name: &str,
        stdout: Option<Stdio>,
        hint: &'static str,
    ) -> Result<Self> {
        let log = paths::log_dir().join(format!("{log_name}.log"));
        let file = create_log(&log)?;
        let stderr = file.try_clone().map_err(|source| HarnessError::File {
            path: log.clone(),
            source,
        })?;
        command
            .stdin(Stdio::null())
            .stdout(stdout.unwrap_or_else(|| file.into()))
            .stderr(stderr)
            .process_group(0);
        let child = command.spawn().map_err(|source| HarnessError::Spawn {
            program: name.to_owned(),
            hint,
            source,
        })?;
        Ok(Self {
            name: name.to_owned(),
            child,
            log,
        })
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Fails if the process has already exited, naming its log.
    pub fn ensure_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(HarnessError::ExitedEarly {
                program: self.name.clone(),
                status: status.to_string(),
                log: self.log.clone(),
            }),
            Err(source) => Err(HarnessError::File {
                path: self.log.clone(),
                source,
            }),
        }
    }

    /// Waits until something accepts connections on `port`, or the process dies.
    pub fn wait_for_port(&mut self, port: u16) -> Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            self.ensure_running()?;
            if TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(HarnessError::NotReady {
                    what: format!("{} on port {port}", self.name),
                    seconds: READY_TIMEOUT.as_secs(),
                    log: self.log.clone(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for OwnedChild {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let group = Pid::from_raw(self.child.id() as i32);
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                // The leader is gone; make sure nothing it started outlives it.
                let _ = killpg(group, Signal::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

fn create_log(path: &Path) -> Result<File> {
    let dir = path.parent().expect("log paths have a directory");
    std::fs::create_dir_all(dir)
        .and_then(|()| File::create(path))
        .map_err(|source| HarnessError::File {
            path: path.to_owned(),
            source,
        })
}

/// A port nothing listens on right now, for programs that must be told their port.
pub fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|source| HarnessError::Spawn {
            program: "a loopback listener".into(),
            hint: "Check that the loopback interface is up.",
            source,
        })
}
