//! Values that must never reach a log, a transcript, a panic message or the UI by accident.

use std::fmt;

use serde::{Deserialize, Deserializer};
use zeroize::{Zeroize, Zeroizing};

const REDACTED: &str = "[redacted]";

/// A secret string: a password, a state or session token, a TOTP secret or passcode.
///
/// `Debug` and `Display` print `[redacted]`; the memory is zeroed when the value is dropped.
/// The only way to the text is [`Secret::expose`], so every place that reads a secret is easy
/// to find. `Secret` deliberately does not implement `Serialize`: sending one over the wire is
/// done by the client's request bodies, on purpose, and nowhere else.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret text. Keep the borrow short and never format it into a message.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// Serde helper for request bodies: the one sanctioned way a [`Secret`] is serialised.
pub(crate) fn serialize_exposed<S: serde::Serializer>(
    secret: &Secret,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// Like [`serialize_exposed`], for a secret that may be absent (`null` then).
pub(crate) fn serialize_option_exposed<S: serde::Serializer>(
    secret: &Option<Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose()),
        None => serializer.serialize_none(),
    }
}

/// Secret bytes, such as the single-use enrollment QR image (it carries an activation token
/// that would let anyone who sees it enroll a phone to the user's account).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[redacted {} bytes]", self.0.len())
    }
}

impl Zeroize for Secret {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2-Pa55");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(
            format!("{:#?}", Some(secret.clone())),
            "Some(\n    [redacted],\n)"
        );
        assert_eq!(secret.expose(), "hunter2-Pa55");
    }

    #[test]
    fn secret_bytes_debug_shows_only_the_length() {
        let bytes = SecretBytes::new(b"activation-token".to_vec());
        assert_eq!(format!("{bytes:?}"), "[redacted 16 bytes]");
    }

    #[test]
    fn deserialises_from_a_json_string() {
        let secret: Secret = serde_json::from_str("\"00abc\"").unwrap();
        assert_eq!(secret.expose(), "00abc");
    }
}
