//! Whatever a user types or pastes as a verification code: six ASCII digits, the same digits
//! the input held in order, or the one fixed error message, which cannot repeat the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::{CODE_DIGITS, Error, ErrorKind, VerificationCode};

fuzz_target!(|input: &str| {
    match VerificationCode::parse(input) {
        Ok(code) => {
            let digits = code.expose();
            assert_eq!(digits.len(), CODE_DIGITS);
            assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            let typed: String = input.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(typed, digits);
            assert!(!format!("{code:?} {code}").contains(digits));
            let again = VerificationCode::parse(digits).expect("a parsed code parses again");
            assert_eq!(again, code);
        }
        Err(error) => {
            // One fixed message for every bad input: it can never echo what was typed.
            assert_eq!(error.kind(), ErrorKind::InvalidCode);
            assert_eq!(error.to_string(), Error::InvalidCode.to_string());
        }
    }
});
