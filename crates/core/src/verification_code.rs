//! The code a person types (or pastes): six digits from Okta Verify or an authenticator app,
//! the digits of a text, a voice call or an email, or what a hardware token shows.
//!
//! Checked before it goes anywhere: a malformed code costs the user a round trip and, at
//! Okta, a failed attempt that counts towards locking the account.

use std::fmt;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::secret::Secret;

/// How many digits an Okta Verify or authenticator-app (TOTP) code has.
pub const CODE_DIGITS: usize = 6;

/// The longest input looked at: a paste of a whole message is not a code, and refusing it
/// early keeps the work per keystroke small. A YubiKey OTP (44 characters) and an RSA PIN
/// with its token code fit.
const MAX_INPUT_CHARS: usize = 64;

/// What a code looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CodeFormat {
    /// A fixed number of digits; spaces and dashes between them are dropped.
    Digits,
    /// What a hardware token shows (a YubiKey OTP, an RSA PIN and token code): ASCII letters,
    /// digits and punctuation, no spaces, up to 64 characters.
    Text,
}

/// A well-formed six-digit verification code. It is a one-time secret, so `Debug` and
/// `Display` redact it and the digits are zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode(Secret);

impl VerificationCode {
    /// Reads a code as typed or pasted: spaces and dashes between the digits are dropped
    /// ("123 456", "123-456", a trailing newline); anything else must be exactly
    /// [`CODE_DIGITS`] ASCII digits.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] for anything else. The message never repeats the input.
    pub fn parse(input: &str) -> Result<Self, Error> {
        Self::parse_as(input, CodeFormat::Digits, CODE_DIGITS)
    }

    /// Reads a code of `format`: `digits` digits for [`CodeFormat::Digits`] (as
    /// [`VerificationCode::parse`] does for six), or a token's text for [`CodeFormat::Text`]
    /// (surrounding spaces dropped; `digits` is not used).
    ///
    /// # Errors
    /// [`Error::InvalidCode`] for anything else. The message never repeats the input.
    pub fn parse_as(input: &str, format: CodeFormat, digits: usize) -> Result<Self, Error> {
        match format {
            CodeFormat::Digits => Self::parse_digits(input, digits),
            CodeFormat::Text => Self::parse_text(input),
        }
    }

    fn parse_text(input: &str) -> Result<Self, Error> {
        let text = input.trim();
        if text.is_empty()
            || text.chars().count() > MAX_INPUT_CHARS
            || !text.chars().all(|c| c.is_ascii_graphic())
        {
            return Err(Error::InvalidCode);
        }
        Ok(Self(Secret::new(text)))
    }

    fn parse_digits(input: &str, count: usize) -> Result<Self, Error> {
        // Sized up front so it never reallocates and leaves a copy behind; a partial code is
        // most of the real one, so it is zeroed on every way out too.
        let mut digits = Zeroizing::new(String::with_capacity(count));
        for (index, c) in input.chars().enumerate() {
            if index >= MAX_INPUT_CHARS {
                return Err(Error::InvalidCode);
            }
            match c {
                '0'..='9' if digits.len() < count => digits.push(c),
                c if c.is_whitespace() || is_dash(c) => {}
                _ => return Err(Error::InvalidCode),
            }
        }
        if count > 0 && digits.len() == count {
            Ok(Self(Secret::new(std::mem::take(&mut *digits))))
        } else {
            Err(Error::InvalidCode)
        }
    }

    /// The digits, ready to send as Okta's `passCode`.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The code as a [`Secret`], for [`FlowHandle::submit_code`](crate::FlowHandle::submit_code).
    pub fn into_secret(self) -> Secret {
        self.0
    }
}

/// Hyphen-minus plus the dashes that word processors, chat apps and phones substitute for it.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
    )
}

impl fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VerificationCode").field(&self.0).finish()
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn parsed(input: &str) -> Option<String> {
        VerificationCode::parse(input)
            .ok()
            .map(|code| code.expose().to_owned())
    }

    #[test]
    fn takes_six_digits_as_typed_or_pasted() {
        for input in [
            "123456",
            " 123456\n",
            "123 456",
            "123-456",
            "12 34 56",
            "123\u{2013}456",
            "\u{a0}123\u{2009}456\r\n",
        ] {
            assert_eq!(parsed(input).as_deref(), Some("123456"), "{input:?}");
        }
        assert_eq!(parsed("000000").as_deref(), Some("000000"));
    }

    #[test]
    fn refuses_anything_that_is_not_six_digits() {
        for input in [
            "",
            "   ",
            "12345",
            "1234567",
            "12345a",
            "123.456",
            "+123456",
            "１２３４５６",
            "١٢٣٤٥٦",
            "123456\u{0}",
            &format!("123456{}", " ".repeat(MAX_INPUT_CHARS)),
        ] {
            let error = VerificationCode::parse(input).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidCode, "{input:?}");
        }
    }

    #[test]
    fn other_lengths_and_token_text() {
        let five = VerificationCode::parse_as("123 45", CodeFormat::Digits, 5).unwrap();
        assert_eq!(five.expose(), "12345");
        assert!(VerificationCode::parse_as("123456", CodeFormat::Digits, 5).is_err());
        let yubikey = "cccccceukngdfgkukfctkcvfidnetljjiknckkcjulji";
        let otp = VerificationCode::parse_as(&format!(" {yubikey}\n"), CodeFormat::Text, 0);
        assert_eq!(otp.unwrap().expose(), yubikey);
        for refused in [
            "",
            "  ",
            "12 34",
            "pin\u{7}code",
            &"9".repeat(MAX_INPUT_CHARS + 1),
        ] {
            assert!(
                VerificationCode::parse_as(refused, CodeFormat::Text, 0).is_err(),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn never_prints_the_code() {
        let code = VerificationCode::parse("314159").unwrap();
        let shown = format!("{code:?} {code}");
        assert!(!shown.contains("314159"), "{shown}");
        assert!(
            !VerificationCode::parse("31415x")
                .unwrap_err()
                .to_string()
                .contains("31415")
        );
    }
}
