//! gnome-keyring as the Secret Service, with a throwaway home so no user keyring is touched.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

use crate::bus::{SessionBus, wait_for_bus_name};
use crate::dirs::PrivateDirs;
use crate::error::{Result, TestEnvError};
use crate::process::{self, ManagedChild};
use crate::programs::{self, GDBUS, GNOME_KEYRING_DAEMON, SECRET_TOOL};

/// The login keyring's password. Not a secret: the keyring is temporary and holds test data.
const LOGIN_PASSWORD: &str = "oktadesk-test-keyring";

/// A running gnome-keyring-daemon that owns `org.freedesktop.secrets` on a private bus, with
/// its default ("login") collection created and unlocked.
#[derive(Debug)]
pub struct SecretService {
    // Field order matters: the daemon is stopped before its home is removed.
    daemon: ManagedChild,
    bus_address: String,
    dirs: PrivateDirs,
}

/// One item as `secret-tool search --all` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredSecretItem {
    pub label: String,
    /// The stored secret as text (what the keychain holds; for OktaDesk, non-secret JSON).
    pub secret: String,
    pub attributes: BTreeMap<String, String>,
}

impl SecretService {
    /// Starts gnome-keyring on `bus` and returns once the Secret Service answers and its
    /// default collection is unlocked.
    pub fn start(bus: &SessionBus) -> Result<Self> {
        let daemon_path = programs::require(GNOME_KEYRING_DAEMON)?;
        programs::require(GDBUS)?;
        let dirs = PrivateDirs::create_in(bus.dir(), "oktadesk-keyring-")?;
        let log = dirs.root().join("gnome-keyring-daemon.log");

        let mut command = Command::new(daemon_path);
        command
            .args(["--foreground", "--components=secrets", "--unlock"])
            // A clean environment keeps the user's session (GNOME_KEYRING_CONTROL, a real
            // DBUS_SESSION_BUS_ADDRESS, DISPLAY) from leaking in.
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", dirs.home())
            .env("XDG_DATA_HOME", dirs.data_home())
            .env("XDG_CONFIG_HOME", dirs.config_home())
            .env("XDG_RUNTIME_DIR", dirs.runtime_dir())
            .env("DBUS_SESSION_BUS_ADDRESS", bus.address())
            .stdin(Stdio::piped());
        let mut daemon = ManagedChild::spawn(GNOME_KEYRING_DAEMON.name, &mut command, &log)?;

        // --unlock reads the login password from stdin until EOF; with an empty data home it
        // creates the login keyring with that password, unlocked, as the default collection.
        {
            let mut stdin = daemon.child_mut().stdin.take().expect("stdin was piped");
            stdin.write_all(LOGIN_PASSWORD.as_bytes())?;
        }

        wait_for_bus_name(bus.address(), "org.freedesktop.secrets", &mut daemon)?;

        let service = Self {
            daemon,
            bus_address: bus.address().to_owned(),
            dirs,
        };
        service.ensure_default_collection_unlocked()?;
        Ok(service)
    }

