//! Codes a person types: read from an app or a token, or sent by Okta (SMS, voice call,
//! email), which can be sent again once Okta allows it.

use url::Url;

use super::{Classic, recoverable};
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Fit, Halt, Step};
use crate::flow::{factors, naming};
use crate::okta_errors;
use crate::secret::Secret;
use crate::stage::{Activity, CodePurpose, FactorChoice, FactorKind, FactorPurpose, Stage};
use crate::verification_code::{CodeFormat, VerificationCode};
use crate::wire::{EnrollProfile, Factor, Status, StepBody, Transaction};

/// A code being asked for: the factor, what it is for, and what it looks like.
pub(super) struct CodeAsk {
    pub choice: FactorChoice,
    pub purpose: CodePurpose,
    pub format: CodeFormat,
    pub digits: usize,
}

impl CodeAsk {
    /// `key_length` is what a TOTP activation says its codes have.
    pub fn new(choice: FactorChoice, purpose: CodePurpose, key_length: Option<u32>) -> Self {
        let (format, digits) = naming::code_rule(choice.kind, key_length);
        Self {
            choice,
            purpose,
            format,
            digits,
        }
    }
}

impl Classic {
    /// Asks for a code (saying why the last one failed). `SubmitCode` always fits;
    /// `ResendCode` when `resendable` and Okta allows a new code by now; `others` says which
    /// other commands do.
    pub(super) async fn ask_code(
        &mut self,
        ask: &CodeAsk,
        resendable: bool,
        others: impl Fn(&Command) -> Fit,
    ) -> Step<Command> {
        let last_error = self.pending_error.take();
        let sent_at = self.code_sent_at;
        // Okta sends one SMS or call per device every 30 s; OktaDesk asks no sooner (for
        // email too), by `code_resend_after`.
        let resend_after = self.api.config().code_resend_after;
        let wait_left = move || {
            let waited = sent_at.map_or(resend_after, |at| at.elapsed());
            resend_after.saturating_sub(waited).as_secs_f64().ceil() as u64
        };
        self.io
            .emit(Stage::NeedsCode {
                factor: ask.choice.clone(),
                purpose: ask.purpose,
                code_digits: ask.digits,
                code_format: ask.format,
                resend_in_seconds: resendable.then(wait_left),
                last_error,
                remember_device: match ask.purpose {
                    CodePurpose::Verify => self.remember_offer(),
                    CodePurpose::Activate | CodePurpose::Recover => None,
                },
            })
            .await?;
        self.io
            .wait_for(|command| match command {
                Command::SubmitCode { .. } => Ok(()),
                Command::ResendCode if resendable => match wait_left() {
                    0 => Ok(()),
                    left => Err(format!("Okta allows a new code in {left} s")),
                },
                other => others(other),
            })
            .await
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
        // A malformed code never reaches Okta, where it would count as a failed attempt.
        let code = match VerificationCode::parse_as(code.expose(), ask.format, ask.digits) {
            Ok(code) => code.into_secret(),
            Err(error) => {
                self.pending_error = Some(naming::code_refusal(
                    &error,
                    &ask.choice,
                    ask.format,
                    ask.digits,
                ));
                return Ok(tx.clone());
            }
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
                self.pending_error = Some(naming::code_refusal(
                    &error,
                    &ask.choice,
                    ask.format,
                    ask.digits,
                ));
                Ok(tx.clone())
            }
            Ok(next) => {
                // Some answers refuse a replayed or stale code with a factorResult instead.
                if let Some(error) = okta_errors::code_refusal(next.factor_result.as_ref()) {
                    self.pending_error = Some(error.info());
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
        let can_go_back = tx.links.prev.is_some();
        let resendable = !tx.links.resend.is_empty();
        // Okta sent it on the way into this step.
        self.code_sent_at
            .get_or_insert_with(tokio::time::Instant::now);
        let command = self
            .ask_code(&ask, resendable, |command| match command {
                Command::ChooseFactor { .. } if can_go_back => Ok(()),
                _ => Err("the sign-in is waiting for the code Okta sent".into()),
            })
            .await?;
        match command {
            Command::SubmitCode { code } => {
                let next = self.next_link(&tx, next_name)?;
                self.submit_code(&tx, &next, code, &ask).await
            }
            Command::ResendCode => self.resend_code(&tx, &factor, ask.choice.kind).await,
            Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
            _ => unreachable!("filtered by ask_code"),
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
        match self.post_state(&url, body, Retry::Never).await {
            Ok(next) => {
                self.code_sent_at = Some(tokio::time::Instant::now());
                Ok(next)
            }
            Err(Halt::Error(error)) if recoverable(&error) => {
                self.io
                    .emit(Stage::CommandFailed {
                        action: Command::ResendCode.action().into(),
                        error: error.info(),
                    })
                    .await?;
                Ok(tx.clone())
            }
            Err(halt) => Err(halt),
        }
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
