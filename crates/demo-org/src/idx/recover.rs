//! Identity Engine self-service recovery, as okta-auth-js `idx.recoverPassword` and
//! `idx.unlockAccount` drive it.
//!
//! Password: `recover` (the password's `currentAuthenticatorEnrollment.recover`, or
//! `currentAuthenticator.recover` on an `identify` that asks for the password) →
//! `identify-recovery` when nobody is identified yet → `select-authenticator-authenticate`
//! over the authenticators that may recover (email, phone, security question) → their
//! `challenge-authenticator` → `reset-authenticator` (the new password under the org's
//! policy) → the sign-in goes on to success (the recovery authenticator and the new password
//! are its two factors).
//!
//! Unlock: `unlock-account` (offered on `identify`) → `select-authenticator-unlock-account`
//! (identifier and email or phone in one form) → `challenge-authenticator` → the account is
//! unlocked and the answer says so, with nothing left but `cancel`.
//!
//! Where the org does not allow self-service, neither is offered; a forced `recover` ends
//! the transaction with Okta's "not allowed", a forced `unlock-account` is refused.

use super::authenticators::{Authenticator, UserEnrollment, second_factors};
use super::messages::IdxError;
use super::policy::{advance, amr_of};
use super::request::{AuthenticatorChoice, Credentials, RemediationBody};
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use super::verify::{check, send_code};
use crate::org::password_policy::ORG_POLICY;
use crate::org::users::User;

/// The authenticators that may recover a forgotten password.
pub(crate) fn recovery_enrollments(user: &User) -> Vec<UserEnrollment> {
    enrollments_of(
        user,
        &[
            Authenticator::Email,
            Authenticator::Phone,
            Authenticator::SecurityQuestion,
        ],
    )
}

/// The authenticators that may unlock an account: email and phone.
pub(crate) fn unlock_enrollments(user: &User) -> Vec<UserEnrollment> {
    enrollments_of(user, &UNLOCK_AUTHENTICATORS)
}

/// What `select-authenticator-unlock-account` offers, before anyone is identified.
pub(crate) const UNLOCK_AUTHENTICATORS: [Authenticator; 2] =
    [Authenticator::Email, Authenticator::Phone];

fn enrollments_of(user: &User, allowed: &[Authenticator]) -> Vec<UserEnrollment> {
    second_factors(user)
        .into_iter()
        .filter(|enrollment| allowed.contains(&enrollment.authenticator))
        .collect()
}

/// `POST /idp/idx/recover`.
pub(crate) fn recover(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    if !env.org.config.self_service_recovery {
        tx.stage = Stage::Terminal;
        return Err(IdxError::reset_password_not_allowed());
    }
    match tx.stage {
        Stage::ChallengePassword => {
            let user = user_of(tx, users)?;
            to_select(tx, user)
        }
        Stage::Identify if env.org.config.idx.identify_with_password => {
            tx.stage = Stage::IdentifyRecovery;
            Ok(())
        }
        _ => Err(IdxError::wrong_step()),
    }
}

fn to_select(tx: &mut IdxTransaction, user: &User) -> Result<(), IdxError> {
    if recovery_enrollments(user).is_empty() {
        tx.stage = Stage::Terminal;
        return Err(IdxError::reset_password_not_allowed());
    }
    tx.stage = Stage::SelectRecovery;
    Ok(())
}

/// `identify-recovery`: who forgot their password.
pub(crate) fn identify(
    tx: &mut IdxTransaction,
    users: &mut [User],
    body: &RemediationBody,
) -> Result<(), IdxError> {
    let user = find_user(users, body)?;
    tx.user_id = Some(user.id.clone());
    to_select(tx, user)
}

fn find_user<'u>(users: &'u mut [User], body: &RemediationBody) -> Result<&'u mut User, IdxError> {
    let identifier = body
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|identifier| !identifier.is_empty())
        .ok_or_else(|| IdxError::blank("identifier"))?;
    users
        .iter_mut()
        .find(|user| user.login.eq_ignore_ascii_case(identifier))
        .ok_or_else(|| IdxError::unknown_user(identifier))
}

