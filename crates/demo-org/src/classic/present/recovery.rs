//! The Classic self-service recovery answers, shaped as Okta's recordings show them:
//! `RECOVERY_CHALLENGE` for an email (no state token: okta-auth-swift
//! `Tests/Resources/RECOVERY_CHALLENGE_EMAIL`, okta-signin-widget `RECOVERY_CHALLENGE_EMAIL_PWD`)
//! and for a text or call (`recovery-challenge-sms-pwd.json`, `RECOVERY_CHALLENGE_CALL_UNLOCK`),
//! `RECOVERY` with the question (`recovery-password.json`), `PASSWORD_RESET` with the policy
//! (`recovery-answer.json`), and an unlock's `SUCCESS` (`SUCCESS_UNLOCK`, `SUCCESS_unlock`).

use super::Presenter;
use crate::classic::transaction::{Stage, Transaction};
use crate::org::password_policy::ORG_POLICY;
use crate::org::recovery::{Recovery, RecoveryType};
use crate::org::users::User;
use crate::wire::{
    Embedded, Links, PasswordAge, PasswordComplexity, PasswordExpiration, PasswordPolicyBody,
    Policy, RecoveryQuestionBody, Timestamp, TransactionBody,
};

impl Presenter<'_> {
    /// The answer to an emailed recovery: the email is out, nothing to continue with here.
    /// The same whether or not the user exists, so it tells nobody who has an account.
    pub(crate) fn recovery_email_sent(
        &self,
        kind: RecoveryType,
        relay_state: Option<String>,
    ) -> TransactionBody {
        TransactionBody {
            status: "RECOVERY_CHALLENGE",
            factor_result: Some("WAITING"),
            factor_type: Some("EMAIL"),
            recovery_type: Some(kind.as_wire()),
            relay_state,
            ..TransactionBody::default()
        }
    }

    /// A recovery transaction's answer, or `None` for a sign-in.
    pub(super) fn recovery(&self, tx: &Transaction, user: &User) -> Option<TransactionBody> {
        let recovery = tx.recovery.as_ref()?;
        let mut body = TransactionBody {
            state_token: Some(tx.state_token.clone()),
            expires_at: Some(Timestamp(tx.expires_at)),
            recovery_type: Some(recovery.kind.as_wire()),
            relay_state: recovery.relay_state.clone(),
            ..TransactionBody::default()
        };
        let mut links = Links::new();
        links.insert("cancel", Self::one(self.post("/api/v1/authn/cancel")));
        match &tx.stage {
            Stage::RecoveryChallenge { .. } => {
                let factor = recovery.factor_type.unwrap_or("SMS");
                body.status = "RECOVERY_CHALLENGE";
                body.factor_type = Some(factor);
                links.insert(
                    "next",
                    Self::one(
                        self.post(&format!("/api/v1/authn/recovery/factors/{factor}/verify"))
                            .named("verify"),
                    ),
                );
                // Okta names a text's resend `sms` and a call's `CALL`.
                let resend_name = if factor == "SMS" { "sms" } else { "CALL" };
                links.insert(
                    "resend",
                    Self::one(
                        self.post(&format!("/api/v1/authn/recovery/factors/{factor}/resend"))
                            .named(resend_name),
                    ),
                );
            }
            Stage::RecoveryQuestion => {
                body.status = "RECOVERY";
                let mut shown = self.user(user);
                shown.recovery_question =
                    user.recovery_question
                        .as_ref()
                        .map(|question| RecoveryQuestionBody {
                            question: question.text.to_owned(),
                        });
                body.embedded = Some(Embedded {
                    user: Some(shown),
                    ..Embedded::default()
                });
                links.insert(
                    "next",
                    Self::one(self.post("/api/v1/authn/recovery/answer").named("answer")),
                );
            }
            Stage::PasswordReset => {
                body.status = "PASSWORD_RESET";
                body.embedded = Some(Embedded {
                    user: Some(self.user(user)),
                    policy: Some(reset_policy()),
                    ..Embedded::default()
                });
                links.insert(
                    "next",
                    Self::one(
                        self.post("/api/v1/authn/credentials/reset_password")
                            .named("resetPassword"),
                    ),
                );
            }
            Stage::Unlocked => return Some(self.unlocked(tx, user, recovery)),
            // A recovery that reset the password goes on as a sign-in.
            _ => return None,
        }
        body.links = links;
        Some(body)
    }

    /// `SUCCESS` with `recoveryType: UNLOCK`: no state or session token, the user may sign
    /// in again with the password they have.
    fn unlocked(&self, tx: &Transaction, user: &User, recovery: &Recovery) -> TransactionBody {
        TransactionBody {
            expires_at: Some(Timestamp(tx.expires_at)),
            status: "SUCCESS",
            recovery_type: Some(RecoveryType::Unlock.as_wire()),
            relay_state: recovery.relay_state.clone(),
            embedded: Some(Embedded {
                user: Some(self.user(user)),
                ..Embedded::default()
            }),
            ..TransactionBody::default()
        }
    }
}

/// The password policy as `PASSWORD_RESET` shows it.
fn reset_policy() -> Policy {
    Policy::Password(PasswordPolicyBody {
        expiration: Some(PasswordExpiration {
            password_expire_days: 0,
        }),
        complexity: PasswordComplexity {
            min_length: ORG_POLICY.min_length,
            min_lower_case: ORG_POLICY.min_lower_case,
            min_upper_case: ORG_POLICY.min_upper_case,
            min_number: ORG_POLICY.min_number,
            min_symbol: ORG_POLICY.min_symbol,
            exclude_username: ORG_POLICY.exclude_username,
        },
        age: Some(PasswordAge {
            min_age_minutes: ORG_POLICY.min_age_minutes,
            history_count: ORG_POLICY.history_count,
        }),
    })
}
