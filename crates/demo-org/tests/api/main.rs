//! The demo org over real HTTP on loopback, the way clients see it.

mod common;

mod enrollment;
mod errors;
mod faults;
mod idx_client;
mod idx_enroll;
mod idx_enroll_more;
mod idx_flows;
mod idx_methods;
mod idx_parity;
mod idx_recovery;
mod idx_tokens;
mod other_factors;
mod push;
mod rate_limit;
mod recovery;
mod remember_device;
mod sent_codes;
mod sessions;
mod shapes;
mod totp;
mod users;
mod well_known;
