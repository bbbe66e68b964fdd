//! MFA_ENROLL_ACTIVATE: proving a new enrollment works. Okta Verify push: show the QR code
//! (or send an activation link) and poll until the phone has scanned it. An authenticator
//! app: show the QR code and its key, then take the first code. SMS, voice call, email: take
//! the code Okta sent.

use time::OffsetDateTime;

use super::{Classic, PollPurpose, unsupported_result};
use crate::client::Retry;
use crate::error::Error;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Raced, Step};
use crate::flow::factors;
use crate::flow::steps::{self, CodeAsk, QrShown, Reply, Switch};
use crate::stage::{ActivationLink, Activity, CodePurpose, FactorKind, FactorPurpose, Stage};
use crate::wire::{Activation, Factor, FactorResult, Link, SmsProfile, StepBody, Transaction};

impl Classic {
    /// MFA_ENROLL_ACTIVATE: the way the new factor's kind proves it works.
    pub(super) async fn activate(&mut self, tx: Transaction) -> Step<Transaction> {
        let (factor, kind) = self.embedded_factor(&tx, "an enrollment")?;
        match kind {
            FactorKind::Push | FactorKind::Totp | FactorKind::Google => {
                self.activate_by_qr(tx, factor, kind).await
            }
            FactorKind::Sms | FactorKind::Call | FactorKind::Email => {
                self.sent_code(tx, factor, CodePurpose::Activate).await
            }
            // Okta activates these on enrollment; only the browser can go on with any other.
            _ => {
                let choice = factors::describe(&factor, FactorPurpose::Enroll);
                let offered = [(choice.clone(), factor)];
                let key = self
                    .continue_in_browser(Some(choice), &offered, true)
                    .await?;
                self.go_back(&tx, Some(key)).await
            }
        }
    }

    /// Okta Verify push, or an authenticator app: show the QR code, then poll (push) or take
    /// the app's first code.
    async fn activate_by_qr(
        &mut self,
        tx: Transaction,
        factor: Factor,
        kind: FactorKind,
    ) -> Step<Transaction> {
        let activation = factor.embedded.activation.clone().unwrap_or_default();
        let result = tx
            .factor_result
            .clone()
            .or_else(|| activation.factor_result.clone());
        let can_go_back = tx.links.prev.is_some();

        if result == Some(FactorResult::Timeout) {
            return self.activation_expired(&tx, &activation, can_go_back).await;
        }
        if !matches!(result, None | Some(FactorResult::Waiting)) {
            return Err(unsupported_result("activation", result.as_ref()));
        }

        if let Some(link) = &activation.links.qrcode {
            self.show_qr(kind, link, &activation).await?;
        }

        let switch = Switch::back_if(can_go_back);
        if kind != FactorKind::Push {
            let choice = factors::describe(&factor, FactorPurpose::Enroll);
            let ask = CodeAsk::new(choice, CodePurpose::Activate, activation.key_length);
            let waiting = "the sign-in is waiting for the code from the new enrollment";
            return match self.ask_code(&ask, false, &switch, waiting).await? {
                Reply::Input(Command::SubmitCode { code }) => {
                    let next = self.next_link(&tx, "activate")?;
                    self.submit_code(&tx, &next, code, &ask).await
                }
                Reply::Input(_) => unreachable!("filtered by ask_code"),
                Reply::Switch(key) => self.go_back(&tx, Some(key)).await,
            };
        }

        self.check_not_expired(&tx)?;
        // The widget's recordings name the waiting activation's `next` "poll",
        // okta-auth-swift's "activate": the same link, polled the same way.
        let poll = match self.next_link(&tx, "poll") {
            Ok(url) => url,
            Err(_) => self.next_link(&tx, "activate")?,
        };
        let channels: Vec<_> = activation
            .links
            .send
            .iter()
            .filter_map(|link| link.name.clone())
            .collect();
        let waiting = "the sign-in is waiting for the QR code to be scanned";
        let fits = steps::input_or_switch(&switch, waiting, |command| match command {
            Command::SendActivationLink { link }
                if channels.iter().any(|name| name == link_name(link)) =>
            {
                Some(Ok(()))
            }
            Command::RefreshQr if can_go_back => Some(Ok(())),
            _ => None,
        });
        let event = self.poll(&poll, PollPurpose::Activation, fits).await?;
        match event {
            Raced::Finished(next) => Ok(next),
            Raced::Interrupted(Command::SendActivationLink { link }) => {
                self.send_activation_link(&tx, &activation.links.send, link)
                    .await
            }
            Raced::Interrupted(Command::ChooseFactor { key }) => self.go_back(&tx, Some(key)).await,
            Raced::Interrupted(_) => {
                // A fresh enrollment of the same factor: a new activation, a new QR.
                let key = factors::enroll_key(&factor);
                self.go_back(&tx, Some(key)).await
            }
        }
    }

