//! Waiting on the phone: Okta Verify push (`challenge-poll`, with the number to tap, and
//! `resend` once it ended unanswered) and Okta Verify enrollment (`enroll-poll`, with the QR
//! code or an activation link by email or SMS, `select-enrollment-channel` and
//! `enrollment-channel-data`). Every poll waits the `refresh` Okta asks for.

use super::form::Inputs;
use super::refusals::terminal;
use super::state::Idx;
use super::step_names::{CHANNEL_FORM, RESEND_FORMS};
use super::wire::{Form, IdxResponse};
use crate::client::Retry;
use crate::error::{Error, ErrorKind};
use crate::flow::command::Command;
use crate::flow::conversation::{Fit, Halt, Raced, Step};
use crate::flow::steps::{self, QrShown, Reply, Switch};
use crate::stage::{ActivationLink, Activity, FactorKind, FactorPurpose, LinkChannel, Stage};

impl Idx {
    /// `challenge-poll`: the push is out; say so (and the number to tap), then poll.
    pub(super) async fn push(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        let form = self.form_of(&doc, "challenge-poll")?;
        let current = doc.current().cloned().unwrap_or_default();
        let device_name = current.profile.as_ref().and_then(|p| p.device_name.clone());
        let number = current
            .contextual_data
            .as_ref()
            .and_then(|d| d.correct_answer);
        let remember = self.remember_offer(FactorPurpose::Verify);
        steps::announce_push(&self.io, &mut self.factor, device_name, number, remember).await?;
        let switch = self.switch_of(&doc, Switch::Closed);
        let waiting = "the sign-in is waiting for the push to be answered";
        let fits = steps::input_or_switch(&switch, waiting, |_| None);
        match self.poll(&form, fits).await? {
            Raced::Finished(next) => Ok(next),
            Raced::Interrupted(Command::ChooseFactor { key }) => self.switch(doc, key).await,
            Raced::Interrupted(_) => unreachable!("filtered by poll"),
        }
    }

    /// The push ended unanswered (rejected, timed out): `resend-push` in play (Okta's recorded
    /// `authenticator-verification-okta-verify-reject-push`: the message, then `resend-push`
    /// and `select-authenticator-authenticate`), or only the authenticators with the message.
    /// Say so, then send a new one or pick another factor, as the person says.
    pub(super) async fn push_ended(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        let resend_form = RESEND_FORMS
            .into_iter()
            .find(|name| doc.form(name).is_some());
        let key = doc
            .current()
            .map(|c| c.key().to_owned())
            .unwrap_or_default();
        // `resend-push` is a push by its name (Okta's sends no key with it); a bare `resend`
        // is one only for Okta Verify.
        if resend_form == Some("resend") && !matches!(key.as_str(), "" | "okta_verify") {
            return self.browser_step(doc, "resend").await;
        }
        // Rejected only when Okta says so; a `resend` with no message is a push that timed
        // out (Okta's recorded answer to a poll once the push expired), and an end Okta words
        // its own way is shown in its words, without the help-desk hint of a denial.
        let ended = match self.refusal(&doc, ErrorKind::MfaTimeout) {
            Some((Some(Error::MfaRejected), info)) => Stage::PushRejected { error: info },
            Some((_, info)) => Stage::PushTimedOut { error: info },
            None => Stage::PushTimedOut {
                error: Error::MfaTimeout.info(),
            },
        };
        self.io.emit(ended).await?;
        let switch = self.switch_of(&doc, Switch::Closed);
        let waiting = "the push has ended; send a new one first";
        let reply = self
            .await_input(&switch, waiting, |command| {
                matches!(command, Command::ResendPush).then_some(Ok(()))
            })
            .await?;
        if let Reply::Switch(key) = reply {
            return self.switch(doc, key).await;
        }
        if let Some(name) = resend_form {
            self.io.working(Activity::SendingPush).await?;
            self.factor.new_push();
            return self.submit_named(&doc, name).await;
        }
        // No resend form: a new push is Okta Verify's push picked again.
        let push = self.alternatives(&doc).and_then(|(_, picks)| {
            picks
                .into_iter()
                .find(|pick| pick.choice.kind == FactorKind::Push)
                .map(|pick| pick.choice.key)
        });
        match push {
            Some(key) => self.switch(doc, key).await,
            None => Err(self
                .api
                .unexpected_step("a push that cannot be sent again")
                .into()),
        }
    }

