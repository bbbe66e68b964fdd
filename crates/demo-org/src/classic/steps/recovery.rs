//! Classic self-service recovery: a forgotten password (`/api/v1/authn/recovery/password`)
//! or a locked account (`/recovery/unlock`), by an emailed link (its recovery token comes
//! back at `/recovery/token`) or a texted or read-out code (`/recovery/factors/{SMS,CALL}/verify`,
//! `…/resend`); then the recovery question where the user has one (`/recovery/answer`);
//! then, for a password, the new one (`/credentials/reset_password`) under the org's
//! password policy, after which the sign-in goes on as any other (a second factor where the
//! policy wants one the recovery did not prove). An unlock ends at `SUCCESS` with
//! `recoveryType: UNLOCK` and no session.

use crate::classic::transaction::{Stage, Transaction};
use crate::classic::transitions::advance;
use crate::org::clock::span;
use crate::org::factors::FactorKind;
use crate::org::password_policy::ORG_POLICY;
use crate::org::recovery::{Recovery, RecoveryType, TokenLookup};
use crate::org::users::User;
use crate::state::Org;
use crate::wire::{ApiError, TransactionBody};

/// `POST /api/v1/authn/recovery/{password,unlock}`.
pub(crate) struct RecoveryStart {
    pub kind: RecoveryType,
    pub username: String,
    /// `EMAIL` (the default), `SMS` or `CALL`.
    pub factor_type: Option<String>,
    pub relay_state: Option<String>,
}

/// The recovery factors Okta takes, by their wire name.
fn recovery_factor(factor_type: &str) -> Option<(&'static str, Option<FactorKind>)> {
    match factor_type.to_ascii_uppercase().as_str() {
        "EMAIL" => Some(("EMAIL", None)),
        "SMS" => Some(("SMS", Some(FactorKind::Sms))),
        "CALL" => Some(("CALL", Some(FactorKind::Call))),
        _ => None,
    }
}

impl Org {
    pub(crate) fn start_recovery(&self, start: RecoveryStart) -> Result<TransactionBody, ApiError> {
        if start.username.trim().is_empty() {
            return Err(ApiError::validation(
                "username: The field cannot be left blank",
            ));
        }
        let factor_type = start.factor_type.as_deref().unwrap_or("EMAIL");
        let (factor_type, kind) = recovery_factor(factor_type)
            .ok_or_else(|| ApiError::validation("factorType: Use one of EMAIL, SMS or CALL"))?;
        if !self.config.self_service_recovery {
            return Err(match start.kind {
                RecoveryType::Password => ApiError::forgot_password_not_allowed(),
                RecoveryType::Unlock => ApiError::unlock_not_allowed(),
            });
        }
        let (mut state, now) = self.begin();
        let presenter = self.presenter(now);
        let Some(kind) = kind else {
            let crate::state::OrgState {
                users,
                recovery_tokens,
                ..
            } = &mut *state;
            if let Some(user) = users
                .iter_mut()
                .find(|user| user.login.eq_ignore_ascii_case(start.username.trim()))
            {
                recovery_tokens.email(
                    user,
                    start.kind,
                    start.relay_state.clone(),
                    &self.origin,
                    &self.config.token_marker,
                    now,
                );
            }
            return Ok(presenter.recovery_email_sent(start.kind, start.relay_state));
        };
        let user = state
            .user_by_login_mut(&start.username)
            .ok_or_else(ApiError::no_permission)?;
        let factor_id = user
            .active_factors()
            .find(|factor| factor.kind == kind)
            .map(|factor| factor.id.clone())
            .ok_or_else(ApiError::no_permission)?;
        crate::org::codes::send(user, &factor_id, now)?;
        let user_id = user.id.clone();
        let state_token = crate::org::ids::token("00", &self.config.token_marker, 40);
        let tx = recovery_transaction(
            state_token.clone(),
            user_id,
            now + span(self.config.state_token_lifetime),
            now,
            Stage::RecoveryChallenge { factor_id },
            Recovery {
                kind: start.kind,
                factor_type: Some(factor_type),
                relay_state: start.relay_state,
                wrong_guesses: 0,
            },
        );
        state.transactions.insert(state_token.clone(), tx);
        Ok(self.finish(&mut state, &state_token, now))
    }

