//! One-time codes the org sends by SMS, voice call and email: making one, the message that
//! carries it to the user's inbox, Okta's resend interval, and the masked phone numbers and
//! addresses Okta shows for where a code went.

use rand::Rng;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::org::factors::FactorKind;
use crate::org::inbox::{InboxMessage, deliver};
use crate::org::sent_code::SentCode;
use crate::org::users::User;
use crate::wire::{ApiError, Timestamp};

/// Okta sends at most one SMS or voice call per device every 30 seconds.
const RESEND_INTERVAL: time::Duration = time::Duration::seconds(30);
/// The digits of a code Okta reads out in a call (texts and emails have six).
const CALL_CODE_DIGITS: usize = 5;
const CODE_DIGITS: usize = 6;

/// Sends a new code for the user's factor `factor_id` (SMS, voice call or email) and files
/// the message in the user's inbox. A text or a call within 30 s of the last one is refused
/// as Okta refuses it.
pub(crate) fn send(user: &mut User, factor_id: &str, now: OffsetDateTime) -> Result<(), ApiError> {
    let login = user.login.clone();
    let factor = user
        .factor_mut(factor_id)
        .filter(|factor| factor.kind.sends_codes())
        .ok_or_else(ApiError::wrong_state)?;
    let too_soon = factor
        .sent_code
        .as_ref()
        .is_some_and(|sent| now - sent.sent_at < RESEND_INTERVAL);
    match factor.kind {
        FactorKind::Sms if too_soon => return Err(ApiError::sms_too_soon()),
        FactorKind::Call if too_soon => return Err(ApiError::rate_limited()),
        _ => {}
    }
    let digits = match factor.kind {
        FactorKind::Call => CALL_CODE_DIGITS,
        _ => CODE_DIGITS,
    };
    let code = random_code(digits);
    let (channel, to, text) = match factor.kind {
        FactorKind::Sms => (
            "sms",
            factor.phone.clone().unwrap_or_default(),
            format!("Your verification code is {}", code.as_str()),
        ),
        FactorKind::Call => (
            "call",
            factor.phone.clone().unwrap_or_default(),
            format!(
                "Hello! Your verification code is {}. Once again, your code is {}.",
                spoken(&code),
                spoken(&code)
            ),
        ),
        _ => (
            "email",
            login,
            format!(
                "Your one-time verification code is {}. It expires in 5 minutes.",
                code.as_str()
            ),
        ),
    };
    let message = InboxMessage {
        channel: channel.to_owned(),
        to,
        code: code.as_str().to_owned(),
        text,
        sent_at: Timestamp(now).to_iso(),
        link: None,
    };
    factor.sent_code = Some(SentCode::new(code, now));
    deliver(&mut user.inbox, message);
    Ok(())
}

fn random_code(digits: usize) -> Zeroizing<String> {
    let mut rng = rand::rng();
    let mut code = Zeroizing::new(String::with_capacity(digits));
    for _ in 0..digits {
        code.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    code
}

/// Digits as a voice reads them out: "1, 2, 3, 4, 5".
fn spoken(code: &str) -> String {
    code.chars()
        .map(String::from)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A phone number masked as Okta shows it: `+1 XXX-XXX-1337` for North American numbers,
/// the last four digits after `X`s otherwise.
pub(crate) fn masked_phone(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let last_four = &digits[digits.len().saturating_sub(4)..];
    if digits.len() == 11 && digits.starts_with('1') {
        format!("+1 XXX-XXX-{last_four}")
    } else {
        format!("+{}{last_four}", "X".repeat(digits.len().saturating_sub(4)))
    }
}

/// An email address masked as Okta shows it: `d...y@example.com`.
pub(crate) fn masked_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = local.chars().next().unwrap_or('x');
    let last = local.chars().last().unwrap_or('x');
    format!("{first}...{last}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails_are_masked_as_okta_masks_them() {
        assert_eq!(masked_phone("+15555550142"), "+1 XXX-XXX-0142");
        assert_eq!(masked_phone("+442079460001"), "+XXXXXXXX0001");
        assert_eq!(masked_email("email@demo.test"), "e...l@demo.test");
    }

    #[test]
    fn codes_have_their_channels_length() {
        assert_eq!(random_code(5).len(), 5);
        assert!(random_code(6).chars().all(|c| c.is_ascii_digit()));
        assert_eq!(spoken("123"), "1, 2, 3");
    }
}
