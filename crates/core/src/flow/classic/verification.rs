//! MFA_REQUIRED and MFA_CHALLENGE: pick an enrolled factor, then verify it the way its kind
//! asks: a push, a code typed or sent, a security question, or the browser.

use url::Url;

use super::Classic;
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::{self, Offered};
use crate::flow::remember_device::set_query;
use crate::flow::steps::{self, CodeAsk, Reply, Switch};
use crate::stage::{Activity, CodePurpose, FactorChoice, FactorKind, FactorPurpose};
use crate::wire::{Factor, Status, StepBody, Transaction};

impl Classic {
    /// MFA_REQUIRED: pick an enrolled factor and start verifying it.
    pub(super) async fn verify(&mut self, tx: Transaction) -> Step<Transaction> {
        let offered = factors::verify_choices(&tx);
        if offered.is_empty() {
            return Err(self
                .api
                .unexpected_step("a request for verification without a factor to verify")
                .into());
        }
        self.factor.no_code_sent();
        let Some(picked) = self
            .choose(&offered, FactorPurpose::Verify, false, &tx)
            .await?
        else {
            unreachable!("verification offers no skip");
        };
        let (choice, factor) = offered[picked].clone();
        if choice.needs_browser {
            let key = self
                .continue_in_browser(Some(choice), &offered, true)
                .await?;
            self.factor.pending_choice = Some(key);
            return Ok(tx);
        }
        let verify = factor
            .links
            .verify
            .as_ref()
            .ok_or_else(|| self.api.unexpected_step("a factor without its verify link"))?;
        let mut url = self.api.resolve(verify.href.expose())?;
        if choice.kind == FactorKind::Push {
            set_query(&mut url, "autoPush", self.options.auto_push);
        }
        let url = self.remembering(&url);
        match choice.kind {
            FactorKind::Push => self.send_push(&url).await,
            FactorKind::Sms | FactorKind::Call | FactorKind::Email => {
                self.send_code(tx, &url, &offered, &choice).await
            }
            FactorKind::Question => self.answer_question(tx, &url, &factor, &offered).await,
            _ => self.typed_code(tx, &url, &factor, &offered).await,
        }
    }

    /// MFA_CHALLENGE: the factor in play, verified the way its kind asks.
    pub(super) async fn challenge(&mut self, tx: Transaction) -> Step<Transaction> {
        let (factor, kind) = self.embedded_factor(&tx, "a challenge")?;
        match kind {
            FactorKind::Push => self.push_challenge(tx, factor).await,
            FactorKind::Sms | FactorKind::Call | FactorKind::Email => {
                self.sent_code(tx, factor, CodePurpose::Verify).await
            }
            _ => self.challenge_by_code(tx, factor).await,
        }
    }

    /// MFA_REQUIRED, SMS, voice call or email: `verify` without a code has Okta send one;
    /// the MFA_CHALLENGE that comes back takes it. Sent too soon, the list stands, and
    /// `resend_code` tries again.
    async fn send_code(
        &mut self,
        tx: Transaction,
        url: &Url,
        offered: &[Offered],
        choice: &FactorChoice,
    ) -> Step<Transaction> {
        self.io.working(Activity::SendingCode).await?;
        match self.post_state(url, StepBody::Empty {}, Retry::Never).await {
            Ok(next) => {
                self.factor.code_sent_now();
                Ok(next)
            }
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                let action = format!("Sending a code ({})", choice.label);
                self.retry_or_another(tx, offered, &choice.key, &action, error.info())
                    .await
            }
            Err(halt) => Err(halt),
        }
    }

    /// MFA_REQUIRED, a code from an app or a token: ask for it and post it to the factor's
    /// `verify` link. Asked again after a wrong code, it stays on this factor.
    async fn typed_code(
        &mut self,
        tx: Transaction,
        url: &Url,
        factor: &Factor,
        offered: &[Offered],
    ) -> Step<Transaction> {
        let choice = factors::describe(factor, FactorPurpose::Verify);
        let ask = CodeAsk::new(choice, CodePurpose::Verify, None);
        let switch = Switch::among_others(offered);
        match self
            .ask_code(&ask, false, &switch, "the sign-in is waiting for a code")
            .await?
        {
            Reply::Input(Command::SubmitCode { code }) => {
                // Asked again after a wrong code: stay on this factor.
                self.factor.pending_choice = Some(ask.choice.key.clone());
                let next = self.submit_code(&tx, url, code, &ask).await?;
                if next.status != Status::MfaRequired {
                    self.factor.pending_choice = None;
                }
                Ok(next)
            }
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => {
                self.factor.pending_choice = Some(key);
                Ok(tx)
            }
        }
    }

    /// MFA_CHALLENGE of a factor whose code comes from an app or a token (or of a factor
    /// only the browser can do): the code goes to `next`, or back to the list.
    async fn challenge_by_code(&mut self, tx: Transaction, factor: Factor) -> Step<Transaction> {
        let can_go_back = tx.links.prev.is_some();
        let choice = factors::describe(&factor, FactorPurpose::Verify);
        if choice.needs_browser || choice.kind == FactorKind::Question {
            // Not a challenge OktaDesk starts; the list behind it may offer another way.
            let offered = [(choice.clone(), factor)];
            let key = self
                .continue_in_browser(Some(choice), &offered, true)
                .await?;
            return self.go_back(&tx, Some(key)).await;
        }
        let ask = CodeAsk::new(choice, CodePurpose::Verify, None);
        let switch = Switch::back_if(can_go_back);
        match self
            .ask_code(&ask, false, &switch, "the sign-in is waiting for a code")
            .await?
        {
            Reply::Input(Command::SubmitCode { code }) => {
                let next = self.next_link(&tx, "verify")?;
                self.submit_code(&tx, &next, code, &ask).await
            }
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => self.go_back(&tx, Some(key)).await,
        }
    }
}
