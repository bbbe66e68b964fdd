//! Okta Verify push: waiting for the phone's answer (showing the number to tap when Okta
//! asks for one), and the ways on when the push ends unanswered.

use super::{Classic, PollPurpose, unsupported_result};
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Raced, Step};
use crate::flow::steps::{self, Switch};
use crate::okta_errors;
use crate::stage::{Activity, Stage};
use crate::wire::{Factor, FactorResult, StepBody, Transaction};

impl Classic {
    /// MFA_REQUIRED: sends a push to the factor's `verify` link (with `autoPush` and
    /// `rememberDevice` already set in its query).
    pub(super) async fn send_push(&mut self, url: &url::Url) -> Step<Transaction> {
        self.io.working(Activity::SendingPush).await?;
        self.factor.new_push();
        self.post_state(url, StepBody::Empty {}, Retry::Never).await
    }

    /// MFA_CHALLENGE for a push: poll until the phone answers; say the number to tap when
    /// the phone shows its three.
    pub(super) async fn push_challenge(
        &mut self,
        tx: Transaction,
        factor: Factor,
    ) -> Step<Transaction> {
        let can_go_back = tx.links.prev.is_some();
        let result = tx.factor_result.clone();
        // A result Okta may add one day, sent with the usual way to poll on: the push is
        // still in play, so keep waiting rather than end a sign-in that has a path forward.
        let unknown_but_polling = matches!(&result, Some(FactorResult::Other(_)))
            && tx.links.next.as_ref().is_some_and(|l| l.is_named("poll"));
        if unknown_but_polling && let Some(FactorResult::Other(name)) = &result {
            self.api.note(
                "push result",
                format!(
                    "Okta answered factorResult {name}, unknown to OktaDesk, with a poll link: still waiting"
                ),
            );
        }
        match result {
            Some(FactorResult::Waiting) | None => self.push_waiting(tx, factor).await,
            Some(FactorResult::Other(_)) if unknown_but_polling => {
                self.push_waiting(tx, factor).await
            }
            Some(result) if okta_errors::push_can_be_sent_again(&result) => {
                self.push_ended(&tx, &result, can_go_back).await
            }
            // Unknown, with no poll but a way to send again or go back: the push ended.
            Some(result @ FactorResult::Other(_)) if can_go_back || !tx.links.resend.is_empty() => {
                self.push_ended(&tx, &result, can_go_back).await
            }
            other => Err(unsupported_result("push", other.as_ref())),
        }
    }

    /// The push is out and unanswered: say so (and the number to tap once the phone shows
    /// its three), then poll.
    async fn push_waiting(&mut self, tx: Transaction, factor: Factor) -> Step<Transaction> {
        let can_go_back = tx.links.prev.is_some();
        let device_name = factor.profile.as_ref().and_then(|p| p.name.clone());
        // The number can appear on any poll, once the phone shows its three numbers.
        let number = factor
            .embedded
            .challenge
            .as_ref()
            .and_then(|c| c.correct_answer);
        let remember = self.remember_offer();
        steps::announce_push(&self.io, &mut self.factor, device_name, number, remember).await?;
        self.check_not_expired(&tx)?;
        let poll = self.next_link(&tx, "poll")?;
        let switch = Switch::back_if(can_go_back);
        let waiting = "the sign-in is waiting for the push to be answered";
        let fits = steps::input_or_switch(&switch, waiting, |_| None);
        let event = self.poll(&poll, PollPurpose::Verification, fits).await?;
        match event {
            Raced::Finished(next) => Ok(next),
            Raced::Interrupted(Command::ChooseFactor { key }) => self.go_back(&tx, Some(key)).await,
            Raced::Interrupted(_) => unreachable!("filtered by poll"),
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
            .ok_or_else(|| self.api.unexpected_step("no way to send a new push"))?;
        let url = self.api.resolve(resend.href.expose())?;
        self.factor.new_push();
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }
}
