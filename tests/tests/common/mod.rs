//! What the window tests share: a demo org per test, the app's arguments, and waiting on
//! the window through WebDriver.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use oktadesk_demo_org::{DemoOrg, DemoOrgConfig};
use oktadesk_e2e::{App, Desktop, screenshot};
use oktadesk_testenv::{NotificationServer, RecordedNotification};
use tokio::sync::Mutex;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// A hang guard for what the window shows next, not a speed expectation: a loaded 2-core
/// CI machine building in parallel can be very slow.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// One desktop at a time: each runs Xvfb, WebKit and the app, too much for 2 cores at once.
/// (tokio's mutex: the tests run on separate runtimes and hold it across awaits.)
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub async fn demo_org(
    config: DemoOrgConfig,
) -> Result<DemoOrg, Box<dyn std::error::Error + Send + Sync>> {
    Ok(DemoOrg::start(config).await?)
}

pub fn org_url(org: &DemoOrg) -> String {
    org.base_url().as_str().trim_end_matches('/').to_owned()
}

pub fn app_args(org: &str) -> Vec<String> {
    vec![
        "--demo-org-url".into(),
        org.into(),
        "--notify-always".into(),
    ]
}

/// Opens the app on the demo org at `org` with [`app_args`].
pub async fn launch_on(
    desktop: &Desktop,
    org: &str,
) -> Result<App, Box<dyn std::error::Error + Send + Sync>> {
    let args = app_args(org);
    Ok(desktop
        .launch(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await?)
}

/// The window, through WebDriver.
pub struct Window<'a>(pub &'a Client);

impl Window<'_> {
    pub async fn find(&self, css: &str) -> Result<Element, fantoccini::error::CmdError> {
        self.0
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
    }

    /// Waits until `css` exists, is shown and its text contains `expected`; returns the text.
    pub async fn wait_text(
        &self,
        css: &str,
        expected: &str,
    ) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let started = Instant::now();
        let mut last = String::new();
        loop {
            if let Ok(element) = self.0.find(Locator::Css(css)).await
                && element.is_displayed().await.unwrap_or(false)
            {
                last = element.text().await.unwrap_or_default();
                if last.contains(expected) {
                    return Ok(last);
                }
            }
            if started.elapsed() > PATIENCE {
                self.failure_screenshot(css).await;
                return Err(format!("{css} never said {expected:?}; last text: {last:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `css` is shown (not just present: screens hide what does not apply).
    pub async fn wait_shown(
        &self,
        css: &str,
    ) -> Result<Element, Box<dyn std::error::Error + Send + Sync>> {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.0.find(Locator::Css(css)).await
                && element.is_displayed().await.unwrap_or(false)
            {
                return Ok(element);
            }
            if started.elapsed() > PATIENCE {
                self.failure_screenshot(css).await;
                return Err(format!("{css} was never shown").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the window showed when a wait gave up, to read beside the error.
    pub async fn failure_screenshot(&self, waited_for: &str) {
        let name: String = waited_for
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        if let Ok(png) = screenshot::capture(self.0).await
            && let Ok(path) = screenshot::save(&format!("failure-{name}"), &png)
        {
            eprintln!("the window at the failure: {}", path.display());
        }
    }

    /// The current screen's title, read in one step: finding the heading and then asking for
    /// its text would race a screen that replaces it in between (a stale element).
    pub async fn title(&self) -> Result<String, fantoccini::error::CmdError> {
        let title = self
            .0
            .execute(
                "return document.querySelector('h1.screen-title')?.innerText ?? '';",
                vec![],
            )
            .await?;
        Ok(title.as_str().unwrap_or_default().trim().to_owned())
    }

    pub async fn type_into(
        &self,
        css: &str,
        text: &str,
    ) -> Result<(), fantoccini::error::CmdError> {
        self.find(css).await?.send_keys(text).await
    }

    pub async fn click(&self, css: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.wait_shown(css).await?.click().await?;
        Ok(())
    }

    pub async fn value(&self, css: &str) -> Result<String, fantoccini::error::CmdError> {
        Ok(self
            .find(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    pub async fn screenshot(&self, name: &str) -> TestResult {
        let png = screenshot::capture(self.0).await?;
        let path = screenshot::save(name, &png)?;
        let stats = screenshot::stats(&png)?;
        stats
            .check_not_blank()
            .map_err(|reason| format!("{} looks blank: {reason}", path.display()))?;
        Ok(())
    }

    /// From the first screen (no remembered accounts) to the password step.
    pub async fn add_account(&self, username: &str) -> TestResult {
        self.wait_text("h1.screen-title", "Add account").await?;
        self.find("#username").await?.clear().await?;
        self.type_into("#username", username).await?;
        self.click("#add-account-continue").await?;
        self.wait_text("h1.screen-title", "Enter your password")
            .await?;
        Ok(())
    }

    /// Types `text` into whatever has focus, as a person would: unlike typing into an
    /// element, nothing is focused (or blurred) first. `\u{E007}` is Enter.
    pub async fn press_keys(&self, text: &str) -> TestResult {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut keys = KeyActions::new("keyboard".into());
        for value in text.chars() {
            keys = keys
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.0.perform_actions(keys).await?;
        Ok(())
    }

    pub async fn enter_password(&self, password: &str) -> TestResult {
        let field = self.find("#password").await?;
        field.clear().await?;
        field.send_keys(password).await?;
        self.click("#sign-in").await?;
        Ok(())
    }
}

pub async fn wait_for_notification(
    server: &NotificationServer,
    summary: &str,
) -> Result<RecordedNotification, Box<dyn std::error::Error + Send + Sync>> {
    let wanted = summary.to_owned();
    Ok(server.wait_for(PATIENCE, move |note| note.summary == wanted)?)
}
