//! Verifying an enrolled factor: sending an Okta Verify push (and polling it, and resending
//! it), checking an app's or a token's passcode, sending a code by SMS, voice call or email
//! (and checking it), or checking a security question's answer.

use time::OffsetDateTime;

use crate::classic::transaction::Stage;
use crate::classic::transitions::advance;
use crate::org::clock::span;
use crate::org::factors::{Factor, FactorKind};
use crate::org::push::{NumberChallenge, Push, PushResult};
use crate::org::totp::PasscodeCheck;
use crate::state::Org;
use crate::wire::{ApiError, TransactionBody};

/// The query of a verify (and of the poll, which shares its URL).
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyOptions {
    pub auto_push: Option<bool>,
    pub remember_device: Option<bool>,
}

impl Org {
    pub(crate) fn verify(
        &self,
        state_token: &str,
        factor_id: &str,
        proof: Proof<'_>,
        query: VerifyOptions,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        let auto_push = query.auto_push;
        if let Some(remember) = query.remember_device {
            // Read before the step runs: the poll that finds the push approved may not run it.
            self.note_remember_device(state_token, remember);
        }
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
                    return Ok(());
                }
                FactorKind::Totp | FactorKind::Google | FactorKind::Token => {
                    accept_passcode(factor, proof.passcode, now)?;
                }
                FactorKind::Sms | FactorKind::Call | FactorKind::Email => {
                    if proof.passcode.is_none() {
                        // No code yet: send one, and wait for it in MFA_CHALLENGE.
                        crate::org::codes::send(user, factor_id, now)?;
                        tx.push = None;
                        tx.stage = Stage::MfaChallenge {
                            factor_id: factor_id.to_owned(),
                        };
                        return Ok(());
                    }
                    crate::org::sent_code::accept(&mut factor.sent_code, proof.passcode, now)?;
                }
                FactorKind::Question => {
                    let answer = proof
                        .answer
                        .filter(|answer| !answer.trim().is_empty())
                        .ok_or_else(|| ApiError::validation("answer: The field cannot be left blank"))?;
                    let right = factor
                        .question
                        .as_ref()
                        .is_some_and(|question| question.matches(answer));
                    if !right {
                        return Err(ApiError::invalid_answer());
                    }
                }
                FactorKind::WebAuthn | FactorKind::U2f | FactorKind::Duo => {
                    return Err(ApiError::validation(format!(
                        "factorType: {} is verified in a browser on this demo org",
                        factor.kind.factor_type()
                    )));
                }
            }
            tx.push = None;
            tx.mfa_done = true;
            tx.factor_verified_at = Some(now);
            advance(tx, user);
            Ok(())
        })
    }

    /// `verify/resend`: a new push, or a new code by SMS, voice call or email.
    pub(crate) fn resend_challenge(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        self.step(state_token, |tx, user, now| {
            let is_current = matches!(&tx.stage, Stage::MfaChallenge { factor_id: current } if current == factor_id);
            let kind = user
                .factor(factor_id)
                .filter(|factor| factor.is_active())
                .map(|factor| factor.kind);
            match kind {
                Some(FactorKind::Push) if is_current => {
                    tx.push = Some(new_push(factor_id, now, push_lifetime, user.number_challenge));
                    Ok(())
                }
                Some(kind) if is_current && kind.sends_codes() => {
                    crate::org::codes::send(user, factor_id, now)
                }
                _ => Err(ApiError::wrong_state()),
            }
        })
    }
}

/// What a verification carries: a passcode, or a security question's answer.
#[derive(Clone, Copy, Default)]
pub(crate) struct Proof<'a> {
    pub passcode: Option<&'a str>,
    pub answer: Option<&'a str>,
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
