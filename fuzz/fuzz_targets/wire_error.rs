//! Any bytes sent as an Okta error body: parsing fails cleanly or yields a printable summary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::wire::OktaErrorBody;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = serde_json::from_slice::<OktaErrorBody>(data) {
        let _ = body.full_summary();
    }
});
