//! The services together, as most end-to-end tests want them.

use std::ffi::OsString;
use std::process::Command;

use crate::browser::Browser;
use crate::bus::SessionBus;
use crate::error::Result;
use crate::notifications::NotificationServer;
use crate::secrets::SecretService;

/// A private session bus with a Secret Service and a notification server on it, and a
/// stand-in browser.
#[derive(Debug)]
pub struct Environment {
    // Field order matters: services leave before the bus they are attached to.
    browser: Browser,
    notifications: NotificationServer,
    secrets: SecretService,
    bus: SessionBus,
}

impl Environment {
    /// Starts the bus, then gnome-keyring and the notification server on it.
    pub fn start() -> Result<Self> {
        let bus = SessionBus::start()?;
        let secrets = SecretService::start(&bus)?;
        let notifications = NotificationServer::start(&bus)?;
        let browser = Browser::start()?;
        Ok(Self {
            browser,
            notifications,
            secrets,
            bus,
        })
    }

    pub fn bus(&self) -> &SessionBus {
        &self.bus
    }

    pub fn secrets(&self) -> &SecretService {
        &self.secrets
    }

    pub fn notifications(&self) -> &NotificationServer {
        &self.notifications
    }

    pub fn browser(&self) -> &Browser {
        &self.browser
    }

    /// The variables a child process (the app, the CLI) needs to use these services.
    pub fn env_vars(&self) -> Vec<(OsString, OsString)> {
        let mut vars = self.secrets.env_vars();
        vars.extend(self.browser.env_vars());
        vars
    }

    /// Applies [`env_vars`](Self::env_vars) to `command`.
    pub fn apply_to(&self, command: &mut Command) {
        self.secrets.apply_to(command);
        command.envs(self.browser.env_vars());
    }
}
