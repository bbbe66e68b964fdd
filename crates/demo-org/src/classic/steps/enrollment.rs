//! Enrolling a factor and activating it: the QR code and activation link of Okta Verify push
//! (refreshed when it expires, sent by email or SMS), an app's passcode, the code sent by
//! SMS, voice call or email; a security question is active as soon as it is enrolled.

use time::OffsetDateTime;

use super::verification::accept_passcode;
use crate::classic::transaction::{Stage, Transaction};
use crate::classic::transitions::advance;
use crate::org::clock::span;
use crate::org::factors::{
    Activation, Factor, FactorKind, FactorStatus, QuestionAnswer, TotpState,
};
use crate::org::phone_number::e164;
use crate::org::users::User;
use crate::state::Org;
use crate::wire::{ApiError, TransactionBody};

/// Okta sends at most one activation SMS per 30 seconds.
const SMS_INTERVAL: time::Duration = time::Duration::seconds(30);

pub(crate) enum ActivationChannel {
    Email,
    Sms { phone_number: String },
}

/// What an enrollment request carries besides the factor type: a phone number (SMS, voice
/// call), a question and its answer, a token's code, and whether to replace the phone the
/// account has.
#[derive(Default)]
pub(crate) struct EnrollRequest<'a> {
    pub factor_type: &'a str,
    pub provider: &'a str,
    pub phone_number: Option<&'a str>,
    pub question: Option<&'a str>,
    pub answer: Option<&'a str>,
    pub update_phone: bool,
    /// A token: the code it shows now.
    pub pass_code: Option<&'a str>,
}

impl Org {
    pub(crate) fn enroll(
        &self,
        state_token: &str,
        request: EnrollRequest<'_>,
    ) -> Result<TransactionBody, ApiError> {
        let lifetime = self.config.activation_lifetime;
        let marker = self.config.token_marker.clone();
        self.step(state_token, |tx, user, now| {
            if tx.stage != Stage::MfaEnroll {
                return Err(ApiError::wrong_state());
            }
            let EnrollRequest {
                factor_type,
                provider,
                ..
            } = request;
            let kind = FactorKind::from_wire(factor_type, provider)
                .filter(|kind| user.enrollment_policy.iter().any(|(k, _)| k == kind))
                .ok_or_else(|| {
                    ApiError::validation(format!(
                        "factorType: {factor_type} from provider {provider} cannot be enrolled in this org"
                    ))
                })?;
            if user.has_active(kind) {
                return Err(ApiError::validation(format!(
                    "factorType: a {factor_type} factor is already enrolled"
                )));
            }
            user.factors
                .retain(|factor| factor.kind != kind || factor.is_active());
            let mut factor = Factor::new(kind);
            let factor_id = factor.id.clone();
            match kind {
                FactorKind::Push | FactorKind::Totp | FactorKind::Google => {
                    factor.activation = Some(new_activation(now, lifetime, &marker));
                }
                FactorKind::Sms | FactorKind::Call => {
                    let phone = request
                        .phone_number
                        .and_then(e164)
                        .ok_or_else(ApiError::invalid_phone)?;
                    if request.update_phone {
                        user.phone_on_file = Some(phone.clone());
                    }
                    factor.phone = Some(phone);
                }
                FactorKind::Email => {}
                FactorKind::Question => {
                    factor.question = Some(question_answer(request.question, request.answer)?);
                    // Okta activates a question at once: nothing to prove.
                    factor.status = FactorStatus::Active;
                    user.factors.push(factor);
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    return Ok(());
                }
                FactorKind::Token => {
                    // The token the user was handed: its code proves it is in their hands.
                    let key = user.spare_token.clone().ok_or_else(ApiError::invalid_passcode)?;
                    factor.totp = Some(TotpState {
                        key,
                        last_used_step: None,
                    });
                    accept_passcode(&mut factor, request.pass_code, now)?;
                    factor.status = FactorStatus::Active;
                    user.factors.push(factor);
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    return Ok(());
                }
                FactorKind::WebAuthn | FactorKind::U2f | FactorKind::Duo => {
                    return Err(ApiError::validation(format!(
                        "factorType: {factor_type} is set up in a browser on this demo org"
                    )));
                }
            }
            user.factors.push(factor);
            if kind.sends_codes() {
                crate::org::codes::send(user, &factor_id, now)?;
            }
            tx.stage = Stage::MfaEnrollActivate { factor_id };
            Ok(())
        })
    }