    /// `POST /api/v1/authn/recovery/factors/{SMS,CALL}/verify {stateToken, passCode}`.
    pub(crate) fn verify_recovery_factor(
        &self,
        state_token: &str,
        factor_type: &str,
        passcode: Option<&str>,
    ) -> Result<TransactionBody, ApiError> {
        self.recovery_step(state_token, |tx, user, now| {
            let Stage::RecoveryChallenge { factor_id } = tx.stage.clone() else {
                return Err(ApiError::wrong_state());
            };
            let recovery = tx.recovery.as_mut().ok_or_else(ApiError::wrong_state)?;
            if !recovery
                .factor_type
                .is_some_and(|sent| sent.eq_ignore_ascii_case(factor_type))
            {
                return Err(ApiError::wrong_state());
            }
            let factor = user
                .factor_mut(&factor_id)
                .ok_or_else(ApiError::wrong_state)?;
            if let Err(err) = crate::org::sent_code::accept(&mut factor.sent_code, passcode, now) {
                if err.code == "E0000068" && recovery.guessed_wrong() {
                    return Err(too_many_guesses(tx, user, now));
                }
                return Err(err);
            }
            tx.mfa_done = true;
            tx.factor_verified_at = Some(now);
            proved(tx, user);
            Ok(())
        })
    }

    /// `POST /api/v1/authn/recovery/factors/{SMS,CALL}/resend {stateToken}`.
    pub(crate) fn resend_recovery_factor(
        &self,
        state_token: &str,
        factor_type: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.recovery_step(state_token, |tx, user, now| {
            let Stage::RecoveryChallenge { factor_id } = &tx.stage else {
                return Err(ApiError::wrong_state());
            };
            let sent_by = tx
                .recovery
                .as_ref()
                .and_then(|recovery| recovery.factor_type);
            if !sent_by.is_some_and(|sent| sent.eq_ignore_ascii_case(factor_type)) {
                return Err(ApiError::wrong_state());
            }
            crate::org::codes::send(user, factor_id, now)
        })
    }

    /// `POST /api/v1/authn/recovery/token {recoveryToken}`: the token from the emailed link
    /// opens a recovery transaction (once, within its hour).
    pub(crate) fn verify_recovery_token(
        &self,
        recovery_token: &str,
    ) -> Result<TransactionBody, ApiError> {
        if recovery_token.trim().is_empty() {
            return Err(ApiError::validation(
                "recoveryToken: The field cannot be left blank",
            ));
        }
        let (mut state, now) = self.begin();
        let issued = match state.recovery_tokens.lookup(recovery_token.trim(), now) {
            TokenLookup::Unknown => return Err(ApiError::invalid_token()),
            TokenLookup::Spent => return Err(ApiError::recovery_token_spent()),
            TokenLookup::Good(issued) => {
                issued.used = true;
                (
                    issued.user_id.clone(),
                    issued.kind,
                    issued.relay_state.clone(),
                )
            }
        };
        let (user_id, kind, relay_state) = issued;
        let state_token = crate::org::ids::token("00", &self.config.token_marker, 40);
        let mut tx = recovery_transaction(
            state_token.clone(),
            user_id.clone(),
            now + span(self.config.state_token_lifetime),
            now,
            Stage::RecoveryQuestion,
            Recovery {
                kind,
                factor_type: None,
                relay_state,
                wrong_guesses: 0,
            },
        );
        let user = state
            .users
            .iter_mut()
            .find(|user| user.id == user_id)
            .ok_or_else(ApiError::invalid_token)?;
        // The email proved the address; it counts as the second factor where the user has
        // email as one.
        if user.has_active(FactorKind::Email) {
            tx.mfa_done = true;
            tx.factor_verified_at = Some(now);
        }
        proved(&mut tx, user);
        state.transactions.insert(state_token.clone(), tx);
        let body = self.finish(&mut state, &state_token, now);
        forget_if_unlocked(&mut state.transactions, &state_token);
        Ok(body)
    }

