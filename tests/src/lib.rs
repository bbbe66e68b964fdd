//! End-to-end harness: the real OktaDesk window in a private, disposable desktop.
//!
//! [`Desktop::start`] brings up Xvfb, a private D-Bus session with gnome-keyring and a
//! recording notification server (all from `oktadesk-testenv`, which also runs the bench's
//! desktop), and tauri-driver over WebKitWebDriver. [`Desktop::launch`] opens the app binary in it and hands back a WebDriver
//! session. Everything started is stopped when its value drops, also when a test panics.
//!
//! ```no_run
//! # async fn demo() -> Result<(), oktadesk_e2e::HarnessError> {
//! let desktop = oktadesk_e2e::Desktop::start()?;
//! let app = desktop.launch(&["--demo"]).await?;
//! let heading = app.text("h1").await?;
//! app.screenshot("add-account").await?;
//! app.close().await?;
//! # Ok(()) }
//! ```
//!
//! The app binary comes from `OKTADESK_APP` (set by `cargo xtask test`) or the usual build
//! directory; tauri-driver from `OKTADESK_TAURI_DRIVER`, `~/.cargo/bin` or PATH.

pub mod accessibility;
mod app;
mod desktop;
mod driver;
mod error;
mod paths;
pub mod screenshot;

pub use app::App;
pub use desktop::Desktop;
pub use driver::TauriDriver;
pub use error::HarnessError;
pub use fantoccini::Locator;
pub use oktadesk_testenv::Xvfb;
pub use paths::{app_binary, screenshot_dir, workspace_root};
