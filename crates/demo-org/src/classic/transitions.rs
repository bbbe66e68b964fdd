//! How a transaction moves between stages: where its user and its flags send it next, and
//! what time and the auto-approving phone did since it was last seen. Pure functions over a
//! transaction and its user, so the steps and the presenter agree on one set of rules.

use time::OffsetDateTime;

use crate::classic::transaction::{Stage, Transaction};
use crate::org::clock::span;
use crate::org::factors::{DEMO_PHONE, FactorKind};
use crate::org::push::PushResult;
use crate::org::users::{Enrollment, PasswordState, User};

pub(crate) fn enrollment_skippable(tx: &Transaction, user: &User) -> bool {
    tx.enrolling && !missing_required_enrollment(user)
}

/// A factor the policy requires is not set up, or none is at all: MFA needs one.
fn missing_required_enrollment(user: &User) -> bool {
    user.active_factors().next().is_none()
        || user.enrollment_policy.iter().any(|(kind, enrollment)| {
            *enrollment == Enrollment::Required && !user.has_active(*kind)
        })
}

/// Moves a transaction to the stage its user and flags call for now.
pub(crate) fn advance(tx: &mut Transaction, user: &User) {
    if user.mfa_required && !tx.mfa_done {
        if !tx.enrolling && user.active_factors().next().is_some() {
            tx.stage = Stage::MfaRequired;
            return;
        }
        tx.enrolling = true;
        let optional_left = tx.multi_optional_factor_enroll
            && !tx.optional_enrollment_skipped
            && user.enrollment_policy.iter().any(|(kind, enrollment)| {
                *enrollment == Enrollment::Optional && !user.has_active(*kind)
            });
        if missing_required_enrollment(user) || optional_left {
            tx.stage = Stage::MfaEnroll;
            return;
        }
        tx.mfa_done = true;
    }
    tx.stage = match user.password_state {
        PasswordState::Expired if !tx.password_settled => Stage::PasswordExpired,
        PasswordState::Warn { .. } if tx.warn_before_password_expired && !tx.password_settled => {
            Stage::PasswordWarn
        }
        _ => Stage::Success,
    };
}

/// Applies what time (and the auto-approving phone) did since the transaction was last seen:
/// activations completed or expired, pushes answered or timed out.
pub(crate) fn refresh(
    tx: &mut Transaction,
    user: &mut User,
    now: OffsetDateTime,
    auto_approve: Option<std::time::Duration>,
) -> bool {
    let before = tx.stage.clone();
    match tx.stage.clone() {
        Stage::MfaEnrollActivate { factor_id } => {
            let Some(factor) = user.factor_mut(&factor_id) else {
                return false;
            };
            if let (Some(delay), Some(activation)) = (auto_approve, &factor.activation) {
                let answered_at = activation.started_at + span(delay);
                if factor.kind == FactorKind::Push
                    && now >= answered_at
                    && answered_at < activation.expires_at
                {
                    factor.activate_on(DEMO_PHONE);
                }
            }
            if factor.is_active() {
                tx.factor_verified_at = Some(now);
                advance(tx, user);
            }
        }
        Stage::MfaChallenge { .. } => {
            let Some(push) = tx.push.as_mut() else {
                return false;
            };
            push.settle(now, auto_approve);
            if push.result == PushResult::Approved {
                tx.push = None;
                tx.mfa_done = true;
                tx.factor_verified_at = Some(now);
                advance(tx, user);
            }
        }
        _ => {}
    }
    tx.stage != before
}
