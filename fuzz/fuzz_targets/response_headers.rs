//! Any response headers (Set-Cookie, X-Rate-Limit-Reset, Retry-After, Date...): read as a
//! sign-in reads them, without a panic, and a 429's wait is a `Duration` whatever they say.
//! The input is lines of `name: value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::header_fuzzing::read_headers;

fuzz_target!(|data: &[u8]| {
    let pairs: Vec<(&[u8], &[u8])> = data
        .split(|byte| *byte == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|byte| *byte == b':')?;
            let value = &line[colon + 1..];
            let value = value.strip_prefix(b" ").unwrap_or(value);
            Some((&line[..colon], value))
        })
        .collect();
    let _ = read_headers(&pairs);
});