    /// The QR code (or link) expired unused: a new one, or back to the factor list.
    async fn activation_expired(
        &mut self,
        tx: &Transaction,
        activation: &Activation,
        can_go_back: bool,
    ) -> Step<Transaction> {
        let ended = Stage::ActivationExpired {
            error: Error::ActivationTimeout.info(),
        };
        let again = |command: &Command| matches!(command, Command::RefreshQr);
        let waiting = "the QR code expired; get a new one first";
        if let Some(key) = self
            .again_or_another(ended, again, waiting, can_go_back)
            .await?
        {
            return self.go_back(tx, Some(key)).await;
        }
        self.io.working(Activity::RefreshingQr).await?;
        // `next` starts a new activation; the expired activation's own link does too.
        let next = match &activation.links.activate {
            Some(link) if tx.links.next.is_none() => self.api.resolve(link.href.expose())?,
            _ => self.next_link(tx, "activate")?,
        };
        self.post_state(&next, StepBody::Empty {}, Retry::Never)
            .await
    }

    /// The activation's QR code, once (see `steps::qr_drawing`), with how long it has left
    /// by Okta's clock and the activation links offered instead.
    async fn show_qr(
        &mut self,
        kind: FactorKind,
        link: &Link,
        activation: &Activation,
    ) -> Step<()> {
        let expires_in_seconds = match (activation.expires_at, self.server_time) {
            (Some(expires_at), Some(now)) => {
                let left = expires_at - OffsetDateTime::from(now);
                Some(left.whole_seconds().max(0) as u64)
            }
            _ => None,
        };
        let link_channels = activation
            .links
            .send
            .iter()
            .filter_map(|link| link.name.as_deref().and_then(steps::link_channel))
            .collect();
        let shown = QrShown {
            expires_at: activation.expires_at,
            expires_in_seconds,
            link_channels,
            shared_secret: activation.shared_secret.clone(),
        };
        steps::show_qr(
            &self.io,
            &self.api,
            &mut self.factor,
            kind,
            &link.href,
            shown,
        )
        .await
    }

    async fn send_activation_link(
        &mut self,
        tx: &Transaction,
        links: &[Link],
        link: ActivationLink,
    ) -> Step<Transaction> {
        let Some(target) = links.iter().find(|l| l.is_named(link_name(&link))) else {
            return Ok(tx.clone());
        };
        let url = self.api.resolve(target.href.expose())?;
        self.io.working(Activity::SendingActivationLink).await?;
        let body = match &link {
            ActivationLink::Email => StepBody::Empty {},
            ActivationLink::Sms { phone_number } => StepBody::Sms {
                profile: SmsProfile { phone_number },
            },
        };
        match self.post_state(&url, body, Retry::Never).await {
            Ok(next) => {
                self.io
                    .emit(Stage::ActivationLinkSent {
                        channel: link.channel(),
                    })
                    .await?;
                Ok(next)
            }
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                let action = Command::SendActivationLink { link }.action();
                steps::command_failed(&self.io, action, &error).await?;
                Ok(tx.clone())
            }
            Err(halt) => Err(halt),
        }
    }
}

/// The `_links.send` name of an activation link channel.
fn link_name(link: &ActivationLink) -> &'static str {
    match link {
        ActivationLink::Email => "email",
        ActivationLink::Sms { .. } => "sms",
    }
}
