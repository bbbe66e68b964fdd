//! The `/api/v1/authn` steps, one family per file. Each adds its steps as methods of
//! [`Org`](crate::state::Org) and runs them through the runner, which finds the live
//! transaction, applies what time and the phone did, and renders the answer.

pub(crate) mod enrollment;
mod navigation;
pub(crate) mod password;
pub(crate) mod primary_auth;
pub(crate) mod recovery;
mod runner;
pub(crate) mod verification;

#[cfg(test)]
mod tests;
