//! Injected faults: for the next N requests matching a path substring and method, the org
//! misbehaves the way real networks, proxies and future Okta versions do, so clients can be
//! tested against each failure on purpose. `/_demo` itself is never faulted.
//!
//! `rules` holds the faults and the queue `/_demo/faults` fills; `inject` applies them
//! around the router.

mod inject;
mod rules;

pub(crate) use self::inject::{DroppedOnPurpose, answer_with_faults};
pub(crate) use self::rules::Faults;
pub use self::rules::{Fault, FaultRule};
