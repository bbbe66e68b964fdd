//! A private D-Bus session bus.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use tempfile::TempDir;

use crate::error::{Result, TestEnvError};
use crate::process::{ManagedChild, READY_TIMEOUT};
use crate::programs::{self, DBUS_DAEMON};

/// A `dbus-daemon` of its own, with no service activation: nothing from the host's
/// `/usr/share/dbus-1/services` can be started on it behind the test's back, so a test sees
/// exactly the services it started.
#[derive(Debug)]
pub struct SessionBus {
    // Field order matters: the daemon is stopped before its socket directory is removed.
    daemon: ManagedChild,
    address: String,
    dir: TempDir,
}

impl SessionBus {
    /// Starts the bus and returns once it accepts connections.
    pub fn start() -> Result<Self> {
        let dbus_daemon = programs::require(DBUS_DAEMON)?;
        let dir = tempfile::Builder::new().prefix("oktadesk-bus-").tempdir()?;
        let config = dir.path().join("session.conf");
        fs::write(&config, bus_config(dir.path().to_string_lossy().as_ref()))?;
        let log = dir.path().join("dbus-daemon.log");

        let mut command = Command::new(dbus_daemon);
        command
            .arg(config_arg(&config))
            .args(["--nofork", "--nopidfile", "--nosyslog", "--print-address=1"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(&log)?);
        let mut child = command.spawn().map_err(|source| TestEnvError::Spawn {
            program: DBUS_DAEMON.name.to_owned(),
            source,
        })?;
        let stdout = child.stdout.take().expect("stdout was piped");
        let mut daemon = ManagedChild::adopt(DBUS_DAEMON.name, child, &log);

        // The daemon prints its address only once it listens, which makes the printed line
        // the readiness signal. A thread keeps a hung daemon from hanging the test forever.
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
            let _ = sender.send(read);
        });
        let address = match receiver.recv_timeout(READY_TIMEOUT) {
            Ok(Ok(line)) if !line.trim().is_empty() => line.trim().to_owned(),
            Ok(Ok(_)) | Ok(Err(_)) => {
                // The pipe closed without an address: the daemon died; say why.
                let _ = daemon.child_mut().wait();
                daemon.ensure_running()?;
                return Err(TestEnvError::UnexpectedOutput {
                    program: DBUS_DAEMON.name.to_owned(),
                    detail: format!("no bus address printed; log:\n{}", daemon.log_tail()),
                });
            }
            Err(_) => {
                return Err(TestEnvError::NotReady {
                    what: "the private D-Bus session bus".to_owned(),
                    waited: READY_TIMEOUT,
                    log: daemon.log_tail(),
                });
            }
        };
        Ok(Self {
            daemon,
            address,
            dir,
        })
    }

    /// The bus address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The variables a child process needs to use this bus as its session bus.
    pub fn envs(&self) -> Vec<(OsString, OsString)> {
        vec![(
            "DBUS_SESSION_BUS_ADDRESS".into(),
            self.address.clone().into(),
        )]
    }

    /// Whether the daemon is still running (it should be until this value is dropped).
    pub fn is_running(&mut self) -> bool {
        self.daemon.ensure_running().is_ok()
    }

    /// A directory that lives as long as the bus, for logs of services attached to it.
    pub(crate) fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

fn config_arg(config: &std::path::Path) -> OsString {
    let mut arg = OsString::from("--config-file=");
    arg.push(config);
    arg
}

/// A session bus that lets every peer own and call anything, like a desktop session bus,
/// but without `<servicedir>` or `<standard_session_servicedirs/>` so nothing auto-starts.
fn bus_config(socket_dir: &str) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#
    )
}
