//! Verifying an enrolled factor: sending an Okta Verify push (and polling it, and resending
//! it), or checking a TOTP passcode.

use time::OffsetDateTime;

use crate::clock::span;
use crate::factors::{Factor, FactorKind};
use crate::org::Org;
use crate::totp::PasscodeCheck;
use crate::transaction::{NumberChallenge, Push, PushResult, Stage};
use crate::transitions::advance;
use crate::wire::{ApiError, TransactionBody};

impl Org {
    pub(crate) fn verify(
        &self,
        state_token: &str,
        factor_id: &str,
        passcode: Option<&str>,
        auto_push: Option<bool>,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        self.poll_step(state_token, |tx, user, now| {
            if !matches!(tx.stage, Stage::MfaRequired | Stage::MfaChallenge { .. }) {
                return Err(ApiError::wrong_state());
            }
            let number_challenge = user.number_challenge;
            let factor = user
                .factors
                .iter_mut()
                .find(|factor| factor.id == factor_id && factor.is_active())
                .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)")))?;
            match factor.kind {
                FactorKind::Push => {
                    if let Some(auto_push) = auto_push {
                        factor.auto_push = auto_push;
                    }
                    let polling = matches!(&tx.stage, Stage::MfaChallenge { factor_id: current } if current == factor_id)
                        && tx
                            .push
                            .as_ref()
                            .is_some_and(|push| {
                                push.factor_id == factor_id
                                    && (push.result == PushResult::Waiting || !push.result_reported)
                            });
                    if !polling {
                        tx.push = Some(new_push(factor_id, now, push_lifetime, number_challenge));
                        tx.stage = Stage::MfaChallenge {
                            factor_id: factor_id.to_owned(),
                        };
                    }
                    Ok(())
                }
                FactorKind::Totp => {
                    accept_passcode(factor, passcode, now)?;
                    tx.push = None;
                    tx.mfa_done = true;
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    Ok(())
                }
            }
        })
    }

    pub(crate) fn resend_push(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        self.step(state_token, |tx, user, now| {
            let is_current = matches!(&tx.stage, Stage::MfaChallenge { factor_id: current } if current == factor_id);
            let is_push = user
                .factor(factor_id)
                .is_some_and(|factor| factor.kind == FactorKind::Push && factor.is_active());
            if !is_current || !is_push {
                return Err(ApiError::wrong_state());
            }
            tx.push = Some(new_push(factor_id, now, push_lifetime, user.number_challenge));
            Ok(())
        })
    }
}

fn new_push(
    factor_id: &str,
    now: OffsetDateTime,
    lifetime: std::time::Duration,
    number_challenge: bool,
) -> Push {
    Push {
        factor_id: factor_id.to_owned(),
        started_at: now,
        expires_at: now + span(lifetime),
        result: PushResult::Waiting,
        challenge: number_challenge.then(NumberChallenge::random),
        waiting_responses: 0,
        result_reported: false,
    }
}

/// Accepts a TOTP passcode sent for `factor` if it is present, right, inside the time window
/// and not used before; its time step then may not be used again.
pub(super) fn accept_passcode(
    factor: &mut Factor,
    passcode: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let passcode = passcode
        .filter(|code| !code.trim().is_empty())
        .ok_or_else(|| ApiError::validation("passCode: The field cannot be left blank"))?;
    let totp = factor.totp.as_mut().ok_or_else(ApiError::wrong_state)?;
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or_default();
    let step = match totp.key.check(passcode, unix, totp.last_used_step) {
        PasscodeCheck::Accepted { step } => step,
        PasscodeCheck::Replayed => return Err(ApiError::passcode_replayed()),
        PasscodeCheck::OutsideWindow => return Err(ApiError::passcode_outside_window()),
        PasscodeCheck::Wrong => return Err(ApiError::invalid_passcode()),
    };
    totp.last_used_step = Some(step);
    Ok(())
}
