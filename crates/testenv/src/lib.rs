//! Real desktop services for tests, isolated from the user session.
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
//! let items = env.secrets().search_items(&[("service", "OktaDesk")])?;
//! let shown = env.notifications().notifications()?;
//! # Ok(()) }
//! ```
//!
//! Needs, on Debian: dbus-daemon, gnome-keyring, libsecret-tools, libglib2.0-bin (gdbus)
//! and python3-dbusmock. A missing program is reported with the package to install.

mod browser;
mod bus;
mod environment;
mod error;
mod leaks;
mod notifications;
mod process;
mod programs;
mod secrets;

pub use browser::Browser;
pub use bus::SessionBus;
pub use environment::Environment;
pub use error::{Result, TestEnvError};
pub use leaks::LeakScan;
pub use notifications::{NotificationServer, RecordedNotification};
pub use programs::{Program, SYSTEM_PYTHON, require, require_dbusmock, which};
pub use secrets::{SecretService, StoredSecretItem};
