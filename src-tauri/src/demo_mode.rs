//! Whether this run of the app has a demo org, and what the window may do because of it.
//!
//! Builds with the `demo` feature (`cargo xtask run`, the tests) connect to a demo org and
//! drive its virtual phone ([`crate::demo`]). Release builds have none of that: `--demo`
//! there only explains how to try the demo org beside the app, `--demo-org-url` is not an
//! option, and the window is never granted a demo command.

#[cfg(feature = "demo")]
use tauri::Manager;
use tauri::{App, Runtime};

#[cfg(feature = "demo")]
use crate::demo::{Demo, DemoPhone};
#[cfg(feature = "demo")]
use crate::error::{Error, Result};
use crate::launch::LaunchOptions;
use crate::models::DemoStatus;

/// What the window may call when a demo org is serving: the phone panel's commands. Granted
/// at start-up, never in `capabilities/`, so no release build carries it.
#[cfg(feature = "demo")]
pub const DEMO_CAPABILITY: &str = include_str!("../capabilities/optional/demo.json");

/// What `--demo` says in a build without the demo.
#[cfg(not(feature = "demo"))]
const NO_DEMO_HERE: &str = "This build of OktaDesk has no demo organization. To try one, run \
     `oktadesk-cli demo-org --auto-approve 2s` and add an account with the address it prints. \
     Or enter your own organization's address to continue.";

#[cfg(feature = "demo")]
type Inner = Demo;
/// A release build only remembers that `--demo` was asked for, to say it is not here.
#[cfg(not(feature = "demo"))]
type Inner = DemoStatus;

/// The demo org this run of the app was started with, if any: the part of the app's state
/// the first screen and the demo phone commands take.
#[derive(Debug, Default)]
pub struct DemoMode(Option<Inner>);

impl DemoMode {
    /// The demo org the command line asked for: one already running (`--demo-org-url`), the
    /// one inside this process (`--demo`), or none.
    pub fn from_launch(options: &LaunchOptions) -> Self {
        #[cfg(feature = "demo")]
        let demo = match (&options.demo_org_url, options.demo) {
            (Some(url), _) => Some(Demo::connect(url)),
            (None, true) => Some(Demo::start_embedded()),
            (None, false) => None,
        };
        #[cfg(not(feature = "demo"))]
        let demo = options.demo.then(|| DemoStatus::Unavailable {
            message: NO_DEMO_HERE.to_owned(),
        });
        Self(demo)
    }

    /// What the first screen says about the demo org; `None` without `--demo`.
    pub fn status(&self) -> Option<&DemoStatus> {
        #[cfg(feature = "demo")]
        return self.0.as_ref().map(Demo::status);
        #[cfg(not(feature = "demo"))]
        return self.0.as_ref();
    }

    /// The demo phone of the demo org at `org` (the first one when `None`), when a demo org
    /// is serving.
    #[cfg(feature = "demo")]
    pub fn phone(&self, org: Option<&str>) -> Result<DemoPhone> {
        self.0.as_ref().ok_or(Error::NotDemo)?.phone(org).cloned()
    }

    /// Lets the main window call the demo phone's commands, when a demo org is serving.
    pub fn grant_window<R: Runtime>(&self, app: &App<R>) -> tauri::Result<()> {
        #[cfg(feature = "demo")]
        if self.phone(None).is_ok() {
            app.add_capability(DEMO_CAPABILITY)?;
        }
        #[cfg(not(feature = "demo"))]
        let _ = app;
        Ok(())
    }
}

#[cfg(feature = "demo")]
impl From<Option<Demo>> for DemoMode {
    fn from(demo: Option<Demo>) -> Self {
        Self(demo)
    }
}

#[cfg(all(test, not(feature = "demo")))]
mod tests {
    use super::*;

    #[test]
    fn demo_in_a_release_build_says_how_to_try_the_demo_org() {
        let mode = DemoMode::from_launch(&LaunchOptions {
            demo: true,
            ..LaunchOptions::default()
        });
        let Some(DemoStatus::Unavailable { message }) = mode.status() else {
            panic!("{:?}", mode.status());
        };
        assert!(message.contains("oktadesk-cli demo-org"), "{message}");
        assert!(!message.contains("--demo-org-url"), "{message}");
        assert!(
            DemoMode::from_launch(&LaunchOptions::default())
                .status()
                .is_none()
        );
    }
}
