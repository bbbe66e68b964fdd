//! Enrolling an authenticator the policy asks for: `select-authenticator-enroll`, then for
//! Okta Verify a QR code embedded as a `data:` URL that the phone scans while the client
//! runs `enroll-poll` (or, by `select-enrollment-channel`, a link by email or SMS: see
//! `channel`); for an authenticator app its `otpauth://` QR and shared secret, activated by
//! `enroll-authenticator` with its first code; email and phone in `enroll_codes`, the
//! security question in `enroll_question`, a hardware token in `enroll_token`; the QR codes
//! are drawn in `enroll_qr`. `skip` leaves optional ones for later.

use super::authenticators::{Authenticator, enrollment_required, missing_enrollments};
use super::enroll_qr::{new_activation, render_app_qr, render_okta_verify_qr};
use super::messages::IdxError;
use super::policy::{advance, second_factor_done};
use super::request::{AuthenticatorChoice, Credentials};
use super::step::{StepEnv, user_of};
use super::store::{EnrollChannel, IdxTransaction, Stage};
use crate::org::factors::{Factor, FactorKind, FactorStatus};
use crate::org::users::User;

/// `POST /idp/idx/credential/enroll`: `select-authenticator-enroll`; while Okta Verify is
/// being enrolled, `select-enrollment-channel`; while the phone waits for its number,
/// `authenticator-enrollment-data`.
pub(crate) fn select(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    choice: Option<&AuthenticatorChoice>,
) -> Result<(), IdxError> {
    let choice = choice.ok_or_else(|| IdxError::blank("authenticator"))?;
    if let Stage::EnrollOktaVerify { factor_id, .. } = tx.stage.clone() {
        let channel = choice
            .channel
            .as_deref()
            .ok_or_else(|| IdxError::blank("authenticator.channel"))?;
        let channel = EnrollChannel::from_wire(channel)
            .ok_or_else(|| IdxError::not_offered("That channel"))?;
        let user = user_of(tx, users)?;
        return super::channel::switch(tx, user, env, factor_id, channel);
    }
    let choosing = matches!(
        tx.stage,
        Stage::SelectEnroll
            | Stage::EnrollPhoneData
            | Stage::EnrollSentCode { .. }
            | Stage::EnrollQuestion
            | Stage::EnrollToken
    );
    if !choosing {
        return Err(IdxError::wrong_step());
    }
    let user = user_of(tx, users)?;
    let authenticator = choice
        .id
        .as_deref()
        .and_then(Authenticator::by_id)
        .filter(|authenticator| {
            missing_enrollments(user)
                .iter()
                .any(|(missing, _)| missing == authenticator)
        })
        .ok_or_else(|| IdxError::not_offered("That authenticator"))?;
    if tx.stage == Stage::EnrollPhoneData && authenticator != Authenticator::Phone {
        tx.stage = Stage::SelectEnroll;
    }
    // Choosing again drops the code enrollment left unfinished.
    if let Stage::EnrollSentCode { factor_id } = tx.stage.clone() {
        user.factors
            .retain(|factor| factor.id != factor_id || factor.is_active());
        tx.stage = Stage::SelectEnroll;
    }
    let kind = match authenticator {
        Authenticator::OktaVerify => FactorKind::Push,
        Authenticator::GoogleOtp => FactorKind::Google,
        Authenticator::Email => return super::enroll_codes::start_email(tx, user, env),
        Authenticator::Phone => return super::enroll_codes::start_phone(tx, user, env, choice),
        Authenticator::SecurityQuestion => {
            tx.stage = Stage::EnrollQuestion;
            return Ok(());
        }
        Authenticator::RsaToken if user.spare_token.is_some() => {
            tx.stage = Stage::EnrollToken;
            return Ok(());
        }
        other => return Err(IdxError::browser_only(other.display_name())),
    };
    // A pending enrollment left from an earlier attempt goes; its QR no longer works.
    user.factors
        .retain(|factor| factor.kind != kind || factor.is_active());
    let mut factor = Factor::new(kind);
    factor.activation = Some(new_activation(env));
    let factor_id = factor.id.clone();
    user.factors.push(factor);
    if kind == FactorKind::Push {
        // The channel chosen with it (a QR code unless email or SMS was asked for).
        let channel = choice
            .channel
            .as_deref()
            .and_then(EnrollChannel::from_wire)
            .unwrap_or(EnrollChannel::QrCode);
        tx.stage = Stage::EnrollOktaVerify {
            factor_id,
            channel,
            link_sent_to: None,
        };
        if channel == EnrollChannel::QrCode {
            render_okta_verify_qr(tx, user, env)
        } else {
            Ok(())
        }
    } else {
        tx.stage = Stage::EnrollApp { factor_id };
        render_app_qr(tx, user, env)
    }
}

/// `enroll-poll`: waiting for the phone. A QR code that expired is replaced by a new one,
/// as the Sign-In Widget refreshes it.
pub(crate) fn poll(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::EnrollOktaVerify {
        factor_id, channel, ..
    } = tx.stage.clone()
    else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let scanned = user
        .factor(&factor_id)
        .is_some_and(|factor| factor.is_active());
    if scanned && tx.okta_verify_requires_biometrics {
        // The virtual phone has no biometrics: the enrollment it made is refused, and a new
        // QR code offered, as Okta answers a phone that cannot verify its user.
        user.factors.retain(|factor| factor.id != factor_id);
        let mut factor = Factor::new(FactorKind::Push);
        factor.activation = Some(new_activation(env));
        let factor_id = factor.id.clone();
        user.factors.push(factor);
        tx.stage = Stage::EnrollOktaVerify {
            factor_id,
            channel: EnrollChannel::QrCode,
            link_sent_to: None,
        };
        render_okta_verify_qr(tx, user, env)?;
        return Err(IdxError::biometrics_required());
    }
    let factor = user
        .factor_mut(&factor_id)
        .ok_or_else(IdxError::wrong_step)?;
    let expired = factor
        .activation
        .as_ref()
        .is_none_or(|activation| env.now >= activation.expires_at);
    if expired {
        factor.activation = Some(new_activation(env));
        if channel == EnrollChannel::QrCode {
            render_okta_verify_qr(tx, user, env)?;
        }
    }
    Ok(())
}

/// `enroll-authenticator`: the app's first code activates it.
pub(crate) fn activate_app(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    let Stage::EnrollApp { factor_id } = tx.stage.clone() else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    let code = credentials
        .and_then(Credentials::code)
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    let factor = user
        .factor_mut(&factor_id)
        .ok_or_else(IdxError::wrong_step)?;
    super::verify::accept_totp(factor, code, env.now, super::verify::Checking::Enrollment)?;
    factor.status = FactorStatus::Active;
    factor.activation = None;
    let kind = factor.kind;
    second_factor_done(tx, user, kind, env.now);
    Ok(())
}

/// `skip`: optional enrollments left for another day.
pub(crate) fn skip(tx: &mut IdxTransaction, users: &mut [User]) -> Result<(), IdxError> {
    let user = user_of(tx, users)?;
    if tx.stage != Stage::SelectEnroll || enrollment_required(user) {
        return Err(IdxError::wrong_step());
    }
    tx.optional_enrollment_skipped = true;
    advance(tx, user);
    Ok(())
}
