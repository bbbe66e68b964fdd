//! The second factor: `select-authenticator-authenticate` (which authenticator and method;
//! `authenticator-verification-data` asks for the method when one with several was chosen
//! without it), then either an Okta Verify push and its `challenge-poll` (number challenge included), or a
//! `challenge-authenticator` code (Okta Verify, an authenticator app, a token, a code sent by
//! text, call or email) or security question answer. The virtual phone answers pushes
//! through the same `Push` the Classic side uses.

use time::OffsetDateTime;

use super::authenticators::{Authenticator, second_factors};
use super::messages::IdxError;
use super::policy::second_factor_done;
use super::request::{AuthenticatorChoice, Credentials};
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use crate::org::clock::span;
use crate::org::factors::FactorKind;
use crate::org::push::{NumberChallenge, Push, PushResult};
use crate::org::totp::PasscodeCheck;
use crate::org::users::User;

/// `POST /idp/idx/challenge {authenticator: {id, methodType}}`: choose what to verify with.
/// Also how a push is sent again (`resend` posts the same to the same place).
pub(crate) fn select(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    choice: Option<&AuthenticatorChoice>,
) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    let choice = choice.ok_or_else(|| IdxError::blank("authenticator"))?;
    let id = choice
        .id
        .as_deref()
        .ok_or_else(|| IdxError::blank("authenticator.id"))?;
    let selectable = matches!(
        tx.stage,
        Stage::ChallengePassword
            | Stage::SelectAuthenticate
            | Stage::VerificationData { .. }
            | Stage::Challenge { .. }
            | Stage::PushPoll { .. }
    );
    if !selectable {
        return Err(IdxError::wrong_step());
    }
    if id == Authenticator::Password.id() {
        return if tx.password_verified_at.is_none() {
            Ok(())
        } else {
            Err(IdxError::not_offered("The password"))
        };
    }
    if tx.password_verified_at.is_none() {
        return Err(IdxError::not_offered("That authenticator"));
    }
    let enrollments = second_factors(user);
    let enrollment = enrollments
        .iter()
        .find(|enrollment| enrollment.authenticator.id() == id)
        .ok_or_else(|| IdxError::not_offered("That authenticator"))?;
    if enrollment.authenticator.browser_only() {
        return Err(IdxError::browser_only(
            enrollment.authenticator.display_name(),
        ));
    }
    if choice.method_type.is_none() && enrollment.methods.len() > 1 {
        // Okta asks which method (push or code, text or call) rather than picking one.
        if matches!(tx.stage, Stage::VerificationData { .. }) {
            return Err(IdxError::blank("authenticator.methodType"));
        }
        tx.push = None;
        tx.stage = Stage::VerificationData {
            authenticator: enrollment.authenticator,
        };
        return Ok(());
    }
    let (_, factor_id) = enrollment
        .factor_for(choice.method_type.as_deref())
        .ok_or_else(|| IdxError::not_offered("That method"))?;
    let factor_id = factor_id.clone();
    let kind = user
        .factor(&factor_id)
        .map(|factor| factor.kind)
        .ok_or_else(IdxError::wrong_step)?;
    match kind {
        FactorKind::Push => {
            tx.push = Some(new_push(&factor_id, env, user.number_challenge));
            tx.stage = Stage::PushPoll { factor_id };
        }
        kind if kind.sends_codes() => {
            send_code(user, &factor_id, env.now)?;
            tx.push = None;
            tx.stage = Stage::Challenge { factor_id };
        }
        _ => {
            tx.push = None;
            tx.stage = Stage::Challenge { factor_id };
        }
    }
    Ok(())
}

fn new_push(factor_id: &str, env: &StepEnv<'_>, number_challenge: bool) -> Push {
    Push {
        factor_id: factor_id.to_owned(),
        started_at: env.now,
        expires_at: env.now + span(env.push_lifetime()),
        result: PushResult::Waiting,
        challenge: number_challenge.then(NumberChallenge::random),
        waiting_responses: 0,
        result_reported: false,
    }
}

/// Has the org text, call or email `factor_id`'s code; too soon after the last one is refused
/// as Okta refuses it.
pub(crate) fn send_code(
    user: &mut User,
    factor_id: &str,
    now: OffsetDateTime,
) -> Result<(), IdxError> {
    crate::org::codes::send(user, factor_id, now).map_err(|_| IdxError::sent_too_soon())
}

