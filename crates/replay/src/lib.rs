//! Okta's recorded answers, replayed.
//!
//! Every other test of OktaDesk runs against the demo org, which we wrote. This crate holds
//! what Okta itself sends: a corpus of fixtures ([`corpus`]), each written to the shape of a
//! response Okta recorded in its public suites (the recording is named in the fixture), and a
//! scripted loopback server ([`Okta`]) that answers a client with a sequence of them and keeps
//! every request it was sent. A test then says "for this sequence Okta would see these
//! requests, and the person sees this". [`shape`] compares two answers' keys and types, so the
//! demo org cannot drift away from the corpus unnoticed.

pub mod corpus;
mod script;
mod server;
pub mod shape;

pub use corpus::Fixture;
pub use script::{Answer, Script};
pub use server::{Okta, Request};
