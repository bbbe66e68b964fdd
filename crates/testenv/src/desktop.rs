//! A desktop session as a logged-in user has one, for measuring programs the way they run
//! there: a display, a session bus that starts the installed services on demand, and private
//! XDG directories so nothing of the user's own is read or written.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Command;

use crate::bus::SessionBus;
use crate::dirs::PrivateDirs;
use crate::error::Result;
use crate::xvfb::{HEADLESS_WEBKIT_ENV, Xvfb};

/// Xvfb, a D-Bus session with service activation (gnome-keyring starts on it the first time a
/// program asks for the Secret Service, as on a desktop) and temporary XDG directories.
/// Everything stops, and the directories go, on drop.
///
/// Tests want [`Environment`](crate::Environment) instead: its services are started up front
/// on a bus where nothing else can start, so a test sees exactly what it set up. This session
/// leaves the services to start the way a desktop starts them, so what a measurement sees is
/// what a user's program sees.
#[derive(Debug)]
pub struct DesktopSession {
    // Field order matters: the bus (and the services it started) stops first, then the
    // display, and the directories they used go last.
    bus: SessionBus,
    display: Xvfb,
    env: Vec<(OsString, OsString)>,
    dirs: PrivateDirs,
}

impl DesktopSession {
    /// Starts the session with its directories below `parent`.
    pub fn start_in(parent: &Path) -> Result<Self> {
        let dirs = PrivateDirs::create_in(parent, "oktadesk-session-")?;
        let display = Xvfb::start()?;
        let mut env = dirs.xdg_env_vars();
        env.push(("DISPLAY".into(), display.display().into()));
        // The services the bus starts get the display and the private directories too.
        let bus = SessionBus::start_with_activation(&env)?;
        env.extend(bus.envs());
        env.extend(
            HEADLESS_WEBKIT_ENV
                .iter()
                .map(|(name, value)| (name.into(), value.into())),
        );
        Ok(Self {
            bus,
            display,
            env,
            dirs,
        })
    }

    /// What a program needs to run in this session: the XDG directories, `DISPLAY`,
    /// `DBUS_SESSION_BUS_ADDRESS` and [`HEADLESS_WEBKIT_ENV`]. `HOME` stays the caller's.
    pub fn env_vars(&self) -> &[(OsString, OsString)] {
        &self.env
    }

    /// A command for `program` with [`env_vars`](Self::env_vars) applied.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.envs(self.env.iter().map(|(name, value)| (name, value)));
        command
    }

    pub fn display(&self) -> &str {
        self.display.display()
    }

    pub fn bus(&self) -> &SessionBus {
        &self.bus
    }

    pub fn dirs(&self) -> &PrivateDirs {
        &self.dirs
    }
}
