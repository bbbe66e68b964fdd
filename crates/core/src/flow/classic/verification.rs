//! MFA_REQUIRED and MFA_CHALLENGE: pick an enrolled factor, then wait for the push to be
//! answered (showing the number to tap) or take a code.

use url::Url;

use super::{Classic, unsupported_factors, unsupported_result};
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Fit, Halt, Raced, Step};
use crate::flow::factors;
use crate::okta_errors;
use crate::secret::Secret;
use crate::stage::{Activity, CodePurpose, FactorChoice, FactorKind, FactorPurpose, Stage};
use crate::verification_code::{CODE_DIGITS, VerificationCode};
use crate::wire::{FactorResult, Status, StepBody, Transaction};

impl Classic {
    /// MFA_REQUIRED: pick an enrolled factor and start verifying it.
    pub(super) async fn verify(&mut self, tx: Transaction) -> Step<Transaction> {
        let offered = factors::verify_choices(&tx);
        if offered.is_empty() {
            return Err(unsupported_factors("verify", &tx));
        }
        let Some(picked) = self
            .choose(&offered, FactorPurpose::Verify, false, &tx)
            .await?
        else {
            unreachable!("verification offers no skip");
        };
        let (choice, factor) = &offered[picked];
        let verify = factor
            .links
            .verify
            .as_ref()
            .ok_or_else(|| self.unexpected("a factor without its verify link"))?;
        let mut url = self.api.resolve(verify.href.expose())?;
        match choice.kind {
            FactorKind::Push => {
                set_query(&mut url, "autoPush", self.options.auto_push);
                set_query(&mut url, "rememberDevice", self.options.remember_device);
                self.io.working(Activity::SendingPush).await?;
                self.push_announced = false;
                self.last_number = None;
                self.post_state(&url, StepBody::Empty {}, Retry::Never)
                    .await
            }
            FactorKind::Totp => {
                set_query(&mut url, "rememberDevice", self.options.remember_device);
                let others = offered.len() > 1;
                let command = self
                    .ask_code(
                        choice.clone(),
                        CodePurpose::Verify,
                        |command| match command {
                            Command::ChooseFactor { key } if others => {
                                factors::check_key(&offered, key)
                            }
                            _ => Err("the sign-in is waiting for a code".into()),
                        },
                    )
                    .await?;
                match command {
                    Command::SubmitCode { code } => {
                        // Asked again after a wrong code: stay on this factor.
                        self.pending_choice = Some(choice.key.clone());
                        let next = self.submit_code(&tx, &url, code).await?;
                        if next.status != Status::MfaRequired {
                            self.pending_choice = None;
                        }
                        Ok(next)
                    }
                    Command::ChooseFactor { key } => {
                        self.pending_choice = Some(key);
                        Ok(tx)
                    }
                    _ => unreachable!("filtered by ask_code"),
                }
            }
        }
    }

    /// MFA_CHALLENGE: a push waiting for the phone, or a code to type.
    pub(super) async fn challenge(&mut self, tx: Transaction) -> Step<Transaction> {
        let (factor, kind) = self.embedded_factor(&tx, "a challenge", "verifying")?;
        let can_go_back = tx.links.prev.is_some();

        if kind == FactorKind::Totp {
            let choice = factors::describe(&factor, kind, FactorPurpose::Verify);
            let command = self
                .ask_code(choice, CodePurpose::Verify, |command| match command {
                    Command::ChooseFactor { .. } if can_go_back => Ok(()),
                    _ => Err("the sign-in is waiting for a code".into()),
                })
                .await?;
            return match command {
                Command::SubmitCode { code } => {
                    let next = self.next_link(&tx, "verify")?;
                    self.submit_code(&tx, &next, code).await
                }
                Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                _ => unreachable!("filtered by ask_code"),
            };
        }

        let device_name = factor.profile.as_ref().and_then(|p| p.name.clone());
        match tx.factor_result.clone() {
            Some(FactorResult::Waiting) | None => {
                if !self.push_announced {
                    self.push_announced = true;
                    self.io
                        .emit(Stage::PushSent {
                            device_name: device_name.clone(),
                        })
                        .await?;
                }
                // The number can appear on any poll, once the phone shows its three numbers.
                let number = factor
                    .embedded
                    .challenge
                    .as_ref()
                    .and_then(|c| c.correct_answer);
                if let Some(number) = number.filter(|n| Some(*n) != self.last_number) {
                    self.last_number = Some(number);
                    self.io
                        .emit(Stage::NumberChallenge {
                            number,
                            device_name: device_name.clone(),
                        })
                        .await?;
                }
                self.check_not_expired(&tx)?;
                let poll = self.next_link(&tx, "poll")?;
                let event = self
                    .poll(&poll, |command| match command {
                        Command::ChooseFactor { .. } if can_go_back => Ok(()),
                        _ => Err("the sign-in is waiting for the push to be answered".into()),
                    })
                    .await?;
                match event {
                    Raced::Finished(next) => Ok(next),
                    Raced::Interrupted(Command::ChooseFactor { key }) => {
                        self.go_back(&tx, Some(key)).await
                    }
                    Raced::Interrupted(_) => unreachable!("filtered by poll"),
                }
            }
            Some(result) if okta_errors::push_can_be_sent_again(&result) => {
                self.push_ended(&tx, &result, can_go_back).await
            }
            other => Err(unsupported_result("push", other.as_ref())),
        }
    }

