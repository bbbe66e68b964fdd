//! The shared floor: what the org is and holds whichever engine a sign-in comes through.
//! Its settings and clock, the seeded users and their factors, the codes and messages it
//! sends, its security questions and password policy, Okta sessions, remembered devices,
//! pushes and self-service recovery tokens. Nothing here knows the Classic or IDX engines,
//! the routes or the server; they all build on it.

pub(crate) mod clock;
pub(crate) mod codes;
pub(crate) mod config;
pub(crate) mod factors;
pub(crate) mod ids;
pub(crate) mod idx_options;
pub(crate) mod inbox;
pub(crate) mod password_policy;
pub(crate) mod phone_number;
pub(crate) mod push;
pub(crate) mod qr;
pub(crate) mod questions;
pub(crate) mod recovery;
pub(crate) mod remembered_devices;
pub(crate) mod seed;
pub(crate) mod sent_code;
pub(crate) mod sessions;
pub(crate) mod totp;
pub(crate) mod users;
