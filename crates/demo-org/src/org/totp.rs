//! Okta Verify codes: RFC 6238 TOTP, HMAC-SHA1, 6 digits, 30-second steps, one step of
//! drift either way accepted.

use rand::RngCore;
use totp_rs::{Algorithm, Secret, Totp};

pub(crate) const STEP_SECONDS: u64 = 30;
pub(crate) const DIGITS: u32 = 6;
const ACCEPTED_DRIFT_STEPS: u64 = 1;
/// Codes from further away than the accepted drift but within this many steps are reported
/// as "outside the time window" (a clock problem) rather than simply wrong.
const RECOGNISED_DRIFT_STEPS: u64 = 10;

/// A TOTP shared secret. Its `Debug` never shows the secret and it is zeroed on drop.
#[derive(Clone)]
pub(crate) struct TotpKey {
    totp: Totp,
    base32: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpKey(<redacted>)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasscodeCheck {
    Accepted { step: u64 },
    Replayed,
    OutsideWindow,
    Wrong,
}

impl TotpKey {
    /// 160 random bits, the size RFC 4226 recommends and Okta uses.
    pub(crate) fn generate() -> Self {
        let mut bytes = zeroize::Zeroizing::new(vec![0u8; 20]);
        rand::rng().fill_bytes(&mut bytes);
        Self::from_bytes(&bytes)
    }

    pub(crate) fn from_base32(encoded: &str) -> Option<Self> {
        let secret = Secret::try_from_base32(encoded.trim_end_matches('=')).ok()?;
        if secret.as_ref().is_empty() {
            return None;
        }
        Some(Self::from_bytes(secret.as_ref()))
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let secret = Secret::from(bytes.to_vec());
        let base32 = zeroize::Zeroizing::new(secret.to_base32());
        let totp = totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_step_duration(STEP_SECONDS)
            .with_skew(ACCEPTED_DRIFT_STEPS as u16)
            .with_secret(secret)
            .build_noncompliant();
        Self { totp, base32 }
    }

    pub(crate) fn base32(&self) -> &str {
        &self.base32
    }

    pub(crate) fn code_at(&self, unix_seconds: u64) -> String {
        self.totp.generate(unix_seconds).to_string()
    }

    fn code_for_step(&self, step: u64) -> String {
        self.code_at(step * STEP_SECONDS)
    }

    /// Checks a passcode at `unix_seconds`; `last_used_step` is the step of the last code
    /// accepted for this factor, so a code (or an older one) cannot be used twice.
    pub(crate) fn check(
        &self,
        passcode: &str,
        unix_seconds: u64,
        last_used_step: Option<u64>,
    ) -> PasscodeCheck {
        let passcode = passcode.trim();
        if passcode.len() != DIGITS as usize || !passcode.bytes().all(|b| b.is_ascii_digit()) {
            return PasscodeCheck::Wrong;
        }
        let current = unix_seconds / STEP_SECONDS;
        // Current step first, so a code valid now is never mistaken for a neighbour's.
        let accepted = [
            Some(current),
            current.checked_sub(1),
            current.checked_add(ACCEPTED_DRIFT_STEPS),
        ];
        for step in accepted.into_iter().flatten() {
            if self.code_for_step(step) == passcode {
                return match last_used_step {
                    Some(last) if step <= last => PasscodeCheck::Replayed,
                    _ => PasscodeCheck::Accepted { step },
                };
            }
        }
        for distance in ACCEPTED_DRIFT_STEPS + 1..=RECOGNISED_DRIFT_STEPS {
            let candidates = [current.checked_sub(distance), current.checked_add(distance)];
            if candidates
                .into_iter()
                .flatten()
                .any(|step| self.code_for_step(step) == passcode)
            {
                return PasscodeCheck::OutsideWindow;
            }
        }
        PasscodeCheck::Wrong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA1 secret "12345678901234567890", truncated to 6 digits.
    fn rfc_key() -> TotpKey {
        TotpKey::from_bytes(b"12345678901234567890")
    }

    #[test]
    fn matches_rfc_6238_vectors() {
        let key = rfc_key();
        assert_eq!(key.code_at(59), "287082");
        assert_eq!(key.code_at(1_111_111_109), "081804");
        assert_eq!(key.code_at(1_234_567_890), "005924");
        assert_eq!(key.code_at(2_000_000_000), "279037");
    }

    #[test]
    fn base32_round_trips() {
        let key = TotpKey::generate();
        let again = TotpKey::from_base32(key.base32()).expect("valid base32");
        assert_eq!(key.code_at(1_000), again.code_at(1_000));
        assert_eq!(key.base32().len(), 32);
    }

    #[test]
    fn accepts_one_step_of_drift_and_classifies_the_rest() {
        let key = rfc_key();
        let now = 1_234_567_890;
        let current = key.code_at(now);
        let previous = key.code_at(now - 30);
        let next = key.code_at(now + 30);
        let far = key.code_at(now - 5 * 30);
        assert!(matches!(
            key.check(&current, now, None),
            PasscodeCheck::Accepted { .. }
        ));
        assert!(matches!(
            key.check(&previous, now, None),
            PasscodeCheck::Accepted { .. }
        ));
        assert!(matches!(
            key.check(&next, now, None),
            PasscodeCheck::Accepted { .. }
        ));
        assert_eq!(key.check(&far, now, None), PasscodeCheck::OutsideWindow);
        assert_eq!(key.check("12345", now, None), PasscodeCheck::Wrong);
    }

    #[test]
    fn refuses_a_code_already_used() {
        let key = rfc_key();
        let now = 1_234_567_890;
        let code = key.code_at(now);
        let PasscodeCheck::Accepted { step } = key.check(&code, now, None) else {
            panic!("fresh code refused");
        };
        assert_eq!(key.check(&code, now, Some(step)), PasscodeCheck::Replayed);
    }
}
