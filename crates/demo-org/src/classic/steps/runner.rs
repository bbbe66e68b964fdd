//! Running one step of a transaction: find it live, apply what time and the phone did, apply
//! the step, and render the result. A finished transaction becomes a session token.

use time::OffsetDateTime;

use crate::classic::transaction::{Stage, Transaction};
use crate::classic::transitions::refresh;
use crate::org::clock::span;
use crate::org::remembered_devices::remember_if_asked;
use crate::org::sessions::SessionTokenGrant;
use crate::org::users::User;
use crate::state::{Org, OrgState};
use crate::wire::{ApiError, TransactionBody};

impl Org {
    /// Runs one transaction step: finds the live transaction (401 E0000011 if gone), applies
    /// time-driven changes, runs `apply`, applies them again and renders the result.
    pub(super) fn step(
        &self,
        state_token: &str,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        self.step_inner(state_token, false, apply)
    }

    /// Like `step`, for requests that poll: when the phone or time already moved the
    /// transaction on, the poll just reports where it stands now.
    pub(super) fn poll_step(
        &self,
        state_token: &str,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        self.step_inner(state_token, true, apply)
    }

    fn step_inner(
        &self,
        state_token: &str,
        polling: bool,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        let (mut state, now) = self.begin();
        let (tx, user) = state.live(state_token, now, self.config.state_token_lifetime)?;
        let moved_on = refresh(tx, user, now, self.config.auto_approve);
        // A finished transaction answers SUCCESS to whatever comes next, once.
        if tx.stage != Stage::Success && !(polling && moved_on) {
            apply(tx, user, now)?;
        }
        Ok(self.finish(&mut state, state_token, now))
    }

    /// Records what the latest verify or poll asked of "remember this device"; a token that
    /// is gone is reported by the step itself.
    pub(super) fn note_remember_device(&self, state_token: &str, remember: bool) {
        if let Some(tx) = self.lock().transactions.get_mut(state_token) {
            tx.remember_device = remember;
        }
    }

    /// Renders a transaction; a finished one becomes a session token and is forgotten.
    pub(super) fn finish(
        &self,
        state: &mut OrgState,
        state_token: &str,
        now: OffsetDateTime,
    ) -> TransactionBody {
        let presenter = self.presenter(now);
        let Some(tx) = state.transactions.get_mut(state_token) else {
            return presenter.cancelled();
        };
        let Some(user) = state.users.iter_mut().find(|user| user.id == tx.user_id) else {
            return presenter.cancelled();
        };
        if tx.stage != Stage::Success {
            return presenter.transaction(tx, user);
        }
        if tx.factor_verified_at.is_some() {
            remember_if_asked(
                user.remember_device,
                &mut user.remembered_devices,
                tx.device_token.as_deref(),
                tx.remember_device,
                now,
            );
        }
        let grant = SessionTokenGrant {
            user_id: user.id.clone(),
            expires_at: now + span(self.config.session_token_lifetime),
            password_verified_at: tx.password_verified_at,
            factor_verified_at: tx.factor_verified_at,
        };
        let expires_at = grant.expires_at;
        let session_token = state.sessions.issue_token(grant, &self.config.token_marker);
        let body = presenter.success(user, session_token, expires_at);
        state.transactions.remove(state_token);
        body
    }
}
