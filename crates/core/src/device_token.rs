//! Okta's device token: the `DT` cookie by which an org recognises this computer, so a device
//! the user chose to have remembered can skip MFA for the policy's lifetime.
//!
//! It identifies this device, not the user, and is no password; but whoever holds it can
//! pass as this device to the org. So it lives in a [`Secret`]: never printed, never in the
//! transcript, kept between runs only in the account's keychain item.

use std::fmt;

use crate::secret::Secret;

/// The name of Okta's device cookie.
pub(crate) const DEVICE_COOKIE: &str = "DT";

/// Okta's device cookies are a few dozen characters; anything far longer is not one.
const MAX_LEN: usize = 1024;

/// The value of Okta's `DT` device cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceToken(Secret);

impl DeviceToken {
    /// A device token as stored or received; `None` when the value could not be a cookie
    /// value (empty, too long, or with spaces, `;`, `,`, quotes or control characters), so a
    /// damaged record is ignored rather than sent.
    pub fn parse(value: &str) -> Option<Self> {
        let fits = !value.is_empty()
            && value.len() <= MAX_LEN
            && value
                .bytes()
                .all(|byte| byte.is_ascii_graphic() && !matches!(byte, b';' | b',' | b'"' | b'\\'));
        fits.then(|| Self(Secret::new(value)))
    }

    /// The cookie value, for the keychain record and the `Cookie` header only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceToken([hidden])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cookie_values_are_device_tokens() {
        assert!(DeviceToken::parse("mDu2Jc0dCk-2f_XzT7w").is_some());
        for bad in [
            "",
            "a b",
            "a;b",
            "a,b",
            "\"a\"",
            "a\nb",
            &"x".repeat(MAX_LEN + 1),
        ] {
            assert!(DeviceToken::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_device_token_never_prints() {
        let token = DeviceToken::parse("s3cr3tDeviceValue").unwrap();
        assert!(!format!("{token:?}").contains("s3cr3t"));
        assert_eq!(token.expose(), "s3cr3tDeviceValue");
    }
}
