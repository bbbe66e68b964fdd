//! A private D-Bus session bus.

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use tempfile::TempDir;

use crate::error::{Result, TestEnvError};
use crate::process::{ManagedChild, READY_TIMEOUT};
use crate::programs::{self, DBUS_DAEMON, GDBUS};

/// A `dbus-daemon` of its own, stopped on drop.
#[derive(Debug)]
pub struct SessionBus {
    // Field order matters: the daemon is stopped before its socket directory is removed.
    daemon: ManagedChild,
    address: String,
    dir: TempDir,
}

impl SessionBus {
    /// Starts a bus with no service activation and returns once it accepts connections:
    /// nothing from the host's `/usr/share/dbus-1/services` can be started on it behind the
    /// test's back, so a test sees exactly the services it started.
    pub fn start() -> Result<Self> {
        let dbus_daemon = programs::require(DBUS_DAEMON)?;
        let dir = tempfile::Builder::new().prefix("oktadesk-bus-").tempdir()?;
        let config = dir.path().join("session.conf");
        fs::write(&config, bus_config(dir.path().to_string_lossy().as_ref()))?;
        let mut command = Command::new(dbus_daemon);
        command
            .arg(config_arg(&config))
            .args(["--nofork", "--nopidfile", "--nosyslog", "--print-address=1"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        Self::listen(command, dir)
    }

    /// Starts a bus as a logged-in desktop has one: the host's session configuration, which
    /// starts the installed session services (gnome-keyring for `org.freedesktop.secrets`,
    /// dconf, the portals) the first time a program calls them. Those services run with this
    /// process's environment and `services_env` on top, so pointing `services_env` at private
    /// XDG directories keeps them off the user's own keyring and settings.
    ///
    /// For measuring a program as a desktop runs it; tests want [`start`](Self::start), on
    /// which only the services they start exist.
    pub fn start_with_activation(services_env: &[(OsString, OsString)]) -> Result<Self> {
        let dbus_daemon = programs::require(DBUS_DAEMON)?;
        let dir = tempfile::Builder::new().prefix("oktadesk-bus-").tempdir()?;
        let mut command = Command::new(dbus_daemon);
        command
            .args(["--session", "--nofork", "--print-address=1"])
            .envs(services_env.iter().map(|(name, value)| (name, value)));
        Self::listen(command, dir)
    }

    /// Runs the daemon `command` describes and waits for its address.
    fn listen(mut command: Command, dir: TempDir) -> Result<Self> {
        let log = dir.path().join("dbus-daemon.log");
        command.stdin(Stdio::null());
        let mut daemon =
            ManagedChild::spawn_reading_stdout(DBUS_DAEMON.name, &mut command, Some(&log))?;
        // The daemon prints its address only once it listens, which makes the printed line
        // the readiness signal.
        let address = daemon.first_line("its bus address")?;
        if address.is_empty() {
            return Err(TestEnvError::UnexpectedOutput {
                program: DBUS_DAEMON.name.to_owned(),
                detail: format!("an empty bus address; log:\n{}", daemon.log_tail()),
            });
        }
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
    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
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

fn config_arg(config: &Path) -> OsString {
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
