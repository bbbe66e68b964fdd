//! Enrolling a factor and activating it: the QR code and activation link of Okta Verify push
//! (refreshed when it expires, sent by email or SMS), or a TOTP passcode.

use time::OffsetDateTime;

use super::verification::accept_passcode;
use crate::clock::span;
use crate::factors::{Activation, Factor, FactorKind, FactorStatus};
use crate::org::Org;
use crate::transaction::{Stage, Transaction};
use crate::transitions::advance;
use crate::users::User;
use crate::wire::{ApiError, TransactionBody};

/// Okta sends at most one activation SMS per 30 seconds.
const SMS_INTERVAL: time::Duration = time::Duration::seconds(30);

pub(crate) enum ActivationChannel {
    Email,
    Sms { phone_number: String },
}

impl Org {
    pub(crate) fn enroll(
        &self,
        state_token: &str,
        factor_type: &str,
        provider: &str,
    ) -> Result<TransactionBody, ApiError> {
        let lifetime = self.config.activation_lifetime;
        let marker = self.config.token_marker.clone();
        self.step(state_token, |tx, user, now| {
            if tx.stage != Stage::MfaEnroll {
                return Err(ApiError::wrong_state());
            }
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
            let provider = if provider.eq_ignore_ascii_case("GOOGLE") { "GOOGLE" } else { "OKTA" };
            let mut factor = Factor::new(kind, provider);
            factor.activation = Some(new_activation(now, lifetime, &marker));
            tx.stage = Stage::MfaEnrollActivate {
                factor_id: factor.id.clone(),
            };
            user.factors.push(factor);
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

    /// Restarts a push activation (new QR) or completes a TOTP activation with a passcode.
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
                    Ok(())
                }
                FactorKind::Totp => {
                    accept_passcode(factor, passcode, now)?;
                    factor.status = FactorStatus::Active;
                    factor.activation = None;
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    Ok(())
                }
            }
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
        token: crate::ids::token("", marker, 20),
        qr_token: crate::ids::token("", marker, 24),
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