    /// The bus this Secret Service is on.
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }

    /// The variables a child process needs to use this Secret Service, and nothing of the
    /// user's: the bus address and the temporary home and XDG directories.
    pub fn env_vars(&self) -> Vec<(OsString, OsString)> {
        vec![
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                self.bus_address.clone().into(),
            ),
            ("HOME".into(), self.dirs.home().into()),
            ("XDG_DATA_HOME".into(), self.dirs.data_home().into()),
            ("XDG_CONFIG_HOME".into(), self.dirs.config_home().into()),
            ("XDG_RUNTIME_DIR".into(), self.dirs.runtime_dir().into()),
        ]
    }

    /// Applies [`env_vars`](Self::env_vars) to `command` and removes variables that would
    /// point it at the user's own keyring.
    pub fn apply_to(&self, command: &mut Command) {
        command.envs(self.env_vars());
        command.env_remove("GNOME_KEYRING_CONTROL");
    }

    /// Runs `secret-tool ARGS` against this Secret Service and returns its output
    /// (stdout and stderr interleaved, as a terminal would show them).
    pub fn secret_tool(&self, args: &[&str]) -> Result<String> {
        let secret_tool = programs::require(SECRET_TOOL)?;
        // secret-tool prints an item's attributes on stderr and the rest on stdout; one
        // shared pipe keeps each item's lines together.
        let (mut reader, writer) = std::io::pipe()?;
        let mut command = Command::new(secret_tool);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(writer.try_clone()?)
            .stderr(writer);
        self.apply_to(&mut command);
        let mut child = command.spawn().map_err(|source| TestEnvError::Spawn {
            program: SECRET_TOOL.name.to_owned(),
            source,
        })?;
        // The command owns the write ends; drop it so the pipe closes when the child exits.
        drop(command);
        let mut output = String::new();
        reader.read_to_string(&mut output)?;
        let status = child.wait()?;
        if status.success() {
            Ok(output)
        } else {
            Err(TestEnvError::CommandFailed {
                command: format!("secret-tool {}", args.join(" ")),
                status,
                output,
            })
        }
    }

    /// Stores `secret` with `attributes` in the login collection through `secret-tool
    /// store`, as another application would: how tests plant items, including bad ones.
    pub fn store_item(&self, label: &str, attributes: &[(&str, &str)], secret: &str) -> Result<()> {
        let secret_tool = programs::require(SECRET_TOOL)?;
        let mut command = Command::new(secret_tool);
        command.arg("store").arg(format!("--label={label}"));
        for (name, value) in attributes {
            command.args([name, value]);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        self.apply_to(&mut command);
        let mut child = command.spawn().map_err(|source| TestEnvError::Spawn {
            program: SECRET_TOOL.name.to_owned(),
            source,
        })?;
        // secret-tool reads the secret until EOF; dropping stdin sends it.
        child
            .stdin
            .take()
            .expect("stdin was piped")
            .write_all(secret.as_bytes())?;
        let output = child.wait_with_output()?;
        if output.status.success() {
            Ok(())
        } else {
            Err(TestEnvError::CommandFailed {
                command: format!("secret-tool store --label={label} ..."),
                status: output.status,
                output: String::from_utf8_lossy(&output.stderr).into_owned(),
            })
        }
    }

    /// All items whose attributes include every `(name, value)` pair, in any collection.
    pub fn search_items(&self, attributes: &[(&str, &str)]) -> Result<Vec<StoredSecretItem>> {
        let mut args = vec!["search", "--all", "--unlock"];
        for (name, value) in attributes {
            args.push(name);
            args.push(value);
        }
        Ok(parse_search_output(&self.secret_tool(&args)?))
    }

    /// Locks the login collection, as a screen lock or a user would.
    pub fn lock_login_collection(&self) -> Result<()> {
        // Through D-Bus rather than `secret-tool lock`, which crashes in libsecret 0.20.
        let reply = self.gdbus_call(
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            &["['/org/freedesktop/secrets/collection/login']"],
        )?;
        if reply.contains("collection/login") {
            Ok(())
        } else {
            Err(TestEnvError::UnexpectedOutput {
                program: "org.freedesktop.Secret.Service.Lock".to_owned(),
                detail: format!("the login collection was not locked: {reply}"),
            })
        }
    }

    /// Whether the daemon is still running.
    pub fn is_running(&mut self) -> bool {
        self.daemon.ensure_running().is_ok()
    }

    fn ensure_default_collection_unlocked(&self) -> Result<()> {
        let alias = self.gdbus_call(
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.ReadAlias",
            &["default"],
        )?;
        // gdbus prints `(objectpath '/org/freedesktop/secrets/collection/login',)`, or the
        // root path "/" when there is no default collection.
        let collection = alias
            .split('\'')
            .nth(1)
            .filter(|path| *path != "/")
            .ok_or_else(|| TestEnvError::NotReady {
                what: "gnome-keyring's default (login) collection".to_owned(),
                waited: std::time::Duration::ZERO,
                log: format!(
                    "ReadAlias(\"default\") returned {alias}\n{}",
                    self.daemon.log_tail()
                ),
            })?
            .to_owned();
        let locked = self.gdbus_call(
            &collection,
            "org.freedesktop.DBus.Properties.Get",
            &["org.freedesktop.Secret.Collection", "Locked"],
        )?;
        if locked.contains("false") {
            Ok(())
        } else {
            Err(TestEnvError::NotReady {
                what: format!("unlocking {collection}"),
                waited: std::time::Duration::ZERO,
                log: format!("Locked is {locked}\n{}", self.daemon.log_tail()),
            })
        }
    }

    fn gdbus_call(&self, object: &str, method: &str, args: &[&str]) -> Result<String> {
        let mut command = Command::new(programs::require(GDBUS)?);
        command
            .args(["call", "--session", "--dest", "org.freedesktop.secrets"])
            .args(["--object-path", object, "--method", method])
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
        let output = process::run_checked(&mut command)?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }
}

/// Parses `secret-tool search --all` output: one `[path]` header per item followed by
/// `key = value` lines, attributes prefixed with `attribute.`.
fn parse_search_output(output: &str) -> Vec<StoredSecretItem> {
    let mut items = Vec::new();
    let mut current: Option<StoredSecretItem> = None;
    for line in output.lines() {
        if line.starts_with('[') && line.ends_with(']') {
            items.extend(current.take());
            current = Some(StoredSecretItem {
                label: String::new(),
                secret: String::new(),
                attributes: BTreeMap::new(),
            });
            continue;
        }
        let (Some(item), Some((key, value))) = (current.as_mut(), line.split_once(" = ")) else {
            continue;
        };
        match key {
            "label" => item.label = value.to_owned(),
            "secret" => item.secret = value.to_owned(),
            _ => {
                if let Some(name) = key.strip_prefix("attribute.") {
                    item.attributes.insert(name.to_owned(), value.to_owned());
                }
            }
        }
    }
    items.extend(current);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_interleaved_search_output() {
        let output = "[/2]\nlabel = y label\nsecret = {\"b\":2}\ncreated = 2026-11-28 09:41:29\n\
                      schema = org.freedesktop.Secret.Generic\nattribute.service = OktaDesk\n\
                      attribute.username = bar\n[/1]\nlabel = x\nsecret = s = t\n\
                      attribute.service = OktaDesk\n";
        let items = parse_search_output(output);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label, "y label");
        assert_eq!(items[0].secret, "{\"b\":2}");
        assert_eq!(items[0].attributes["username"], "bar");
        assert_eq!(items[1].secret, "s = t");
        assert_eq!(items[1].attributes.len(), 1);
    }

    #[test]
    fn no_items_is_empty() {
        assert!(parse_search_output("").is_empty());
    }
}
