//! What Okta's messages mean for the sign-in: why it refused what was sent (as an error every
//! driver knows, or in Okta's words), the message that ends it, and how a push ended.

use super::state::Idx;
use super::wire::{IdxResponse, Message};
use crate::error::{Error, ErrorInfo, ErrorKind};
use crate::okta_errors;

impl Idx {
    /// Why Okta refused what was sent, when it says so: the first error message, as the
    /// error every driver knows or in Okta's own words.
    pub(super) fn refusal(
        &self,
        doc: &IdxResponse,
        kind: ErrorKind,
    ) -> Option<(Option<Error>, ErrorInfo)> {
        let message = doc.errors().into_iter().next()?;
        let known = okta_errors::from_idx_message(message.key())
            .map(|error| self.with_unlock_offer(error, doc));
        let info = match &known {
            Some(error) => error.info(),
            None => ErrorInfo {
                kind,
                message: message.message.clone(),
            },
        };
        Some((known, info))
    }

    /// `message` of `doc` as the error that ends the sign-in.
    pub(super) fn ended_by(&self, doc: &IdxResponse, message: &Message) -> Error {
        self.with_unlock_offer(terminal(message), doc)
    }

    /// A lockout says whether the person can unlock: Okta's key alone cannot, the
    /// `unlock-account` form it offered (in `doc` or earlier in the transaction) does.
    pub(super) fn with_unlock_offer(&self, error: Error, doc: &IdxResponse) -> Error {
        match error {
            Error::LockedOut { .. } => Error::LockedOut {
                self_service_unlock: self.unlock_offered || doc.form("unlock-account").is_some(),
            },
            other => other,
        }
    }
}

/// The error a message ends the sign-in with: one every driver knows, or Okta's words.
pub(super) fn terminal(message: &Message) -> Error {
    okta_errors::from_idx_message(message.key()).unwrap_or_else(|| Error::Okta {
        code: if message.key().is_empty() {
            "idx".to_owned()
        } else {
            message.key().to_owned()
        },
        summary: message.message.clone(),
    })
}

/// How the last push ended, when an answer's message says it ended (rejected or timed out).
pub(super) fn push_end(doc: &IdxResponse) -> Option<Error> {
    doc.errors()
        .into_iter()
        .filter_map(|message| okta_errors::from_idx_message(message.key()))
        .find(|error| matches!(error, Error::MfaRejected | Error::MfaTimeout))
}
