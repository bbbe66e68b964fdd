//! How an account becomes a sign-in, for the window and the CLI alike, with nothing of Tauri
//! or the terminal in it.
//!
//! A face reads what the person typed ([`read_account`], [`read_oidc_client`]), finds the
//! remembered account of the same id if it wants to, and makes one [`SignInSetup`] of the two
//! ([`SignInSetup::new`], the merge rules). The setup decides the engine and the OIDC client
//! once ([`Protocol`], [`SignInSetup::sign_in_request`]), and says what a sign-in that worked
//! leaves behind ([`SignInSetup::signed_in`]: the device cookie kept, the account remembered
//! when asked). After a failure, [`engine_recheck`] says whether the org may have moved to
//! another engine and what to tell the person when it has.
//!
//! Files: `typed` (reading what was typed), `engine` (which API a sign-in goes through, and
//! the re-check after a failure), `setup` (the merge and what follows success), `error`.

mod engine;
mod error;
mod setup;
mod typed;

pub use engine::{EngineChange, Protocol, engine_recheck, may_mean_another_engine};
pub use error::SetupError;
pub use setup::{Choices, SignInSetup, SignedIn};
pub use typed::{read_account, read_oidc_client};