    /// `enroll-poll`: Okta Verify is being set up. Show the QR code (or say the link went
    /// out), then poll until the phone is done; meanwhile a link, a new QR code or another
    /// factor can be asked for.
    pub(super) async fn enroll_poll(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        // Okta turned the enrollment down (biometrics or FIPS the phone must have): its words,
        // with the factors to pick from (Okta Verify again once the phone is ready), instead
        // of polling a QR code that cannot succeed.
        if let Some(message) = doc.errors().into_iter().next() {
            if self.alternatives(&doc).is_some() {
                let (_, info) = self
                    .refusal(&doc, ErrorKind::OktaError)
                    .expect("an error message");
                self.factor.pending_error = Some(info);
                return Ok(self.back_to_choice(&doc));
            }
            return Err(terminal(message).into());
        }
        let form = self.form_of(&doc, "enroll-poll")?;
        let data = doc
            .current()
            .and_then(|c| c.contextual_data.clone())
            .unwrap_or_default();
        let offered: Vec<String> = doc
            .form(CHANNEL_FORM)
            .and_then(|f| f.field("authenticator.channel"))
            .map(|f| f.option_values().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        let link_channels: Vec<LinkChannel> = offered
            .iter()
            .filter_map(|channel| steps::link_channel(channel))
            .collect();
        match data.selected_channel.as_deref() {
            Some(channel @ ("email" | "sms"))
                if self.announced_channel.as_deref() != Some(channel) =>
            {
                self.announced_channel = Some(channel.to_owned());
                let channel = if channel == "email" {
                    LinkChannel::Email
                } else {
                    LinkChannel::Sms
                };
                self.io.emit(Stage::ActivationLinkSent { channel }).await?;
            }
            _ => {
                if let Some(qr) = &data.qrcode {
                    let shown = QrShown {
                        link_channels: link_channels.clone(),
                        ..QrShown::default()
                    };
                    let kind = FactorKind::Push;
                    steps::show_qr(&self.io, &self.api, &mut self.factor, kind, &qr.href, shown)
                        .await?;
                }
            }
        }
        let switch = self.switch_of(&doc, Switch::Closed);
        let can_refresh = offered.iter().any(|c| c == "qrcode");
        let waiting = "the sign-in is waiting for the QR code to be scanned";
        let fits = steps::input_or_switch(&switch, waiting, |command| match command {
            Command::SendActivationLink { link } if link_channels.contains(&link.channel()) => {
                Some(Ok(()))
            }
            Command::RefreshQr if can_refresh => Some(Ok(())),
            _ => None,
        });
        let event = self.poll(&form, fits).await?;
        match event {
            Raced::Finished(next) => Ok(next),
            Raced::Interrupted(Command::ChooseFactor { key }) => self.switch(doc, key).await,
            Raced::Interrupted(Command::SendActivationLink { link }) => {
                let channel = match link.channel() {
                    LinkChannel::Email => "email",
                    LinkChannel::Sms => "sms",
                };
                self.pending_link = Some(link.clone());
                self.io.working(Activity::SendingActivationLink).await?;
                let action = Command::SendActivationLink { link }.action();
                self.change_channel(doc, channel, action).await
            }
            Raced::Interrupted(_) => {
                self.io.working(Activity::RefreshingQr).await?;
                self.factor.forget_qr();
                self.announced_channel = None;
                self.change_channel(doc, "qrcode", Command::RefreshQr.action())
                    .await
            }
        }
    }

    /// `enrollment-channel-data`: where the activation link goes (the phone number or email
    /// address asked for). Without one, back to the QR code.
    pub(super) async fn channel_data(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        let form = self.form_of(&doc, "enrollment-channel-data")?;
        let action = Command::SendActivationLink {
            link: ActivationLink::Email,
        }
        .action();
        if let Some((_, info)) = self.refusal(&doc, ErrorKind::OktaError) {
            self.io
                .emit(Stage::CommandFailed {
                    action: action.into(),
                    error: info,
                })
                .await?;
            return self.change_channel(doc, "qrcode", action).await;
        }
        let email = doc
            .user
            .as_ref()
            .and_then(|user| user.value.identifier.clone())
            .filter(|login| login.contains('@'))
            .or_else(|| Some(self.username.as_str().to_owned()).filter(|u| u.contains('@')));
        let inputs = match (self.pending_link.take(), email) {
            (Some(ActivationLink::Sms { phone_number }), _) if form.asks_for("phoneNumber") => {
                Inputs::new().text("phoneNumber", phone_number)
            }
            (Some(ActivationLink::Email), Some(email)) if form.asks_for("email") => {
                Inputs::new().text("email", email)
            }
            _ => return self.change_channel(doc, "qrcode", action).await,
        };
        self.io.working(Activity::SendingActivationLink).await?;
        self.submit(&form, inputs, Retry::Never).await
    }

    /// POSTs `select-enrollment-channel` with `channel`; a refusal leaves the step standing.
    async fn change_channel(
        &mut self,
        doc: IdxResponse,
        channel: &str,
        action: &str,
    ) -> Step<IdxResponse> {
        let Some(form) = doc.form(CHANNEL_FORM).cloned() else {
            return self.browser_step(doc, "enrollment-channel-data").await;
        };
        let inputs = Inputs::new().text("authenticator.channel", channel);
        match self.submit(&form, inputs, Retry::Never).await {
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                steps::command_failed(&self.io, action, &error).await?;
                Ok(doc)
            }
            other => other,
        }
    }

    /// Waits the form's `refresh`, then POSTs it; a command that fits arrives meanwhile
    /// interrupts (an unfinished poll changes nothing).
    async fn poll(
        &mut self,
        form: &Form,
        fits: impl Fn(&Command) -> Fit,
    ) -> Step<Raced<IdxResponse>> {
        let wait = self.refresh(form);
        let url = self.api.resolve(&form.href)?;
        let body = self.fill(form, Inputs::new())?;
        let content_type = form.content_type().to_owned();
        let api = self.api.clone();
        let poll = async move {
            tokio::time::sleep(wait).await;
            api.post_ion::<_, IdxResponse>(&url, &body, &content_type, Retry::Idempotent)
                .await
        };
        match self.io.race(poll, fits).await? {
            Raced::Finished(answer) => Ok(Raced::Finished(answer?)),
            Raced::Interrupted(command) => {
                self.fresh_input = true;
                Ok(Raced::Interrupted(command))
            }
        }
    }
}