    /// `POST /api/v1/authn/recovery/answer {stateToken, answer}`.
    pub(crate) fn answer_recovery_question(
        &self,
        state_token: &str,
        answer: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.recovery_step(state_token, |tx, user, now| {
            if tx.stage != Stage::RecoveryQuestion {
                return Err(ApiError::wrong_state());
            }
            if answer.trim().is_empty() {
                return Err(ApiError::validation(
                    "answer: The field cannot be left blank",
                ));
            }
            let right = user
                .recovery_question
                .as_ref()
                .is_some_and(|question| question.matches(answer));
            if !right {
                let too_many = tx.recovery.as_mut().is_some_and(Recovery::guessed_wrong);
                return Err(if too_many {
                    too_many_guesses(tx, user, now)
                } else {
                    ApiError::recovery_answer_wrong()
                });
            }
            tx.stage = next_after_question(tx);
            if tx.stage == Stage::Unlocked {
                crate::org::recovery::unlock(user);
            }
            Ok(())
        })
    }

    /// `POST /api/v1/authn/credentials/reset_password {stateToken, newPassword}`: the new
    /// password under the org's policy (403 `E0000080` with the requirements otherwise);
    /// then the sign-in goes on.
    pub(crate) fn reset_password(
        &self,
        state_token: &str,
        new_password: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            if tx.stage != Stage::PasswordReset {
                return Err(ApiError::wrong_state());
            }
            if new_password.is_empty() {
                return Err(ApiError::validation(
                    "newPassword: The field cannot be left blank",
                ));
            }
            ORG_POLICY
                .check(
                    new_password,
                    &user.login,
                    &user.password,
                    &user.password_history,
                )
                .map_err(|refusal| ApiError::password_policy(refusal.cause))?;
            crate::org::recovery::set_password(user, new_password, now);
            tx.recovery = None;
            tx.password_settled = true;
            tx.password_verified_at = now;
            advance(tx, user);
            Ok(())
        })
    }

    /// A recovery step; an unlock that finished is forgotten once answered.
    fn recovery_step(
        &self,
        state_token: &str,
        apply: impl FnOnce(&mut Transaction, &mut User, time::OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        let body = self.step(state_token, apply)?;
        forget_if_unlocked(&mut self.lock().transactions, state_token);
        Ok(body)
    }
}

fn forget_if_unlocked(
    transactions: &mut std::collections::HashMap<String, Transaction>,
    state_token: &str,
) {
    if transactions
        .get(state_token)
        .is_some_and(|tx| tx.stage == Stage::Unlocked)
    {
        transactions.remove(state_token);
    }
}

/// Where a recovery goes once the link or code proved the user: the question if they have
/// one, else straight on.
fn proved(tx: &mut Transaction, user: &mut User) {
    tx.stage = if user.recovery_question.is_some() {
        Stage::RecoveryQuestion
    } else {
        next_after_question(tx)
    };
    if tx.stage == Stage::Unlocked {
        crate::org::recovery::unlock(user);
    }
}

fn next_after_question(tx: &Transaction) -> Stage {
    match tx.recovery.as_ref().map(|recovery| recovery.kind) {
        Some(RecoveryType::Unlock) => Stage::Unlocked,
        _ => Stage::PasswordReset,
    }
}

/// Too many wrong codes or answers: the recovery ends (its state token dies with this
/// answer) and the account is locked.
fn too_many_guesses(tx: &mut Transaction, user: &mut User, now: time::OffsetDateTime) -> ApiError {
    tx.expires_at = now;
    user.locked = true;
    ApiError::user_locked()
}

fn recovery_transaction(
    state_token: String,
    user_id: String,
    expires_at: time::OffsetDateTime,
    now: time::OffsetDateTime,
    stage: Stage,
    recovery: Recovery,
) -> Transaction {
    Transaction {
        state_token,
        user_id,
        stage,
        expires_at,
        warn_before_password_expired: false,
        multi_optional_factor_enroll: false,
        enrolling: false,
        mfa_done: false,
        optional_enrollment_skipped: false,
        password_settled: false,
        // Replaced when the new password is set; a recovery never succeeds before that.
        password_verified_at: now,
        factor_verified_at: None,
        push: None,
        device_token: None,
        remember_device: false,
        recovery: Some(recovery),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_factors_are_email_sms_and_call() {
        assert_eq!(recovery_factor("email"), Some(("EMAIL", None)));
        assert_eq!(recovery_factor("SMS"), Some(("SMS", Some(FactorKind::Sms))));
        assert_eq!(recovery_factor("push"), None);
    }
}
