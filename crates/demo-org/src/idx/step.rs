//! What every IDX step works with besides the transaction: the org and the time of the
//! request (`StepEnv`), and the user the transaction has identified (`user_of`). Kept apart
//! from `flow`, which runs the steps and presents their answers, so the steps need not
//! import the runner that calls them.

use std::time::Duration;

use time::OffsetDateTime;

use super::messages::IdxError;
use super::store::IdxTransaction;
use crate::org::users::User;
use crate::state::Org;

/// What a step may read besides the transaction and the users.
pub(crate) struct StepEnv<'a> {
    pub org: &'a Org,
    pub now: OffsetDateTime,
}

impl StepEnv<'_> {
    pub(crate) fn push_lifetime(&self) -> Duration {
        self.org.config.push_lifetime
    }

    pub(crate) fn activation_lifetime(&self) -> Duration {
        self.org.config.activation_lifetime
    }

    pub(crate) fn marker(&self) -> &str {
        &self.org.config.token_marker
    }
}

/// The user a transaction has identified.
pub(crate) fn user_of<'u>(
    tx: &IdxTransaction,
    users: &'u mut [User],
) -> Result<&'u mut User, IdxError> {
    let user_id = tx.user_id.as_deref().ok_or_else(IdxError::wrong_step)?;
    users
        .iter_mut()
        .find(|user| user.id == user_id)
        .ok_or(IdxError::SessionExpired)
}