    pub(crate) fn activate_poll(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.poll_step(state_token, |tx, user, _| {
            let factor = enrolling_factor(tx, user, factor_id)?;
            if factor.kind != FactorKind::Push {
                return Err(ApiError::wrong_state());
            }
            Ok(())
        })
    }

    /// Restarts a push activation (new QR) or completes an activation with a passcode: an
    /// app's, or the code sent by SMS, voice call or email.
    pub(crate) fn activate(
        &self,
        state_token: &str,
        factor_id: &str,
        passcode: Option<&str>,
    ) -> Result<TransactionBody, ApiError> {
        let lifetime = self.config.activation_lifetime;
        let marker = self.config.token_marker.clone();
        self.step(state_token, |tx, user, now| {
            let factor = enrolling_factor_mut(tx, user, factor_id)?;
            match factor.kind {
                FactorKind::Push => {
                    factor.activation = Some(new_activation(now, lifetime, &marker));
                    return Ok(());
                }
                FactorKind::Totp | FactorKind::Google => accept_passcode(factor, passcode, now)?,
                kind if kind.sends_codes() => {
                    crate::org::sent_code::accept(&mut factor.sent_code, passcode, now)?;
                }
                _ => return Err(ApiError::wrong_state()),
            }
            factor.status = FactorStatus::Active;
            factor.activation = None;
            tx.factor_verified_at = Some(now);
            advance(tx, user);
            Ok(())
        })
    }

    /// `lifecycle/resend`: another code for the SMS, voice call or email being enrolled.
    pub(crate) fn resend_activation(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            let kind = enrolling_factor(tx, user, factor_id)?.kind;
            if !kind.sends_codes() {
                return Err(ApiError::wrong_state());
            }
            crate::org::codes::send(user, factor_id, now)
        })
    }

    pub(crate) fn send_activation(
        &self,
        state_token: &str,
        factor_id: &str,
        channel: ActivationChannel,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            let factor = enrolling_factor_mut(tx, user, factor_id)?;
            let activation = factor
                .activation
                .as_mut()
                .filter(|activation| now < activation.expires_at && factor.kind == FactorKind::Push)
                .ok_or_else(ApiError::wrong_state)?;
            if let ActivationChannel::Sms { phone_number } = channel {
                if phone_number.trim().is_empty() {
                    return Err(ApiError::validation(
                        "profile.phoneNumber: The field cannot be left blank",
                    ));
                }
                if activation
                    .last_sms_at
                    .is_some_and(|sent| now - sent < SMS_INTERVAL)
                {
                    return Err(ApiError::sms_too_soon());
                }
                activation.last_sms_at = Some(now);
            }
            Ok(())
        })
    }
}

fn new_activation(now: OffsetDateTime, lifetime: std::time::Duration, marker: &str) -> Activation {
    Activation {
        token: crate::org::ids::token("", marker, 20),
        qr_token: crate::org::ids::token("", marker, 24),
        qr_served: false,
        started_at: now,
        expires_at: now + span(lifetime),
        last_sms_at: None,
    }
}

fn enrolling_factor<'u>(
    tx: &Transaction,
    user: &'u User,
    factor_id: &str,
) -> Result<&'u Factor, ApiError> {
    match &tx.stage {
        Stage::MfaEnrollActivate { factor_id: current } if current == factor_id => user
            .factor(factor_id)
            .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)"))),
        _ => Err(ApiError::wrong_state()),
    }
}

fn enrolling_factor_mut<'u>(
    tx: &Transaction,
    user: &'u mut User,
    factor_id: &str,
) -> Result<&'u mut Factor, ApiError> {
    match &tx.stage {
        Stage::MfaEnrollActivate { factor_id: current } if current == factor_id => user
            .factor_mut(factor_id)
            .filter(|factor| !factor.is_active())
            .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)"))),
        _ => Err(ApiError::wrong_state()),
    }
}

/// A question the org offers with an answer Okta would take.
fn question_answer(
    question: Option<&str>,
    answer: Option<&str>,
) -> Result<QuestionAnswer, ApiError> {
    let (key, text) = question
        .and_then(crate::org::questions::find)
        .ok_or_else(|| ApiError::validation("question: The question is not one this org offers"))?;
    let answer = answer.unwrap_or_default();
    if let Some(problem) = crate::org::questions::answer_problem(text, answer) {
        return Err(ApiError::validation(format!("answer: {problem}")));
    }
    Ok(QuestionAnswer {
        key,
        text: text.to_owned(),
        answer: zeroize::Zeroizing::new(answer.trim().to_owned()),
    })
}
