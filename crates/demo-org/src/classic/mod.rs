//! Okta's Classic Engine Authentication API, `/api/v1/authn`, and the `/api/v1` reads and
//! sessions around it: the transaction a sign-in is (`transaction`), the rules that move it
//! between statuses (`transitions`), the steps a client takes (`steps/`), the answers drawn
//! in Okta's shape (`present/`), and the HTTP routes (`routes/`). It answers on both engines,
//! as `/api/v1/authn` does on a real Identity Engine org.

pub(crate) mod present;
pub(crate) mod routes;
pub(crate) mod sessions;
pub(crate) mod steps;
pub(crate) mod transaction;
pub(crate) mod transitions;
pub(crate) mod user_factors;
