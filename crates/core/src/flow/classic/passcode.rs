//! Codes a person types: read from an app or a token, or sent by Okta (SMS, voice call,
//! email), which can be sent again once Okta allows it. What a code looks like, its stage and
//! its countdown are the shared steps' (`steps::code_entry`, `steps::resend`); here is where
//! Classic sends them.

use url::Url;

use super::Classic;
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors;
use crate::flow::steps::{self, CodeAsk, CodeStage, Reply, ResendClock, Switch};
use crate::okta_errors;
use crate::secret::Secret;
use crate::stage::{Activity, CodePurpose, FactorKind, FactorPurpose};
use crate::wire::{EnrollProfile, Factor, Status, StepBody, Transaction};

impl Classic {
    /// Asks for a code (saying why the last one failed); `ResendCode` fits when `resendable`
    /// and Okta allows a new code by now, another factor by `switch`.
    pub(super) async fn ask_code(
        &mut self,
        ask: &CodeAsk,
        resendable: bool,
        switch: &Switch,
        waiting: &str,
    ) -> Step<Reply> {
        let stage = CodeStage {
            resend: resendable
                .then(|| ResendClock::of(&self.factor, self.api.config().code_resend_after)),
            last_error: self.factor.pending_error.take(),
            remember_device: match ask.purpose {
                CodePurpose::Verify => self.remember_offer(),
                CodePurpose::Activate | CodePurpose::Recover => None,
            },
        };
        steps::ask_code(&mut self.io, ask, stage, switch, waiting).await
    }

    /// Checks a typed code, then posts it to `url`; a refused code asks again on the same
    /// step, saying why in words for the factor.
    pub(super) async fn submit_code(
        &mut self,
        tx: &Transaction,
        url: &Url,
        code: Secret,
        ask: &CodeAsk,
    ) -> Step<Transaction> {
        let Some(code) = ask.well_formed(&mut self.factor, &code) else {
            return Ok(tx.clone());
        };
        self.io.working(Activity::VerifyingCode).await?;
        let url = match ask.purpose {
            CodePurpose::Verify => self.remembering(url),
            CodePurpose::Activate | CodePurpose::Recover => url.clone(),
        };
        match self
            .post_state(&url, StepBody::PassCode { pass_code: &code }, Retry::Never)
            .await
        {
            Err(Halt::Error(error)) if okta_errors::is_code_refusal(&error) => {
                ask.refused(&mut self.factor, &error);
                Ok(tx.clone())
            }
            Ok(next) => {
                // Some answers refuse a replayed or stale code with a factorResult instead.
                if let Some(error) = okta_errors::code_refusal(next.factor_result.as_ref()) {
                    self.factor.pending_error = Some(error.info());
                }
                Ok(next)
            }
            other => other,
        }
    }

    /// A code Okta sent (SMS, voice call, email), to verify (MFA_CHALLENGE) or to activate
    /// a new enrollment (MFA_ENROLL_ACTIVATE): asks for it, has it sent again on request, or
    /// goes back to the factor list.
    pub(super) async fn sent_code(
        &mut self,
        tx: Transaction,
        factor: Factor,
        purpose: CodePurpose,
    ) -> Step<Transaction> {
        let (factor_purpose, next_name) = match purpose {
            CodePurpose::Activate => (FactorPurpose::Enroll, "activate"),
            CodePurpose::Verify | CodePurpose::Recover => (FactorPurpose::Verify, "verify"),
        };
        let ask = CodeAsk::new(factors::describe(&factor, factor_purpose), purpose, None);
        let switch = Switch::back_if(tx.links.prev.is_some());
        let resendable = !tx.links.resend.is_empty();
        // Okta sent it on the way into this step.
        self.factor.code_sent_on_entry();
        let waiting = "the sign-in is waiting for the code Okta sent";
        match self.ask_code(&ask, resendable, &switch, waiting).await? {
            Reply::Input(Command::SubmitCode { code }) => {
                let next = self.next_link(&tx, next_name)?;
                self.submit_code(&tx, &next, code, &ask).await
            }
            Reply::Input(Command::ResendCode) => {
                self.resend_code(&tx, &factor, ask.choice.kind).await
            }
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => self.go_back(&tx, Some(key)).await,
        }
    }

    /// Has Okta send the code again through the transaction's `resend` link. Refused (too
    /// soon, say), the step stands and the person is told why.
    pub(super) async fn resend_code(
        &mut self,
        tx: &Transaction,
        factor: &Factor,
        kind: FactorKind,
    ) -> Step<Transaction> {
        let link = tx
            .links
            .resend
            .iter()
            .find(|link| link.is_named(resend_name(kind)))
            .or(tx.links.resend.first())
            .ok_or_else(|| self.api.unexpected_step("no way to send a new code"))?;
        let url = self.api.resolve(link.href.expose())?;
        self.io.working(Activity::SendingCode).await?;
        // An enrollment's resend repeats what was enrolled; a challenge's needs nothing.
        let phone = self.enroll_phone.clone();
        let body = if tx.status == Status::MfaEnrollActivate {
            StepBody::Enroll {
                factor_type: &factor.factor_type,
                provider: &factor.provider,
                profile: phone
                    .as_deref()
                    .filter(|_| matches!(kind, FactorKind::Sms | FactorKind::Call))
                    .map(|phone_number| EnrollProfile::Phone { phone_number }),
                pass_code: None,
            }
        } else {
            StepBody::Empty {}
        };
        let answer = self.post_state(&url, body, Retry::Never).await;
        steps::resent(&self.io, &mut self.factor, answer, tx.clone()).await
    }
}

/// The `resend` link's name for a factor whose codes Okta sends.
fn resend_name(kind: FactorKind) -> &'static str {
    match kind {
        FactorKind::Call => "call",
        FactorKind::Email => "email",
        _ => "sms",
    }
}
