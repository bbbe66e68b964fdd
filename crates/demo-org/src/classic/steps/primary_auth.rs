//! Primary authentication, `POST /api/v1/authn {username, password}`: checks the password
//! (three wrong ones in a row lock the user) and opens a transaction.

use zeroize::Zeroizing;

use crate::classic::transaction::{Stage, Transaction};
use crate::classic::transitions::advance;
use crate::org::clock::span;
use crate::state::Org;
use crate::wire::{ApiError, TransactionBody};

/// Three wrong passwords in a row lock the user.
const LOCKOUT_THRESHOLD: u8 = 3;

#[derive(Default)]
pub(crate) struct PrimaryAuth {
    pub username: String,
    pub password: Zeroizing<String>,
    pub warn_before_password_expired: bool,
    pub multi_optional_factor_enroll: bool,
    /// The `DT` cookie the client sent: a device the user had remembered skips MFA.
    pub device_token: Option<String>,
}

impl Org {
    pub(crate) fn primary_auth(&self, request: PrimaryAuth) -> Result<TransactionBody, ApiError> {
        if request.username.trim().is_empty() {
            return Err(ApiError::validation(
                "username: The field cannot be left blank",
            ));
        }
        if request.password.is_empty() {
            return Err(ApiError::validation(
                "password: The field cannot be left blank",
            ));
        }
        let (mut state, now) = self.begin();
        let user = state
            .user_by_login_mut(&request.username)
            .ok_or_else(ApiError::authentication_failed)?;
        if user.locked {
            // Okta's default hides lockout: the same answer as a wrong password.
            return if self.config.reveal_lockout {
                Ok(self
                    .presenter(now)
                    .locked_out(self.config.self_service_recovery))
            } else {
                Err(ApiError::authentication_failed())
            };
        }
        if user.password.as_str() != request.password.as_str() {
            user.failed_attempts = user.failed_attempts.saturating_add(1);
            if user.failed_attempts >= LOCKOUT_THRESHOLD {
                user.locked = true;
            }
            return Err(ApiError::authentication_failed());
        }
        user.failed_attempts = 0;
        let user_id = user.id.clone();
        let remembered = user.remember_device.is_some()
            && request
                .device_token
                .as_deref()
                .is_some_and(|device| user.remembered_devices.recognises(device, now));
        let state_token = crate::org::ids::token("00", &self.config.token_marker, 40);
        let tx = Transaction {
            state_token: state_token.clone(),
            user_id,
            stage: Stage::MfaRequired,
            expires_at: now + span(self.config.state_token_lifetime),
            warn_before_password_expired: request.warn_before_password_expired,
            multi_optional_factor_enroll: request.multi_optional_factor_enroll,
            enrolling: false,
            mfa_done: remembered,
            optional_enrollment_skipped: false,
            password_settled: false,
            password_verified_at: now,
            factor_verified_at: None,
            push: None,
            device_token: request.device_token,
            remember_device: false,
            recovery: None,
        };
        state.transactions.insert(state_token.clone(), tx);
        let (tx, user) = state.live(&state_token, now, self.config.state_token_lifetime)?;
        advance(tx, user);
        Ok(self.finish(&mut state, &state_token, now))
    }
}
