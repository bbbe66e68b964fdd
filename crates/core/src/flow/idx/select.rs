//! Picking an authenticator (`select-authenticator-authenticate`, `-enroll`) and then its
//! method or phone number (`authenticator-verification-data`, `-enrollment-data`); and the
//! browser, for an authenticator or a step OktaDesk cannot do.

use super::authenticators::{self, Pick};
use super::form::Inputs;
use super::state::Idx;
use super::step_names::SELECT_FORMS;
use super::wire::IdxResponse;
use crate::client::Retry;
use crate::error::{Error, ErrorKind};
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::{self, PickRules};
use crate::flow::steps::{self, ChoiceAsk, PhoneAsk, Reply, Switch};
use crate::stage::{Activity, FactorChoice, FactorKind, FactorPurpose};

impl Idx {
    /// Picks an authenticator from the form `name`: the password while OktaDesk holds it, the
    /// one the rules pick, or the one the person picks; or skips, when Okta allows.
    pub(super) async fn select(&mut self, doc: IdxResponse, name: &str) -> Step<IdxResponse> {
        let form = self.form_of(&doc, name)?;
        let purpose = self.purpose_of(name);
        let picks = authenticators::picks(&form, &doc, purpose);
        if purpose == FactorPurpose::Verify
            && self.password.is_some()
            && let Some(password) = picks.iter().find(|pick| pick.password)
        {
            let password = password.clone();
            return self.select_pick(&doc, name, password).await;
        }
        let shown: Vec<Pick> = picks.into_iter().filter(|pick| !pick.password).collect();
        if shown.is_empty() {
            return self
                .continue_in_browser(doc, None, Some("an authenticator OktaDesk does not know"))
                .await;
        }
        let offered = authenticators::offered(&shown);
        let choices: Vec<FactorChoice> = shown.iter().map(|pick| pick.choice.clone()).collect();
        let can_skip = doc.form("skip").is_some();
        let pending = self.factor.pending_choice.take();
        // Why the last pick did not go on (Okta's message on this answer, a rate limit, an
        // enrollment refused): shown here, and the person picks, not the rules.
        let last_error = self.factor.pending_error.take().or_else(|| {
            self.refusal(&doc, ErrorKind::OktaError)
                .map(|(_, info)| info)
        });
        let rules = PickRules {
            pending: pending.as_deref(),
            preferred: self.options.preferred_factor,
            auto_push: self.options.auto_push,
        };
        let auto = match &last_error {
            None => factors::auto_pick(&choices, purpose, can_skip, rules, |_| false),
            Some(_) => pending
                .as_deref()
                .filter(|key| offered.iter().any(|(choice, _)| choice.key == *key))
                .map(|key| factors::position(&offered, key)),
        };
        let index = match auto {
            Some(index) => index,
            None => {
                let ask = ChoiceAsk {
                    purpose,
                    can_skip,
                    last_error,
                    remember_device: self.remember_offer(purpose),
                };
                let picked = steps::ask_factor_choice(&mut self.io, ask, &offered).await?;
                self.fresh_input = true;
                match picked {
                    Some(index) => index,
                    None => {
                        self.io.working(Activity::Skipping).await?;
                        return self.submit_named(&doc, "skip").await;
                    }
                }
            }
        };
        let pick = shown[index].clone();
        if pick.choice.needs_browser {
            return self.continue_in_browser(doc, Some(pick.choice), None).await;
        }
        self.select_pick(&doc, name, pick).await
    }

    /// POSTs the select form with `pick`: its option, its method, and `qrcode` for Okta
    /// Verify's enrollment channel.
    pub(super) async fn select_pick(
        &mut self,
        doc: &IdxResponse,
        name: &str,
        pick: Pick,
    ) -> Step<IdxResponse> {
        let form = self.form_of(doc, name)?;
        let mut inputs = Inputs::new().choice("authenticator", pick.option);
        // `select-authenticator-unlock-account` asks for the username in the same form.
        if form.asks_for("identifier") {
            inputs = inputs.text("identifier", self.username.as_str());
        }
        if let Some(method) = &pick.method {
            inputs = inputs.text("authenticator.methodType", method.as_str());
        }
        if pick.has_channel {
            inputs = inputs.text("authenticator.channel", "qrcode");
        }
        self.chosen_method = pick.method.clone().or_else(|| method_of(pick.choice.kind));
        self.factor.new_factor();
        self.announced_channel = None;
        let activity = match (self.purpose_of(name), pick.choice.kind) {
            _ if pick.password && self.password.is_some() => Activity::CheckingPassword,
            (FactorPurpose::Enroll, _) => Activity::Enrolling,
            (_, FactorKind::Push) => Activity::SendingPush,
            (_, kind) if kind.is_sent() => Activity::SendingCode,
            _ => Activity::SwitchingFactor,
        };
        self.io.working(activity).await?;
        let answer = self.submit(&form, inputs, Retry::Never).await;
        self.kept_through_rate_limit(answer, doc)
    }

    /// A 429 that leaves the step standing (Okta keeps the state): back to the choice with
    /// the wait shown, where the person picks again once it is over.
    pub(super) fn kept_through_rate_limit(
        &mut self,
        answer: Step<IdxResponse>,
        doc: &IdxResponse,
    ) -> Step<IdxResponse> {
        match answer {
            Err(Halt::Error(error @ Error::RateLimited { .. }))
                if self.alternatives(doc).is_some() =>
            {
                self.factor.pending_error = Some(error.info());
                Ok(self.back_to_choice(doc))
            }
            other => other,
        }
    }

