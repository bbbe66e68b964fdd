//! Enrolling the authenticators the org proves by sending a code: email (the code goes to
//! the user's address at once) and phone (`authenticator-enrollment-data` first asks for a
//! number and `sms` or `voice`, unless `select-authenticator-enroll` already carried them).
//! Either way `enroll-authenticator` with `credentials.passcode` activates the pending
//! factor; `resend` sends another code. Sending and checking are shared with Classic
//! (`crate::org::codes`, `crate::org::sent_code`).

use super::authenticators::Authenticator;
use super::messages::IdxError;
use super::policy::second_factor_done;
use super::request::{AuthenticatorChoice, Credentials};
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use super::verify::send_code;
use crate::org::factors::{Factor, FactorKind, FactorStatus};
use crate::org::phone_number::e164;
use crate::org::users::User;

/// `select-authenticator-enroll` for email: a pending factor and its first code.
pub(super) fn start_email(
    tx: &mut IdxTransaction,
    user: &mut User,
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let factor = Factor::new(FactorKind::Email);
    start(tx, user, env, factor)
}

/// `select-authenticator-enroll` or `authenticator-enrollment-data` for the phone: with a
/// method and a number the code goes out; without them Okta asks for them.
pub(super) fn start_phone(
    tx: &mut IdxTransaction,
    user: &mut User,
    env: &StepEnv<'_>,
    choice: &AuthenticatorChoice,
) -> Result<(), IdxError> {
    let asked = tx.stage == Stage::EnrollPhoneData;
    let (method, number) = match (
        choice.method_type.as_deref(),
        choice.phone_number.as_deref(),
    ) {
        (Some(method), Some(number)) if !number.trim().is_empty() => (method, number),
        (None, _) if asked => return Err(IdxError::blank("authenticator.methodType")),
        (_, _) if asked => return Err(IdxError::blank("authenticator.phoneNumber")),
        _ => {
            tx.stage = Stage::EnrollPhoneData;
            return Ok(());
        }
    };
    let kind = match method {
        "sms" => FactorKind::Sms,
        "voice" => FactorKind::Call,
        _ => return Err(IdxError::not_offered("That method")),
    };
    let mut factor = Factor::new(kind);
    factor.phone = Some(e164(number).ok_or_else(IdxError::invalid_phone)?);
    start(tx, user, env, factor)
}

fn start(
    tx: &mut IdxTransaction,
    user: &mut User,
    env: &StepEnv<'_>,
    factor: Factor,
) -> Result<(), IdxError> {
    // An enrollment left unfinished goes: its code no longer works.
    let authenticator = Authenticator::of(factor.kind);
    user.factors
        .retain(|old| old.is_active() || Authenticator::of(old.kind) != authenticator);
    let factor_id = factor.id.clone();
    user.factors.push(factor);
    send_code(user, &factor_id, env.now)?;
    tx.stage = Stage::EnrollSentCode { factor_id };
    Ok(())
}

/// `enroll-authenticator`: the code that was sent activates the factor.
pub(super) fn activate(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    let Stage::EnrollSentCode { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let code = credentials
        .and_then(Credentials::code)
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    let factor = user
        .factor_mut(&factor_id)
        .filter(|factor| !factor.is_active())
        .ok_or_else(IdxError::wrong_step)?;
    crate::org::sent_code::accept(&mut factor.sent_code, Some(code), env.now)
        .map_err(|_| IdxError::invalid_code())?;
    factor.status = FactorStatus::Active;
    let kind = factor.kind;
    second_factor_done(tx, user, kind, env.now);
    Ok(())
}

/// `resend` while enrolling: another code to the same place.
pub(super) fn resend(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::EnrollSentCode { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    send_code(user, &factor_id, env.now)
}
