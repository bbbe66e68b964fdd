//! Picking a factor, and the ways away from one: trying again after an attempt ended, and
//! the browser for a factor OktaDesk cannot do.

use super::Classic;
use crate::error::ErrorInfo;
use crate::flow::command::Command;
use crate::flow::conversation::Step;
use crate::flow::factors::{self, Offered, PickRules};
use crate::flow::steps::{self, ChoiceAsk, Reply, Switch};
use crate::stage::{FactorChoice, FactorPurpose, Stage};
use crate::wire::Transaction;

impl Classic {
    /// The factor to use: picked by the rules, or by the person from a list. `None` when
    /// they chose to skip (only offered when `can_skip`).
    pub(super) async fn choose(
        &mut self,
        offered: &[Offered],
        purpose: FactorPurpose,
        can_skip: bool,
        tx: &Transaction,
    ) -> Step<Option<usize>> {
        let choices: Vec<_> = offered.iter().map(|(choice, _)| choice.clone()).collect();
        let pending = self.factor.pending_choice.take();
        let rules = PickRules {
            pending: pending.as_deref(),
            preferred: self.options.preferred_factor,
            auto_push: self.options.auto_push,
        };
        let policy = tx.embedded.policy.as_ref();
        let org_auto_push = |choice: &FactorChoice| {
            policy
                .and_then(|p| p.factors_policy_info.get(&choice.key))
                .and_then(|info| info.auto_push_enabled)
                .unwrap_or(false)
        };
        if let Some(index) = factors::auto_pick(&choices, purpose, can_skip, rules, org_auto_push) {
            return Ok(Some(index));
        }
        let ask = ChoiceAsk {
            purpose,
            can_skip,
            last_error: None,
            remember_device: match purpose {
                FactorPurpose::Verify => self.remember_offer(),
                FactorPurpose::Enroll | FactorPurpose::Recover | FactorPurpose::Unlock => None,
            },
        };
        steps::ask_factor_choice(&mut self.io, ask, offered).await
    }

    /// Shows `ended` (an attempt that ended unanswered: an expired QR code, a push not
    /// approved) and waits for the person to try `again` or, when `can_go_back`, to pick
    /// another factor: `Some(key)` then.
    pub(super) async fn again_or_another(
        &mut self,
        ended: Stage,
        again: impl Fn(&Command) -> bool,
        waiting: &'static str,
        can_go_back: bool,
    ) -> Step<Option<String>> {
        self.io.emit(ended).await?;
        let switch = Switch::back_if(can_go_back);
        let reply = steps::await_input(&mut self.io, &switch, waiting, |command| {
            again(command).then_some(Ok(()))
        })
        .await?;
        Ok(match reply {
            Reply::Switch(key) => Some(key),
            Reply::Input(_) => None,
        })
    }

    /// Starting the factor `retry_key` failed in a way that leaves the list standing (a code
    /// sent too soon): says why, then waits for a factor from `offered`, or `resend_code` to
    /// try the same one again. Returns the transaction to pick from.
    pub(super) async fn retry_or_another(
        &mut self,
        tx: Transaction,
        offered: &[Offered],
        retry_key: &str,
        action: &str,
        error: ErrorInfo,
    ) -> Step<Transaction> {
        self.io
            .emit(Stage::CommandFailed {
                action: action.to_owned(),
                error,
            })
            .await?;
        let command = self
            .io
            .wait_for(|command| match command {
                Command::ChooseFactor { key } => factors::check_key(offered, key),
                Command::ResendCode => Ok(()),
                _ => Err("the sign-in is waiting for a factor choice".into()),
            })
            .await?;
        self.factor.pending_choice = Some(match command {
            Command::ChooseFactor { key } => key,
            _ => retry_key.to_owned(),
        });
        Ok(tx)
    }

    /// Only the browser can go on with `factor` (or, with `None`, with what the org
    /// requires): says so with the org's sign-in page, then waits for cancel or, when
    /// `allow_another`, for another factor from `offered` (its key is returned).
    pub(super) async fn continue_in_browser(
        &mut self,
        factor: Option<FactorChoice>,
        offered: &[Offered],
        allow_another: bool,
    ) -> Step<String> {
        let can_choose_another =
            allow_another && offered.iter().any(|(choice, _)| !choice.needs_browser);
        let message = browser_message(factor.as_ref(), offered, can_choose_another);
        let switch = if can_choose_another {
            Switch::among(offered.iter().map(|(choice, _)| choice.key.as_str()))
        } else {
            Switch::Closed
        };
        steps::continue_in_browser(&mut self.io, self.api.org(), factor, message, &switch).await
    }
}

/// Why the browser is needed, and what to do there.
fn browser_message(
    factor: Option<&FactorChoice>,
    offered: &[Offered],
    can_choose_another: bool,
) -> String {
    match factor {
        Some(factor) => steps::cannot_use_message(factor, can_choose_another),
        None => {
            let required: Vec<&str> = factors::required_needing_browser(offered)
                .iter()
                .map(|choice| choice.label.as_str())
                .collect();
            format!(
                "Your organization requires {}, which OktaDesk cannot set up: it needs a web browser. Open your organization's sign-in page in the browser to set it up, then sign in here again.",
                required.join(" and ")
            )
        }
    }
}
