//! The username a person signs in with: one rule for the window, the CLI and the keychain.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Okta's limit for a login. It also keeps an account record (which names the user twice)
/// within what every keychain stores, Windows Credential Manager's 2,560 bytes included.
pub const MAX_USERNAME_CHARS: usize = 100;

/// A username as Okta receives it: trimmed, not empty, one line, at most
/// [`MAX_USERNAME_CHARS`] characters. Okta itself decides whether it exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

/// Why a typed username cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("Enter your username, usually your work email address.")]
    Empty,
    #[error("That username is not valid: use at most {MAX_USERNAME_CHARS} characters on one line.")]
    Malformed,
}

impl Username {
    pub fn parse(input: &str) -> Result<Self, UsernameError> {
        let username = input.trim();
        if username.is_empty() {
            return Err(UsernameError::Empty);
        }
        if username.chars().count() > MAX_USERNAME_CHARS || username.contains(char::is_control) {
            return Err(UsernameError::Malformed);
        }
        Ok(Self(username.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Username {
    type Err = UsernameError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl PartialEq<str> for Username {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Username {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Username {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Username {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = String::deserialize(deserializer)?;
        Self::parse(&input).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_what_okta_should_see() {
        assert_eq!(
            Username::parse("  ada@acme.com\n").unwrap().as_str(),
            "ada@acme.com"
        );
        assert_eq!(Username::parse(" \t").unwrap_err(), UsernameError::Empty);
        assert_eq!(
            Username::parse("ada\u{7}@acme.com").unwrap_err(),
            UsernameError::Malformed
        );
        assert_eq!(
            Username::parse(&"a".repeat(MAX_USERNAME_CHARS + 1)).unwrap_err(),
            UsernameError::Malformed
        );
        assert!(Username::parse(&"a".repeat(MAX_USERNAME_CHARS)).is_ok());
    }

    #[test]
    fn deserialising_applies_the_same_rule() {
        let parsed: Username = serde_json::from_str(r#"" ada ""#).unwrap();
        assert_eq!(parsed.to_string(), "ada");
        assert!(serde_json::from_str::<Username>(r#""""#).is_err());
    }
}
