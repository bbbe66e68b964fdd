//! The one reading of a phone number, for SMS and voice call enrollment and for an SMS
//! activation link: a number Okta cannot text costs the person a round trip and an error from
//! the org that is harder to read than ours.
//!
//! [`PhoneNumber::read`] takes a number as people write it (spaces, dashes, dots, brackets)
//! and is what every face uses: the window's `validate_phone_number` command and the CLI's
//! prompt. [`PhoneNumber::parse`] takes only the E.164 form that reading gives. The flow
//! checks the number a phone enrollment submits; the activation-link paths send the number
//! they are given as it is, so the face checks it first (the window refuses one that does not
//! parse before it reaches the flow).

use std::fmt;

/// The fewest digits, country code included, of a number anyone can text.
const MIN_DIGITS: usize = 8;
/// The most digits E.164 allows, country code included.
const MAX_DIGITS: usize = 15;

/// A phone number in E.164 form: `+`, the country code and the number, digits only
/// (`+14155550123`), as Okta's SMS factor expects it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// Why a phone number was refused. The message never repeats the input and says how to
/// write the number instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Type the phone number with its country code, for example +14155550123.")]
pub struct PhoneNumberError;

/// What people put between digits when they write a number, and E.164 leaves out.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')
}

impl PhoneNumber {
    /// Reads a number as a person typed it: spaces, dashes, dots and brackets are how people
    /// write numbers, not part of them, so they are dropped before [`parse`](Self::parse).
    ///
    /// # Errors
    /// [`PhoneNumberError`] when what is left is not `+` and 8 to 15 digits.
    pub fn read(typed: &str) -> Result<Self, PhoneNumberError> {
        let compact: String = typed.chars().filter(|&c| !is_separator(c)).collect();
        Self::parse(&compact)
    }

    /// Takes `+` followed by 8 to 15 ASCII digits and nothing else: a UI that lets people
    /// type spaces or brackets reads the number with [`read`](Self::read) instead.
    ///
    /// # Errors
    /// [`PhoneNumberError`] for anything else.
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let digits = input.strip_prefix('+').ok_or(PhoneNumberError)?;
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(PhoneNumberError);
        }
        Ok(Self(input.to_owned()))
    }

    /// The number as Okta's `profile.phoneNumber` takes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_a_country_code_and_8_to_15_digits() {
        for input in [
            "+14155550123",
            "+44207946000",
            "+12345678",
            "+123456789012345",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(|number| number.to_string()),
                Ok(input.to_owned())
            );
        }
    }

    #[test]
    fn reads_a_number_as_people_write_it() {
        for typed in [
            "+14155550123",
            " +1 415 555 0123 ",
            "+1 (415) 555-0123",
            "+1.415.555.0123",
            "+1\t415\u{a0}555 0123\n",
        ] {
            assert_eq!(
                PhoneNumber::read(typed).map(|number| number.to_string()),
                Ok("+14155550123".to_owned()),
                "{typed:?}"
            );
        }
        for typed in [
            "",
            "4155550123",
            "+1 415 555",
            "+1 415 555 0123 x12",
            "+1/415/5550123",
        ] {
            assert_eq!(PhoneNumber::read(typed), Err(PhoneNumberError), "{typed:?}");
        }
    }

    #[test]
    fn refuses_anything_else_without_repeating_it() {
        for input in [
            "",
            "+",
            "14155550123",
            "+1234567",
            "+1234567890123456",
            "+1 415 555 0123",
            "+1(415)5550123",
            "++14155550123",
            "+１４１５５５５０１２３",
            "+14155550123\n",
        ] {
            let error = PhoneNumber::parse(input).unwrap_err();
            assert!(error.to_string().contains("country code"), "{input:?}");
        }
        assert!(
            !PhoneNumber::parse("+9876x")
                .unwrap_err()
                .to_string()
                .contains("9876")
        );
    }
}