    /// The push was rejected or timed out: send a new one, or pick another factor.
    async fn push_ended(
        &mut self,
        tx: &Transaction,
        result: &FactorResult,
        can_go_back: bool,
    ) -> Step<Transaction> {
        let error = okta_errors::push_refusal(result, tx.factor_result_message.as_deref());
        let ended = if *result == FactorResult::Timeout {
            Stage::PushTimedOut { error }
        } else {
            // Rejected, errored or cancelled: the same ways on (a new push, another factor).
            Stage::PushRejected { error }
        };
        let again = |command: &Command| matches!(command, Command::ResendPush);
        let waiting = "the push has ended; send a new one first";
        if let Some(key) = self
            .again_or_another(ended, again, waiting, can_go_back)
            .await?
        {
            return self.go_back(tx, Some(key)).await;
        }
        self.io.working(Activity::SendingPush).await?;
        let resend = tx
            .links
            .resend
            .iter()
            .find(|link| link.is_named("push"))
            .or(tx.links.resend.first())
            .or(tx
                .links
                .next
                .as_ref()
                .filter(|link| link.is_named("verify")))
            .ok_or_else(|| self.unexpected("no way to send a new push"))?;
        let url = self.api.resolve(resend.href.expose())?;
        self.push_announced = false;
        self.last_number = None;
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }

    /// Asks for a code for `factor` (saying why the last one failed); `SubmitCode` always
    /// fits, `others` says which other commands do.
    pub(super) async fn ask_code(
        &mut self,
        factor: FactorChoice,
        purpose: CodePurpose,
        others: impl Fn(&Command) -> Fit,
    ) -> Step<Command> {
        let last_error = self.pending_error.take();
        self.io
            .emit(Stage::NeedsCode {
                factor,
                purpose,
                code_digits: CODE_DIGITS,
                last_error,
            })
            .await?;
        self.io
            .wait_for(|command| match command {
                Command::SubmitCode { .. } => Ok(()),
                other => others(other),
            })
            .await
    }

    /// Checks a typed code, then posts it; a refused code asks again on the same step.
    pub(super) async fn submit_code(
        &mut self,
        tx: &Transaction,
        url: &Url,
        code: Secret,
    ) -> Step<Transaction> {
        // A malformed code never reaches Okta, where it would count as a failed attempt.
        let code = match VerificationCode::parse(code.expose()) {
            Ok(code) => code.into_secret(),
            Err(error) => {
                self.pending_error = Some(error.info());
                return Ok(tx.clone());
            }
        };
        self.io.working(Activity::VerifyingCode).await?;
        match self
            .post_state(url, StepBody::PassCode { pass_code: &code }, Retry::Never)
            .await
        {
            Err(Halt::Error(error)) if okta_errors::is_code_refusal(&error) => {
                self.pending_error = Some(error.info());
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
}

/// Sets `key` to `value` in the query, replacing what Okta put there.
fn set_query(url: &mut Url, key: &str, value: bool) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != key)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let mut pairs = url.query_pairs_mut();
    pairs.clear();
    for (name, value) in &kept {
        pairs.append_pair(name, value);
    }
    pairs.append_pair(key, if value { "true" } else { "false" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_query_replaces_a_flag() {
        let mut url = Url::parse("https://a.okta.com/v?autoPush=true&x=1").unwrap();
        set_query(&mut url, "autoPush", false);
        set_query(&mut url, "rememberDevice", true);
        assert_eq!(url.query(), Some("x=1&autoPush=false&rememberDevice=true"));
    }
}
