//! The code the org last sent for a factor (by SMS, voice call or email), until it is used
//! or expires: one use, five minutes, compared as typed without the spaces around it.

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::wire::ApiError;

/// How long a code sent stays good (Okta: five minutes).
const CODE_LIFETIME: time::Duration = time::Duration::minutes(5);

/// The last code sent for a factor, until it is used or expires.
pub(crate) struct SentCode {
    code: Zeroizing<String>,
    pub sent_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl std::fmt::Debug for SentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentCode")
            .field("code", &"<redacted>")
            .field("sent_at", &self.sent_at)
            .finish()
    }
}

impl SentCode {
    /// `code`, sent at `now`.
    pub(crate) fn new(code: Zeroizing<String>, now: OffsetDateTime) -> Self {
        Self {
            code,
            sent_at: now,
            expires_at: now + CODE_LIFETIME,
        }
    }
}

/// Accepts the code sent for `factor` if it is the one, still good; it cannot be used again.
pub(crate) fn accept(
    sent: &mut Option<SentCode>,
    passcode: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let passcode = passcode
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .ok_or_else(|| ApiError::validation("passCode: The field cannot be left blank"))?;
    let good = sent
        .as_ref()
        .is_some_and(|sent| now < sent.expires_at && sent.code.as_str() == passcode);
    if !good {
        return Err(ApiError::invalid_passcode());
    }
    *sent = None;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_once_and_only_while_fresh() {
        let now = OffsetDateTime::now_utc();
        let fresh = || {
            Some(SentCode {
                code: Zeroizing::new("123456".into()),
                sent_at: now,
                expires_at: now + CODE_LIFETIME,
            })
        };
        let mut sent = fresh();
        assert_eq!(
            accept(&mut sent, Some("654321"), now).unwrap_err().code,
            "E0000068"
        );
        assert!(accept(&mut sent, Some(" 123456 "), now).is_ok());
        assert!(accept(&mut sent, Some("123456"), now).is_err(), "used up");
        let mut stale = fresh();
        let later = now + CODE_LIFETIME + time::Duration::seconds(1);
        assert!(accept(&mut stale, Some("123456"), later).is_err());
    }
}
