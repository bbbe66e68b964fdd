//! Steps that move around a transaction rather than answer it: resume, go back, skip, cancel.

use crate::classic::transaction::Stage;
use crate::classic::transitions::{advance, enrollment_skippable};
use crate::state::Org;
use crate::wire::{ApiError, CancelledBody, TransactionBody};

impl Org {
    /// `POST /api/v1/authn {stateToken}`: the transaction as it stands.
    pub(crate) fn resume(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |_, _, _| Ok(()))
    }

    /// `POST /api/v1/authn/previous`: back from activating a factor, which forgets the
    /// half-enrolled factor, or from a push challenge, which forgets the push.
    pub(crate) fn previous(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, _| {
            match tx.stage.clone() {
                Stage::MfaEnrollActivate { factor_id } => {
                    user.factors
                        .retain(|factor| factor.id != factor_id || factor.is_active());
                    tx.stage = Stage::MfaEnroll;
                }
                Stage::MfaChallenge { .. } => {
                    tx.push = None;
                    tx.stage = Stage::MfaRequired;
                }
                _ => return Err(ApiError::wrong_state()),
            }
            Ok(())
        })
    }

    /// `POST /api/v1/authn/skip`: past a password warning, or past enrollments that are only
    /// optional.
    pub(crate) fn skip(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, _| {
            match tx.stage {
                Stage::PasswordWarn => tx.password_settled = true,
                Stage::MfaEnroll if enrollment_skippable(tx, user) => {
                    tx.optional_enrollment_skipped = true;
                }
                _ => return Err(ApiError::wrong_state()),
            }
            advance(tx, user);
            Ok(())
        })
    }

    /// `POST /api/v1/authn/cancel`: the transaction is forgotten at once. Okta answers with
    /// no status at all, only an empty `_embedded` (and the `relayState`, when the sign-in
    /// had one): there is no transaction left to describe.
    pub(crate) fn cancel(&self, state_token: &str) -> Result<CancelledBody, ApiError> {
        let (mut state, now) = self.begin();
        state.live(state_token, now, self.config.state_token_lifetime)?;
        state.transactions.remove(state_token);
        Ok(CancelledBody::default())
    }
}