/// `challenge-authenticator` for a second factor: checks the code or answer.
pub(crate) fn answer(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    let Stage::Challenge { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let kind = check(user, &factor_id, credentials, env.now)?;
    second_factor_done(tx, user, kind, env.now);
    Ok(())
}

/// Checks the code or answer sent for the user's active factor `factor_id` (a code from
/// an app or token, one the org sent, a security question's answer); its kind if right.
/// Recovery and unlock check their challenges this way too.
pub(crate) fn check(
    user: &mut User,
    factor_id: &str,
    credentials: Option<&Credentials>,
    now: OffsetDateTime,
) -> Result<FactorKind, IdxError> {
    let empty = Credentials::default();
    let credentials = credentials.unwrap_or(&empty);
    let factor = user
        .factor_mut(factor_id)
        .filter(|factor| factor.is_active())
        .ok_or_else(IdxError::wrong_step)?;
    let kind = factor.kind;
    match kind {
        FactorKind::Totp | FactorKind::Google | FactorKind::Token => {
            let code = credentials
                .code()
                .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
            accept_totp(factor, code, now, Checking::Verification)?;
        }
        FactorKind::Sms | FactorKind::Call | FactorKind::Email => {
            let code = credentials
                .code()
                .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
            crate::org::sent_code::accept(&mut factor.sent_code, Some(code), now)
                .map_err(|_| IdxError::invalid_code())?;
        }
        FactorKind::Question => {
            let answer = credentials
                .answer
                .as_deref()
                .filter(|answer| !answer.trim().is_empty())
                .ok_or_else(|| IdxError::blank("credentials.answer"))?;
            let right = factor
                .question
                .as_ref()
                .is_some_and(|question| question.matches(answer));
            if !right {
                return Err(IdxError::incorrect_answer());
            }
        }
        _ => return Err(IdxError::wrong_step()),
    }
    Ok(kind)
}

/// What a time-based code is checked for: Okta words the refusals differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checking {
    Enrollment,
    Verification,
}

/// Checks a code made from the factor's key; its time step may not be used again.
pub(crate) fn accept_totp(
    factor: &mut crate::org::factors::Factor,
    code: &str,
    now: OffsetDateTime,
    checking: Checking,
) -> Result<(), IdxError> {
    // Okta words an authenticator app's refusals at verification with keys of their own
    // (its recorded Google Authenticator answers); enrollment, Okta Verify and tokens use the
    // generic ones.
    let soft_token = factor.kind == FactorKind::Google && checking == Checking::Verification;
    let totp = factor.totp.as_mut().ok_or_else(IdxError::wrong_step)?;
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or_default();
    match totp.key.check(code, unix, totp.last_used_step) {
        PasscodeCheck::Accepted { step } => {
            totp.last_used_step = Some(step);
            Ok(())
        }
        PasscodeCheck::Replayed if soft_token => Err(IdxError::soft_token_used()),
        PasscodeCheck::Replayed => Err(IdxError::code_replayed()),
        PasscodeCheck::OutsideWindow => Err(IdxError::code_outside_window()),
        PasscodeCheck::Wrong if soft_token => Err(IdxError::soft_token_invalid()),
        PasscodeCheck::Wrong => Err(IdxError::invalid_code()),
    }
}

/// `POST /idp/idx/challenge/resend`: another code by text, call or email.
pub(crate) fn resend(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::Challenge { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let sends_codes = user
        .factor(&factor_id)
        .is_some_and(|factor| factor.kind.sends_codes());
    if !sends_codes {
        return Err(IdxError::wrong_step());
    }
    send_code(user, &factor_id, env.now)
}

/// `challenge-poll`: waiting, or the phone's answer. (An approval has already moved the
/// transaction on before the step runs.)
pub(crate) fn poll_push(tx: &mut IdxTransaction) -> Result<(), IdxError> {
    let push = tx.push.as_mut().ok_or_else(IdxError::wrong_step)?;
    match push.result {
        PushResult::Waiting => {
            push.waiting_responses = push.waiting_responses.saturating_add(1);
            Ok(())
        }
        PushResult::Rejected => {
            push.result_reported = true;
            Err(IdxError::push_rejected())
        }
        // Okta says nothing of an expired push: the answer offers `resend` (see present).
        PushResult::Timeout => {
            push.result_reported = true;
            Ok(())
        }
        PushResult::Approved => Ok(()),
    }
}
