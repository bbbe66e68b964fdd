//! Real desktop services for tests and benchmarks, isolated from the user session.
//!
//! Each service is a real program (`dbus-daemon`, `gnome-keyring-daemon`, python3-dbusmock's
//! notification daemon) started on a private D-Bus session bus with throwaway directories, so
//! tests exercise the same code paths as a desktop without touching the developer's keyring
//! or notifications. Services are stopped (killed and reaped) when their value is dropped,
//! including when a test panics, and start-up waits for each service to own its bus name
//! instead of sleeping.
//!
//! ```no_run
//! # fn main() -> Result<(), oktadesk_testenv::TestEnvError> {
//! let env = oktadesk_testenv::Environment::start()?;
//! let mut app = std::process::Command::new("oktadesk-cli");
//! env.apply_to(&mut app);
//! // ... run it, then check what it stored and notified:
//! let items = env.secrets().search_items(&[("service", "dev.oktadesk.desktop")])?;
//! let shown = env.notifications().notifications()?;
//! # Ok(()) }
//! ```
//!
//! The same parts make the display and processes of the end-to-end harness (`tests/`):
//! [`Xvfb`], [`ManagedChild`] for what it starts; and the desktop `cargo xtask bench` measures
//! the app in: [`DesktopSession`], with [`procfs`] for memory and load.
//!
//! Needs, on Debian: dbus-daemon, gnome-keyring, libsecret-tools, libglib2.0-bin (gdbus),
//! python3-dbusmock and, for a display, xvfb. A missing program is reported with the package
//! to install.

mod browser;
mod bus;
mod desktop;
mod dirs;
mod environment;
mod error;
mod leaks;
mod lines;
mod notifications;
mod process;
pub mod procfs;
mod programs;
mod secrets;
mod xvfb;

pub use browser::Browser;
pub use bus::SessionBus;
pub use desktop::DesktopSession;
pub use dirs::PrivateDirs;
pub use environment::Environment;
pub use error::{Result, TestEnvError};
pub use leaks::{LeakScan, without_device_cookies};
pub use lines::{NextLine, OutputLines};
pub use notifications::{NotificationServer, RecordedNotification};
pub use process::{ManagedChild, READY_TIMEOUT};
pub use programs::{Program, SYSTEM_PYTHON, require, require_dbusmock, which};
pub use secrets::{SecretService, StoredSecretItem};
pub use xvfb::{HEADLESS_WEBKIT_ENV, Xvfb};
