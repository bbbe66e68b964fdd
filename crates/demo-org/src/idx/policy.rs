//! The org's Identity Engine policy: where an IDX transaction goes next once its user, the
//! authenticators they have and what they proved so far are known; and what time and the
//! auto-approving phone did since the transaction was last seen. Pure functions over a
//! transaction and its user, so the steps, the presenter and the phone agree on one set of
//! rules.
//!
//! The order, as on an org with password-then-MFA policies: the password (its own
//! `challenge-authenticator` after `identify`), then a second authenticator (or enrolling
//! one, when the policy wants one the user lacks), then an expired or expiring password,
//! then the org's post-sign-in prompt when it has one, then success.

use time::OffsetDateTime;

use super::authenticators::{enrollment_required, missing_enrollments, second_factors};
use super::store::{IdxTransaction, Stage};
use crate::org::clock::span;
use crate::org::factors::{DEMO_PHONE, FactorKind};
use crate::org::push::PushResult;
use crate::org::users::{PasswordState, User};

/// Moves a transaction to the stage its user and what they proved call for now.
pub(crate) fn advance(tx: &mut IdxTransaction, user: &User) {
    tx.stage = next_stage(tx, user);
}

fn next_stage(tx: &mut IdxTransaction, user: &User) -> Stage {
    if tx.password_verified_at.is_none() {
        return Stage::ChallengePassword;
    }
    if user.mfa_required && !tx.mfa_done {
        let verifiable = second_factors(user)
            .iter()
            .any(|enrollment| !enrollment.authenticator.browser_only());
        if !tx.enrolling && verifiable {
            return Stage::SelectAuthenticate;
        }
        tx.enrolling = true;
        let optional_left = !tx.optional_enrollment_skipped
            && missing_enrollments(user)
                .iter()
                .any(|(authenticator, _)| !authenticator.browser_only());
        if enrollment_required(user) || optional_left {
            return Stage::SelectEnroll;
        }
        tx.mfa_done = true;
        tx.earned("mfa");
    }
    match user.password_state {
        PasswordState::Expired if !tx.password_settled => Stage::ReenrollPassword { expired: true },
        PasswordState::Warn { .. } if !tx.password_settled => {
            Stage::ReenrollPassword { expired: false }
        }
        // Asked after the factors unless `identify` already said to stay signed in.
        _ if tx.keep_me_signed_in_prompt && !tx.keep_signed_in => Stage::KeepMeSignedIn,
        _ => Stage::Success,
    }
}

/// Records a second factor verified (or enrolled) and moves on.
pub(crate) fn second_factor_done(
    tx: &mut IdxTransaction,
    user: &User,
    kind: FactorKind,
    now: OffsetDateTime,
) {
    tx.push = None;
    tx.qr_data_url = None;
    tx.factor_verified_at = Some(now);
    tx.earned(amr_of(kind));
    if !tx.enrolling {
        tx.mfa_done = true;
        tx.earned("mfa");
    }
    advance(tx, user);
}

/// The `amr` value a factor earns, as Okta's tokens say it.
pub(crate) fn amr_of(kind: FactorKind) -> &'static str {
    match kind {
        FactorKind::Push | FactorKind::Totp => "okv",
        FactorKind::Sms => "sms",
        FactorKind::Call => "tel",
        FactorKind::Email => "email",
        FactorKind::Question => "kba",
        FactorKind::WebAuthn | FactorKind::U2f => "hwk",
        _ => "otp",
    }
}

/// Applies what time (and the auto-approving phone) did since the transaction was last seen:
/// an Okta Verify activation completed, a push answered or timed out.
pub(crate) fn refresh(
    tx: &mut IdxTransaction,
    user: &mut User,
    now: OffsetDateTime,
    auto_approve: Option<std::time::Duration>,
) {
    match tx.stage.clone() {
        Stage::EnrollOktaVerify { factor_id, .. } => {
            let Some(factor) = user.factor_mut(&factor_id) else {
                return;
            };
            if let (Some(delay), Some(activation)) = (auto_approve, &factor.activation) {
                let answered_at = activation.started_at + span(delay);
                if now >= answered_at && answered_at < activation.expires_at {
                    factor.activate_on(DEMO_PHONE);
                }
            }
            // A phone without biometrics is refused at the next `enroll-poll` instead.
            if factor.is_active() && !tx.okta_verify_requires_biometrics {
                second_factor_done(tx, user, FactorKind::Push, now);
            }
        }
        Stage::PushPoll { .. } => {
            let Some(push) = tx.push.as_mut() else {
                return;
            };
            push.settle(now, auto_approve);
            if push.result == PushResult::Approved {
                second_factor_done(tx, user, FactorKind::Push, now);
            }
        }
        _ => {}
    }
}
