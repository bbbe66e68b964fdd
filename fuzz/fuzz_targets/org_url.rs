//! Whatever a user types as the org: a clear error, or an origin that parses back to itself
//! and is https unless it is loopback.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::OrgUrl;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match OrgUrl::parse(input) {
        Ok(org) => {
            let url = org.as_url();
            assert!(url.scheme() == "https" || org.is_loopback(), "{url}");
            let again = OrgUrl::parse(&org.to_string()).expect("a normalised org URL parses");
            assert_eq!(again.to_string(), org.to_string());
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
