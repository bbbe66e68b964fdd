//! Remembered accounts in the OS keychain.
//!
//! OktaDesk remembers who you are, not your secrets: per account the org URL and username,
//! a label and non-secret preferences ([`Account`]), in the macOS Keychain, the Windows
//! Credential Manager or the Secret Service on Linux ([`KeychainStore`]). [`MemoryStore`]
//! has the same behaviour in memory, for platforms whose keychain cannot run in tests and
//! for tests of callers.
//!
//! All store calls block (D-Bus round trips, OS unlock prompts): run them on a blocking
//! thread, e.g. `tokio::task::spawn_blocking`, never on the UI thread or an async worker.
//!
//! When the keychain is missing, locked or holds an unreadable item, calls return a typed
//! [`AccountsError`] whose message says what happened and that sign-in still works;
//! unreadable items are reported and left in place.

mod account;
mod error;
mod keychain;
mod memory;
mod native;
mod service_name;
mod store;

pub use account::{Account, AccountId, MAX_LABEL_CHARS};
pub use error::{AccountsError, CorruptedEntry, Result};
pub use keychain::KeychainStore;
pub use memory::{MemoryStore, SimulatedFailure};
pub use service_name::{LEGACY_SERVICE, SERVICE};
pub use store::{AccountList, AccountStore};
