//! "Remember this device": Okta's `DT` device cookie, and the MFA policy that lets a
//! remembered device skip MFA for a while.
//!
//! Okta identifies a device by the `DT` cookie it sets on the first `/api/v1/authn` answer
//! and reads on every later one. When a factor is verified with `rememberDevice=true` and the
//! user's MFA policy has `allowRememberDevice`, the device is remembered for
//! `rememberDeviceLifetimeInMinutes` (on the org's clock); until then primary authentication
//! from that device goes straight to SUCCESS. Identity Engine sign-ins share the cookie and
//! the remembered devices through "Keep me signed in" (`idx::keep_signed_in`).

use std::collections::HashMap;
use std::time::Duration;

use time::OffsetDateTime;

use crate::org::clock::span;

/// The cookie Okta names its device token with.
pub(crate) const DEVICE_COOKIE: &str = "DT";

/// How long the `DT` cookie itself lives in a client's jar (Okta's lasts for years): what
/// ends a remembered device is the policy's lifetime, kept on the org's side.
const DEVICE_COOKIE_MAX_AGE: Duration = Duration::from_secs(5 * 365 * 24 * 60 * 60);

/// A user's MFA policy allows remembering the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RememberDevicePolicy {
    pub lifetime: Duration,
    pub by_default: bool,
}

impl RememberDevicePolicy {
    /// What the seeded users who may remember a device get: a day, off by default (as an
    /// admin typically sets it).
    pub(crate) const ONE_DAY: Self = Self {
        lifetime: Duration::from_secs(24 * 60 * 60),
        by_default: false,
    };

    pub(crate) fn lifetime_in_minutes(self) -> u32 {
        u32::try_from(self.lifetime.as_secs() / 60).unwrap_or(u32::MAX)
    }
}

/// The devices one user chose to have remembered, by device token, with when each must
/// verify a factor again.
#[derive(Debug, Default)]
pub(crate) struct RememberedDevices(HashMap<String, OffsetDateTime>);

impl RememberedDevices {
    pub(crate) fn remember(&mut self, device_token: &str, until: OffsetDateTime) {
        self.0.insert(device_token.to_owned(), until);
    }

    /// Whether `device_token` was remembered and its lifetime has not run out at `now`.
    pub(crate) fn recognises(&self, device_token: &str, now: OffsetDateTime) -> bool {
        self.0.get(device_token).is_some_and(|until| now < *until)
    }
}

/// Remembers the transaction's device for the user's policy lifetime, if the policy allows
/// it and the client asked.
pub(crate) fn remember_if_asked(
    policy: Option<RememberDevicePolicy>,
    devices: &mut RememberedDevices,
    device_token: Option<&str>,
    asked: bool,
    now: OffsetDateTime,
) {
    if let (Some(policy), Some(device_token), true) = (policy, device_token, asked) {
        devices.remember(device_token, now + span(policy.lifetime));
    }
}

/// A new device token: random, in the length Okta's have, with the org's token marker so
/// leak tests find it too.
pub(crate) fn new_device_token(token_marker: &str) -> String {
    crate::org::ids::token("", token_marker, 43)
}

/// The `Set-Cookie` value that hands a client its device token. `Secure` only over HTTPS,
/// so clients of a plain-HTTP demo org keep it.
pub(crate) fn device_cookie(device_token: &str, secure: bool) -> String {
    let mut cookie = format!(
        "{DEVICE_COOKIE}={device_token}; Path=/; Max-Age={}; HttpOnly; SameSite=None",
        DEVICE_COOKIE_MAX_AGE.as_secs()
    );
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_device_is_recognised_until_its_lifetime_ends() {
        let now = OffsetDateTime::now_utc();
        let mut devices = RememberedDevices::default();
        let policy = Some(RememberDevicePolicy::ONE_DAY);
        remember_if_asked(policy, &mut devices, Some("dt1"), false, now);
        assert!(!devices.recognises("dt1", now), "not asked, not remembered");
        remember_if_asked(None, &mut devices, Some("dt1"), true, now);
        assert!(
            !devices.recognises("dt1", now),
            "the policy does not allow it"
        );
        remember_if_asked(policy, &mut devices, Some("dt1"), true, now);
        assert!(devices.recognises("dt1", now + time::Duration::hours(23)));
        assert!(!devices.recognises("dt1", now + time::Duration::hours(24)));
        assert!(!devices.recognises("dt2", now));
    }

    #[test]
    fn the_device_cookie_is_secure_over_https_only() {
        assert!(device_cookie("abc", true).ends_with("; Secure"));
        assert!(!device_cookie("abc", false).contains("Secure"));
    }
}
