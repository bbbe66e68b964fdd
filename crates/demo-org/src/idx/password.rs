//! The first factor: `identify` (who), the password's `challenge-authenticator` (three wrong
//! ones in a row lock the user, and a locked user gets the same answer as a wrong password
//! unless the org reveals lockouts), and `reenroll-authenticator` (expired) or
//! `reenroll-authenticator-warning` (expiring, with `skip`) under Okta's default policy.

use zeroize::Zeroizing;

use super::messages::IdxError;
use super::policy::advance;
use super::request::RemediationBody;
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use crate::org::password_policy::password_problem;
use crate::org::users::{PasswordState, User};

/// Three wrong passwords in a row lock the user, as on the Classic side.
const LOCKOUT_THRESHOLD: u8 = 3;

/// `POST /idp/idx/identify {identifier}`, and `credentials.passcode` too where the org's
/// `identify` asks for the password in the same form.
pub(crate) fn identify(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    body: &RemediationBody,
    device: &str,
) -> Result<(), IdxError> {
    if tx.stage != Stage::Identify {
        return Err(IdxError::wrong_step());
    }
    let identifier = body
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|identifier| !identifier.is_empty())
        .ok_or_else(|| IdxError::blank("identifier"))?;
    let user = users
        .iter()
        .find(|user| user.login.eq_ignore_ascii_case(identifier))
        .ok_or_else(|| IdxError::unknown_user(identifier))?;
    tx.user_id = Some(user.id.clone());
    let remember_me = super::keep_signed_in::flag(body.remember_me.as_ref());
    super::keep_signed_in::identified(tx, user, device, remember_me, env.now);
    if !env.org.config.idx.identify_with_password {
        advance(tx, user);
        return Ok(());
    }
    let passcode = body
        .credentials
        .as_ref()
        .and_then(|credentials| credentials.passcode.as_deref())
        .map(|passcode| passcode.as_str());
    answer_password(tx, users, env, passcode).inspect_err(|_| {
        // Refused: the same `identify` again, nobody identified.
        tx.user_id = None;
        tx.mfa_done = false;
        tx.stage = Stage::Identify;
    })
}

/// The password's `challenge-authenticator`.
pub(crate) fn answer_password(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    passcode: Option<&str>,
) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    let passcode = passcode
        .filter(|passcode| !passcode.is_empty())
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    if user.locked {
        return Err(if env.org.config.reveal_lockout {
            IdxError::locked_out()
        } else {
            IdxError::incorrect_password()
        });
    }
    if user.password.as_str() != passcode {
        user.failed_attempts = user.failed_attempts.saturating_add(1);
        if user.failed_attempts >= LOCKOUT_THRESHOLD {
            user.locked = true;
        }
        return Err(IdxError::incorrect_password());
    }
    user.failed_attempts = 0;
    tx.password_verified_at = Some(env.now);
    tx.earned("pwd");
    advance(tx, user);
    Ok(())
}

/// `reenroll-authenticator` and `reenroll-authenticator-warning`: a new password.
pub(crate) fn reenroll_password(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    new_password: Option<&str>,
) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    let new_password = new_password
        .filter(|password| !password.is_empty())
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    if let Some(problem) = password_problem(new_password, &user.password, &user.login) {
        return Err(IdxError::password_rejected(problem));
    }
    user.password = Zeroizing::new(new_password.to_owned());
    user.password_state = PasswordState::Current;
    user.password_changed_at = env.now;
    tx.password_settled = true;
    advance(tx, user);
    Ok(())
}

/// `skip` on the expiry warning: keep the password for now.
pub(crate) fn skip_warning(tx: &mut IdxTransaction, users: &mut [User]) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    tx.password_settled = true;
    advance(tx, user);
    Ok(())
}