    /// `doc` with the select form in play, so the person is asked to choose again.
    pub(super) fn back_to_choice(&self, doc: &IdxResponse) -> IdxResponse {
        let mut doc = doc.clone();
        if let Some(remediation) = &mut doc.remediation {
            remediation.value.retain(|form| {
                SELECT_FORMS.contains(&form.name.as_str())
                    || form.name == "skip"
                    || form.name == "cancel"
            });
        }
        doc.messages = None;
        doc
    }

    /// `authenticator-verification-data` and `-enrollment-data`: the method (SMS or voice
    /// call, push or code) picked with the authenticator, and for a phone being set up, its
    /// number.
    pub(super) async fn method_data(&mut self, doc: IdxResponse, name: &str) -> Step<IdxResponse> {
        let form = self.form_of(&doc, name)?;
        let enroll = name == "authenticator-enrollment-data";
        let methods: Vec<String> = form
            .field("authenticator.methodType")
            .map(|field| {
                field
                    .option_values()
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        // The method picked with the authenticator; else the preferred factor's (`--factor
        // call` is the phone's `voice`); else Okta's first.
        let preferred = self.options.preferred_factor.and_then(method_of);
        let method = self
            .chosen_method
            .clone()
            .filter(|method| methods.contains(method))
            .or_else(|| preferred.filter(|method| methods.contains(method)))
            .or_else(|| methods.first().cloned());
        self.chosen_method = method.clone().or(self.chosen_method.take());
        let purpose = if enroll {
            FactorPurpose::Enroll
        } else {
            self.verify_purpose()
        };
        let choice = self.describe_current(&doc, purpose);
        let mut inputs = Inputs::new();
        if let Some(method) = &method {
            inputs = inputs.text("authenticator.methodType", method.as_str());
        }
        if form.asks_for("authenticator.phoneNumber") {
            let refused = self
                .refusal(&doc, ErrorKind::InvalidPhoneNumber)
                .map(|(_, info)| info);
            let ask = PhoneAsk {
                factor: choice,
                current_phone: None,
                last_error: self.factor.pending_error.take().or(refused),
            };
            let switch = self.switch_of(&doc, Switch::NoOther);
            let reply = steps::ask_phone_number(&mut self.io, ask, &switch).await?;
            self.fresh_input = true;
            let phone_number = match reply {
                Reply::Input(Command::SubmitPhoneNumber { phone_number }) => phone_number,
                Reply::Input(_) => unreachable!("filtered by ask_phone_number"),
                Reply::Switch(key) => return self.switch(doc, key).await,
            };
            let Some(phone) = steps::read_phone_number(&mut self.factor, &phone_number) else {
                return Ok(doc);
            };
            inputs = inputs.text("authenticator.phoneNumber", phone.as_str());
        }
        self.factor.no_code_sent();
        let activity = match (enroll, method.as_deref()) {
            (false, Some("push")) => Activity::SendingPush,
            (true, _) => Activity::Enrolling,
            _ => Activity::SendingCode,
        };
        self.io.working(activity).await?;
        let answer = self.submit(&form, inputs, Retry::Never).await;
        self.kept_through_rate_limit(answer, &doc)
    }

    /// A step OktaDesk does not know (`step` names it): the browser, or another factor.
    pub(super) async fn browser_step(&mut self, doc: IdxResponse, step: &str) -> Step<IdxResponse> {
        self.continue_in_browser(doc, None, Some(step)).await
    }

    /// Only the browser can go on with `factor` (or with the step `step`): says so with the
    /// org's sign-in page, then waits for cancel or, when Okta offers others, another factor.
    pub(super) async fn continue_in_browser(
        &mut self,
        doc: IdxResponse,
        factor: Option<FactorChoice>,
        step: Option<&str>,
    ) -> Step<IdxResponse> {
        let alternatives = self.alternatives(&doc).filter(|(_, picks)| {
            picks.iter().any(|pick| {
                !pick.choice.needs_browser
                    && factor.as_ref().is_none_or(|f| f.key != pick.choice.key)
            })
        });
        let switch = match &alternatives {
            Some((_, picks)) => Switch::among(picks.iter().map(|pick| pick.choice.key.as_str())),
            None => Switch::Closed,
        };
        let can_choose_another = switch.is_open();
        let message = match (&factor, step) {
            (Some(factor), _) => steps::cannot_use_message(factor, can_choose_another),
            (None, step) => format!(
                "Okta asked for a step OktaDesk cannot do here ({}): it needs a web browser. Open your organization's sign-in page in the browser to sign in.{}",
                step.unwrap_or("unknown"),
                steps::another_suffix(can_choose_another)
            ),
        };
        if let Some(step) = step {
            self.api.note("browser needed", format!("step \"{step}\""));
        }
        let key =
            steps::continue_in_browser(&mut self.io, self.api.org(), factor, message, &switch)
                .await?;
        self.fresh_input = true;
        self.switch(doc, key).await
    }
}

/// The IDX method a kind of factor stands for, to answer a later `methodType` question.
fn method_of(kind: FactorKind) -> Option<String> {
    Some(
        match kind {
            FactorKind::Push => "push",
            FactorKind::Totp => "totp",
            FactorKind::Sms => "sms",
            FactorKind::Call => "voice",
            FactorKind::Email => "email",
            _ => return None,
        }
        .to_owned(),
    )
}
