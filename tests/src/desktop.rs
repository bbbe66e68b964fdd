//! One private desktop: X display, session bus with keyring and notifications, WebDriver.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use oktadesk_testenv::{Environment, HEADLESS_WEBKIT_ENV, Xvfb};
use serde_json::json;

use crate::app::App;
use crate::driver::TauriDriver;
use crate::error::{HarnessError, Result};
use crate::paths;

#[derive(Debug)]
pub struct Desktop {
    // Dropped in this order: the driver (and the apps under it) before the services they use.
    driver: TauriDriver,
    services: Environment,
    xvfb: Xvfb,
    env: Vec<(OsString, OsString)>,
}

impl Desktop {
    pub fn start() -> Result<Self> {
        let xvfb = Xvfb::start()?;
        let services = Environment::start()?;
        let mut env: Vec<(OsString, OsString)> = vec![
            ("DISPLAY".into(), xvfb.display().into()),
            // The window must go to Xvfb even when the tests run inside a Wayland session.
            ("GDK_BACKEND".into(), "x11".into()),
            // Xvfb has no GPU: no DMA-BUF either, so screenshots have content.
            ("WEBKIT_DISABLE_DMABUF_RENDERER".into(), "1".into()),
        ];
        env.extend(
            HEADLESS_WEBKIT_ENV
                .iter()
                .map(|(name, value)| (name.into(), value.into())),
        );
        env.extend(services.env_vars());
        let driver = TauriDriver::start(&env)?;
        Ok(Self {
            driver,
            services,
            xvfb,
            env,
        })
    }

    /// Opens the app with `args` and a WebDriver session on its window.
    pub async fn launch(&self, args: &[&str]) -> Result<App> {
        self.launch_program(&paths::app_binary()?, args).await
    }

    /// Opens `application` (the app, or a wrapper that starts it) with `args`.
    pub async fn launch_program(&self, application: &Path, args: &[&str]) -> Result<App> {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": application, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.driver.url())
            .await?;
        Ok(App::new(client))
    }

    /// The keyring, notification server and session bus the apps see.
    pub fn services(&self) -> &Environment {
        &self.services
    }

    pub fn display(&self) -> &str {
        self.xvfb.display()
    }

    /// Answers a native dialog the app raised (outside the webview, so out of WebDriver's
    /// reach) as a person at the keyboard would: finds the window titled `title`, gives it the
    /// keyboard and presses `keys` (xdotool's names, e.g. `alt+t` or `Escape`).
    pub fn answer_native_dialog(&self, title: &str, keys: &str, patience: Duration) -> Result<()> {
        let deadline = Instant::now() + patience;
        let window = loop {
            if let Some(id) = self.windows_titled(title)?.pop() {
                break id;
            }
            if Instant::now() > deadline {
                return Err(HarnessError::NotFound {
                    what: format!("a native dialog titled {title:?}"),
                    hint: format!("none appeared within {} s", patience.as_secs()),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        self.xdotool(&["windowfocus", "--sync", &window])?;
        self.xdotool(&["key", "--clearmodifiers", keys])?;
        Ok(())
    }

    /// The visible top-level windows whose title is exactly `title`, as X window ids.
    pub fn windows_titled(&self, title: &str) -> Result<Vec<String>> {
        let pattern = format!("^{}$", regex_escape(title));
        let found = self.xdotool(&["search", "--onlyvisible", "--name", &pattern])?;
        Ok(String::from_utf8_lossy(&found.stdout)
            .split_whitespace()
            .map(str::to_owned)
            .collect())
    }

    fn xdotool(&self, args: &[&str]) -> Result<std::process::Output> {
        Command::new("xdotool")
            .args(args)
            .env("DISPLAY", self.display())
            .output()
            .map_err(|source| HarnessError::Spawn {
                program: "xdotool".into(),
                hint: "install it (cargo xtask test does)",
                source,
            })
    }

    /// The environment the apps run with, for tests that start other programs (the CLI) in
    /// the same desktop.
    pub fn env_vars(&self) -> &[(OsString, OsString)] {
        &self.env
    }
}

/// `text` as a literal in xdotool's (POSIX extended) regular expressions.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
