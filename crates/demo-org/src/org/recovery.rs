//! Self-service recovery state shared by both engines: what a recovery is for (a new
//! password or an unlock), the recovery tokens the org emails (the link
//! `{origin}/signin/reset-password/<token>` or `/signin/unlock/<token>`, and the token itself
//! in the demo inbox), and how many wrong guesses a recovery may take.

use std::collections::HashMap;

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::org::inbox::{InboxMessage, deliver};
use crate::org::users::User;
use crate::wire::Timestamp;

/// How long an emailed recovery token stays good (Okta's default: one hour).
pub(crate) const RECOVERY_TOKEN_LIFETIME: time::Duration = time::Duration::hours(1);

/// Wrong codes or answers one recovery may take; the next one ends it and locks the user.
pub(crate) const MAX_WRONG_GUESSES: u8 = 5;

/// What a recovery ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RecoveryType {
    Password,
    Unlock,
}

impl RecoveryType {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::Unlock => "UNLOCK",
        }
    }

    /// The path of the emailed link, after the org's origin.
    fn link_path(self) -> &'static str {
        match self {
            Self::Password => "/signin/reset-password/",
            Self::Unlock => "/signin/unlock/",
        }
    }
}

/// A Classic recovery transaction's own state: what it is for, the factor it was started
/// with (`SMS`, `CALL`; none for an emailed token), the caller's `relayState`, the wrong
/// guesses so far.
#[derive(Clone, Debug)]
pub(crate) struct Recovery {
    pub kind: RecoveryType,
    pub factor_type: Option<&'static str>,
    pub relay_state: Option<String>,
    pub wrong_guesses: u8,
}

impl Recovery {
    /// Counts a wrong guess; true once the recovery has had too many.
    pub(crate) fn guessed_wrong(&mut self) -> bool {
        self.wrong_guesses = self.wrong_guesses.saturating_add(1);
        self.wrong_guesses >= MAX_WRONG_GUESSES
    }
}

/// An emailed recovery token, until it is used or expires.
pub(crate) struct IssuedRecoveryToken {
    pub user_id: String,
    pub kind: RecoveryType,
    pub relay_state: Option<String>,
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

/// What became of a recovery token presented to the org.
pub(crate) enum TokenLookup<'a> {
    Good(&'a mut IssuedRecoveryToken),
    /// Expired or already used: Okta's E0000105.
    Spent,
    /// Never issued: Okta's E0000011.
    Unknown,
}

/// The recovery tokens the org has emailed, by token.
#[derive(Default)]
pub(crate) struct RecoveryTokens {
    tokens: HashMap<String, IssuedRecoveryToken>,
}

impl RecoveryTokens {
    pub(crate) fn clear(&mut self) {
        self.tokens.clear();
    }

    /// Forgets tokens a day past their expiry (until then, they answer "expired").
    pub(crate) fn forget_expired(&mut self, now: OffsetDateTime) {
        self.tokens
            .retain(|_, token| token.expires_at + time::Duration::days(1) > now);
    }

    pub(crate) fn lookup(&mut self, token: &str, now: OffsetDateTime) -> TokenLookup<'_> {
        match self.tokens.get_mut(token) {
            None => TokenLookup::Unknown,
            Some(issued) if issued.used || issued.expires_at <= now => TokenLookup::Spent,
            Some(issued) => TokenLookup::Good(issued),
        }
    }

    /// Issues a token for `user` and emails the link to the user's address (the login),
    /// filing the message, with the token as its `code` and the link as its `link`, in the
    /// demo inbox.
    pub(crate) fn email(
        &mut self,
        user: &mut User,
        kind: RecoveryType,
        relay_state: Option<String>,
        origin: &str,
        marker: &str,
        now: OffsetDateTime,
    ) {
        let token = Zeroizing::new(crate::org::ids::token("", marker, 20));
        let link = format!("{origin}{}{}", kind.link_path(), token.as_str());
        let text = match kind {
            RecoveryType::Password => format!(
                "A password reset was requested for your account. Open {link} within an hour to choose a new password. Didn't ask for it? Ignore this email."
            ),
            RecoveryType::Unlock => format!(
                "An unlock was requested for your account. Open {link} within an hour to unlock it. Didn't ask for it? Ignore this email."
            ),
        };
        self.tokens.insert(
            token.to_string(),
            IssuedRecoveryToken {
                user_id: user.id.clone(),
                kind,
                relay_state,
                expires_at: now + RECOVERY_TOKEN_LIFETIME,
                used: false,
            },
        );
        let message = InboxMessage {
            channel: "email".to_owned(),
            to: user.login.clone(),
            code: token.to_string(),
            text,
            sent_at: Timestamp(now).to_iso(),
            link: Some(link),
        };
        deliver(&mut user.inbox, message);
    }
}

/// Ends a recovery that proved who the user is: an unlock unlocks at once; a password
/// recovery waits for the new password ([`set_password`]).
pub(crate) fn unlock(user: &mut User) {
    user.locked = false;
    user.failed_attempts = 0;
}

/// Stores a new password chosen through recovery (already checked against the policy): the
/// old one joins the history, and the account is unlocked, as a reset does on Okta.
pub(crate) fn set_password(user: &mut User, new_password: &str, now: OffsetDateTime) {
    let old = std::mem::replace(&mut user.password, Zeroizing::new(new_password.to_owned()));
    crate::org::password_policy::remember(&mut user.password_history, old);
    user.password_state = crate::org::users::PasswordState::Current;
    user.password_changed_at = now;
    unlock(user);
}
