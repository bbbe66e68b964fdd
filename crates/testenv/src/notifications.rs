//! A recording desktop notification server (python3-dbusmock's `notification_daemon`).

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::bus::{SessionBus, wait_for_bus_name};
use crate::error::{Result, TestEnvError};
use crate::process::{self, ManagedChild};
use crate::programs;

const BUS_NAME: &str = "org.freedesktop.Notifications";
const OBJECT_PATH: &str = "/org/freedesktop/Notifications";

/// Reads the mock's recorded calls as JSON. python3-dbus (a dependency of python3-dbusmock)
/// decodes the D-Bus values, and its types subclass Python's, so `json` can print them;
/// this avoids parsing GVariant text.
const GET_CALLS: &str = r#"
import dbus, json, sys
bus = dbus.SessionBus()
mock = bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
calls = mock.GetCalls(dbus_interface="org.freedesktop.DBus.Mock")
json.dump(calls, sys.stdout)
"#;

/// A notification that an application sent, as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedNotification {
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    pub expire_timeout: i32,
}

/// `org.freedesktop.Notifications` on a private bus, remembering every notification.
#[derive(Debug)]
pub struct NotificationServer {
    // Field order matters: the server is stopped before its log directory is removed.
    server: ManagedChild,
    bus_address: String,
    _dir: TempDir,
}

impl NotificationServer {
    /// Starts the server on `bus` and returns once it owns `org.freedesktop.Notifications`.
    pub fn start(bus: &SessionBus) -> Result<Self> {
        let python = programs::require_dbusmock()?;
        let dir = tempfile::Builder::new()
            .prefix("oktadesk-notifications-")
            .tempdir_in(bus.dir())?;
        let log = dir.path().join("dbusmock.log");
        let mut command = Command::new(python);
        command
            .args(["-m", "dbusmock", "--template", "notification_daemon"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", dir.path())
            .env("DBUS_SESSION_BUS_ADDRESS", bus.address());
        let mut server = ManagedChild::spawn("python3 -m dbusmock", &mut command, &log)?;
        wait_for_bus_name(bus.address(), BUS_NAME, &mut server)?;
        Ok(Self {
            server,
            bus_address: bus.address().to_owned(),
            _dir: dir,
        })
    }

    /// Every notification received so far, oldest first.
    pub fn notifications(&self) -> Result<Vec<RecordedNotification>> {
        let mut command = Command::new(programs::SYSTEM_PYTHON);
        command
            .args(["-c", GET_CALLS])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
        let output = process::run_checked(&mut command)?;
        parse_calls(&output.stdout)
    }

    /// Waits until a notification matching `predicate` has arrived and returns it.
    ///
    /// Notifications are sent asynchronously by the code under test, so tests wait for the
    /// one they expect rather than reading once. `timeout` is a safety net against a hung
    /// test, not a speed requirement: pick something generous.
    pub fn wait_for(
        &self,
        timeout: Duration,
        mut predicate: impl FnMut(&RecordedNotification) -> bool,
    ) -> Result<RecordedNotification> {
        let started = Instant::now();
        loop {
            let received = self.notifications()?;
            if let Some(found) = received.iter().find(|n| predicate(n)) {
                return Ok(found.clone());
            }
            if started.elapsed() > timeout {
                return Err(TestEnvError::NotReady {
                    what: "the expected desktop notification".to_owned(),
                    waited: started.elapsed(),
                    log: format!("received so far: {received:#?}"),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Forgets the notifications received so far.
    pub fn clear(&self) -> Result<()> {
        let mut command = Command::new(programs::SYSTEM_PYTHON);
        command
            .args([
                "-c",
                "import dbus; dbus.SessionBus().get_object(\
                 'org.freedesktop.Notifications', '/org/freedesktop/Notifications')\
                 .ClearCalls(dbus_interface='org.freedesktop.DBus.Mock')",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
        process::run_checked(&mut command)?;
        Ok(())
    }

    /// The D-Bus name and object the server answers on.
    pub fn destination(&self) -> (&'static str, &'static str) {
        (BUS_NAME, OBJECT_PATH)
    }

    /// Whether the server is still running.
    pub fn is_running(&mut self) -> bool {
        self.server.ensure_running().is_ok()
    }
}

/// Decodes `GetCalls` output: `[[timestamp, method, [args...]], ...]`, keeping `Notify`.
fn parse_calls(json: &[u8]) -> Result<Vec<RecordedNotification>> {
    let bad = |detail: String| TestEnvError::UnexpectedOutput {
        program: "org.freedesktop.DBus.Mock.GetCalls".to_owned(),
        detail,
    };
    let calls: Vec<(Value, String, Vec<Value>)> =
        serde_json::from_slice(json).map_err(|error| bad(error.to_string()))?;
    calls
        .into_iter()
        .filter(|(_, method, _)| method == "Notify")
        .map(|(_, _, args)| {
            let text = |index: usize| args.get(index).and_then(Value::as_str).map(str::to_owned);
            let number = |index: usize| args.get(index).and_then(Value::as_i64);
            let notification = RecordedNotification {
                app_name: text(0).ok_or_else(|| bad(format!("no app_name in {args:?}")))?,
                replaces_id: number(1).and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
                app_icon: text(2).unwrap_or_default(),
                summary: text(3).ok_or_else(|| bad(format!("no summary in {args:?}")))?,
                body: text(4).unwrap_or_default(),
                actions: args
                    .get(5)
                    .and_then(Value::as_array)
                    .map(|actions| {
                        actions
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                expire_timeout: number(7).and_then(|n| i32::try_from(n).ok()).unwrap_or(-1),
            };
            Ok(notification)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_notify_calls() {
        let json = br#"[[1795858886, "GetServerInformation", []],
            [1795858887, "Notify", ["OktaDesk", 0, "", "Push sent", "Tap 42", ["default", "Open"], {"urgency": 1}, 5000]]]"#;
        let notifications = parse_calls(json).unwrap();
        assert_eq!(notifications.len(), 1);
        let n = &notifications[0];
        assert_eq!(n.app_name, "OktaDesk");
        assert_eq!(n.summary, "Push sent");
        assert_eq!(n.body, "Tap 42");
        assert_eq!(n.actions, ["default", "Open"]);
        assert_eq!(n.expire_timeout, 5000);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_calls(b"not json").is_err());
    }
}