/// The factor behind the chosen authenticator and method (the first method when none).
fn chosen_factor(
    enrollments: &[UserEnrollment],
    choice: Option<&AuthenticatorChoice>,
) -> Result<String, IdxError> {
    let choice = choice.ok_or_else(|| IdxError::blank("authenticator"))?;
    let id = choice
        .id
        .as_deref()
        .ok_or_else(|| IdxError::blank("authenticator.id"))?;
    let enrollment = enrollments
        .iter()
        .find(|enrollment| enrollment.authenticator.id() == id)
        .ok_or_else(|| IdxError::not_offered("That authenticator"))?;
    let (_, factor_id) = enrollment
        .factor_for(choice.method_type.as_deref())
        .ok_or_else(|| IdxError::not_offered("That method"))?;
    Ok(factor_id.clone())
}

/// Sends the code of a factor that sends codes (a question needs nothing sent).
fn challenge(user: &mut User, factor_id: &str, env: &StepEnv<'_>) -> Result<(), IdxError> {
    let sends = user
        .factor(factor_id)
        .is_some_and(|factor| factor.kind.sends_codes());
    if sends {
        send_code(user, factor_id, env.now)?;
    }
    Ok(())
}

/// `select-authenticator-authenticate` during recovery.
pub(crate) fn select(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    choice: Option<&AuthenticatorChoice>,
) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    let factor_id = chosen_factor(&recovery_enrollments(user), choice)?;
    challenge(user, &factor_id, env)?;
    tx.stage = Stage::RecoveryChallenge { factor_id };
    Ok(())
}

/// The recovery authenticator's `challenge-authenticator`: proved, the new password is next.
pub(crate) fn answer(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    let Stage::RecoveryChallenge { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let kind = check(user, &factor_id, credentials, env.now)?;
    tx.factor_verified_at = Some(env.now);
    tx.earned(amr_of(kind));
    tx.mfa_done = true;
    tx.earned("mfa");
    tx.stage = Stage::ResetPassword;
    Ok(())
}

/// `reset-authenticator`: the new password, under the org's policy; then the sign-in goes on.
pub(crate) fn reset(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    new_password: Option<&str>,
) -> Result<(), IdxError> {
    if tx.stage != Stage::ResetPassword {
        return Err(IdxError::wrong_step());
    }
    let user = user_of(tx, users)?;
    let new_password = new_password
        .filter(|password| !password.is_empty())
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    ORG_POLICY
        .check(
            new_password,
            &user.login,
            &user.password,
            &user.password_history,
        )
        .map_err(|refusal| {
            IdxError::password_requirements_not_met(refusal.cause, refusal.requirements)
        })?;
    crate::org::recovery::set_password(user, new_password, env.now);
    tx.password_verified_at = Some(env.now);
    tx.earned("pwd");
    tx.password_settled = true;
    advance(tx, user);
    Ok(())
}

/// `challenge/resend` during recovery or unlock: another code.
pub(crate) fn resend(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let (Stage::RecoveryChallenge { factor_id } | Stage::UnlockChallenge { factor_id }) =
        tx.stage.clone()
    else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let sends = user
        .factor(&factor_id)
        .is_some_and(|factor| factor.kind.sends_codes());
    if !sends {
        return Err(IdxError::wrong_step());
    }
    send_code(user, &factor_id, env.now)
}

/// `POST /idp/idx/unlock-account`: who is locked out comes next.
pub(crate) fn unlock_account(tx: &mut IdxTransaction, env: &StepEnv<'_>) -> Result<(), IdxError> {
    if !env.org.config.self_service_recovery {
        return Err(IdxError::unlock_not_allowed());
    }
    if tx.stage != Stage::Identify {
        return Err(IdxError::wrong_step());
    }
    tx.stage = Stage::SelectUnlock;
    Ok(())
}

/// `select-authenticator-unlock-account {identifier, authenticator}`: sends the code.
pub(crate) fn select_unlock(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    body: &RemediationBody,
) -> Result<(), IdxError> {
    if !matches!(
        tx.stage,
        Stage::SelectUnlock | Stage::UnlockChallenge { .. }
    ) {
        return Err(IdxError::wrong_step());
    }
    let user = find_user(users, body)?;
    let factor_id = chosen_factor(&unlock_enrollments(user), body.authenticator.as_ref())?;
    challenge(user, &factor_id, env)?;
    tx.user_id = Some(user.id.clone());
    tx.stage = Stage::UnlockChallenge { factor_id };
    Ok(())
}

/// The unlock's `challenge-authenticator`: proved, the account is unlocked.
pub(crate) fn answer_unlock(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    let Stage::UnlockChallenge { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    check(user, &factor_id, credentials, env.now)?;
    crate::org::recovery::unlock(user);
    tx.stage = Stage::Terminal;
    Err(IdxError::unlocked())
}
