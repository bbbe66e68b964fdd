//! MFA_ENROLL: pick a factor to set up and enroll it with what its kind needs: nothing more
//! (Okta Verify, an authenticator app, email), a phone number (SMS, voice call), or one of
//! the org's security questions and its answer. A factor the org requires that only the
//! browser can set up is said up front, before anything is enrolled.

use url::Url;

use super::Classic;
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::{self, Offered};
use crate::flow::steps::{self, PhoneAsk, Reply, Switch};
use crate::stage::{Activity, FactorChoice, FactorKind, FactorPurpose};
use crate::wire::{EnrollProfile, Factor, StepBody, Transaction};

impl Classic {
    /// MFA_ENROLL: pick a factor to enroll and POST its enroll link.
    pub(super) async fn enroll(&mut self, tx: Transaction) -> Step<Transaction> {
        let can_skip = tx.links.skip.is_some();
        let offered = factors::enroll_choices(&tx);
        self.factor.no_code_sent();
        if offered.is_empty() {
            if can_skip {
                return self.skip_step(&tx).await;
            }
            return Err(self
                .api
                .unexpected_step("a request to enroll without a factor to enroll")
                .into());
        }
        if !factors::required_needing_browser(&offered).is_empty() {
            // Enrolling anything else first would only end at the next MFA_ENROLL.
            self.continue_in_browser(None, &offered, false).await?;
            unreachable!("only cancel leaves a browser hand-off that offers no other factor");
        }
        let Some(picked) = self
            .choose(&offered, FactorPurpose::Enroll, can_skip, &tx)
            .await?
        else {
            return self.skip_step(&tx).await;
        };
        let (choice, factor) = offered[picked].clone();
        if choice.needs_browser {
            let key = self
                .continue_in_browser(Some(choice), &offered, true)
                .await?;
            self.factor.pending_choice = Some(key);
            return Ok(tx);
        }
        let url = match &factor.links.enroll {
            Some(link) => self.api.resolve(link.href.expose())?,
            None => self.api.org().join("/api/v1/authn/factors"),
        };
        match choice.kind {
            FactorKind::Sms | FactorKind::Call => {
                self.enroll_phone(tx, &url, &factor, choice, &offered).await
            }
            FactorKind::Question => {
                self.enroll_question(tx, &url, &factor, choice, &offered)
                    .await
            }
            FactorKind::Token => self.enroll_token(tx, &url, &factor, choice, &offered).await,
            kind => {
                self.io.working(Activity::Enrolling).await?;
                let body = StepBody::Enroll {
                    factor_type: &factor.factor_type,
                    provider: &factor.provider,
                    profile: None,
                    pass_code: None,
                };
                let next = self.post_state(&url, body, Retry::Never).await?;
                if kind == FactorKind::Email {
                    // Okta emails the first code as it enrolls.
                    self.factor.code_sent_now();
                }
                Ok(next)
            }
        }
    }

    /// SMS or voice call: the number to send codes to, then the enrollment, which sends the
    /// first code. A number refused (here or by Okta) is asked for again, saying why.
    async fn enroll_phone(
        &mut self,
        tx: Transaction,
        url: &Url,
        factor: &Factor,
        choice: FactorChoice,
        offered: &[Offered],
    ) -> Step<Transaction> {
        let current_phone = factor
            .embedded
            .phones
            .iter()
            .find_map(|phone| phone.profile.phone_number.clone());
        let ask = PhoneAsk {
            factor: choice.clone(),
            current_phone,
            last_error: self.factor.pending_error.take(),
        };
        let switch = Switch::among_others(offered);
        let phone_number = match steps::ask_phone_number(&mut self.io, ask, &switch).await? {
            Reply::Input(Command::SubmitPhoneNumber { phone_number }) => phone_number,
            Reply::Input(_) => unreachable!("filtered by ask_phone_number"),
            Reply::Switch(key) => {
                self.factor.pending_choice = Some(key);
                return Ok(tx);
            }
        };
        // Asked again after a refusal: stay on this factor.
        self.factor.pending_choice = Some(choice.key.clone());
        let Some(number) = steps::read_phone_number(&mut self.factor, phone_number.trim()) else {
            return Ok(tx);
        };
        let mut url = url.clone();
        if !factor.embedded.phones.is_empty() {
            // Okta keeps one phone per factor: enrolling again replaces the one it has.
            url.query_pairs_mut().append_pair("updatePhone", "true");
        }
        self.io.working(Activity::SendingCode).await?;
        let body = StepBody::Enroll {
            factor_type: &factor.factor_type,
            provider: &factor.provider,
            profile: Some(EnrollProfile::Phone {
                phone_number: number.as_str(),
            }),
            pass_code: None,
        };
        match self.post_state(&url, body, Retry::Never).await {
            Ok(next) => {
                self.factor.pending_choice = None;
                self.enroll_phone = Some(number.as_str().to_owned());
                self.factor.code_sent_now();
                Ok(next)
            }
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                self.factor.pending_error = Some(error.info());
                Ok(tx)
            }
            Err(halt) => Err(halt),
        }
    }
}
