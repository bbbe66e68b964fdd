//! MFA_ENROLL_ACTIVATE: proving a new enrollment works. Okta Verify push: show the QR code
//! (or send an activation link) and poll until the phone has scanned it. An authenticator
//! app: show the QR code and its key, then take the first code. SMS, voice call, email: take
//! the code Okta sent.

use time::OffsetDateTime;

use super::passcode::CodeAsk;
use super::{Classic, PollPurpose, recoverable, unsupported_result};
use crate::client::Retry;
use crate::error::Error;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Raced, Step};
use crate::flow::factors;
use crate::qr;
use crate::secret::SecretBytes;
use crate::stage::{
    ActivationLink, Activity, CodePurpose, EnrollQr, FactorKind, FactorPurpose, LinkChannel, Stage,
};
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

        let qr_link = activation.links.qrcode.clone();
        if let Some(link) = qr_link.filter(|link| self.shown_qr.as_ref() != Some(&link.href)) {
            self.show_qr(kind, &link, &activation).await?;
        }

        if kind != FactorKind::Push {
            let choice = factors::describe(&factor, FactorPurpose::Enroll);
            let ask = CodeAsk::new(choice, CodePurpose::Activate, activation.key_length);
            let command = self
                .ask_code(&ask, false, |command| match command {
                    Command::ChooseFactor { .. } if can_go_back => Ok(()),
                    _ => Err("the sign-in is waiting for the code from the new enrollment".into()),
                })
                .await?;
            return match command {
                Command::SubmitCode { code } => {
                    let next = self.next_link(&tx, "activate")?;
                    self.submit_code(&tx, &next, code, &ask).await
                }
                Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                _ => unreachable!("filtered by ask_code"),
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
        let event = self
            .poll(&poll, PollPurpose::Activation, |command| match command {
                Command::SendActivationLink { link }
                    if channels.iter().any(|name| name == link_name(link)) =>
                {
                    Ok(())
                }
                Command::RefreshQr | Command::ChooseFactor { .. } if can_go_back => Ok(()),
                _ => Err("the sign-in is waiting for the QR code to be scanned".into()),
            })
            .await?;
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

    async fn show_qr(
        &mut self,
        kind: FactorKind,
        link: &Link,
        activation: &Activation,
    ) -> Step<()> {
        self.shown_qr = Some(link.href.clone());
        // Okta may send the image itself (`data:image/png;base64,…`, the widget's recorded
        // mfa-enroll-qr-okta-verify): drawn from the answer, never fetched, never a link.
        let png = match inline_png(link.href.expose()) {
            Some(png) => png.map_err(|detail| self.api.unexpected_step(detail))?,
            None => {
                let url = self.api.resolve(link.href.expose())?;
                self.api.get_png(&url).await?
            }
        };
        let (rendered, problem) = tokio::task::spawn_blocking(move || qr::render(png))
            .await
            .map_err(|_| {
                self.api
                    .unexpected_step("a QR code that crashed the decoder")
            })?;
        if let Some(problem) = problem {
            self.api.note(
                "qr decode",
                format!("{problem}; showing the original image"),
            );
        }
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
            .filter_map(|link| match link.name.as_deref() {
                Some("email") => Some(LinkChannel::Email),
                Some("sms") => Some(LinkChannel::Sms),
                _ => None,
            })
            .collect();
        self.io
            .emit(Stage::EnrollQr(EnrollQr {
                factor: kind,
                uri_kind: rendered.uri_kind,
                svg: rendered.svg,
                terminal: rendered.terminal,
                png_data_url: rendered.png_data_url,
                expires_at: activation.expires_at,
                expires_in_seconds,
                link_channels,
                shared_secret: activation.shared_secret.clone(),
                original_png: rendered.png,
            }))
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
            Err(Halt::Error(error)) if recoverable(&error) => {
                self.io
                    .emit(Stage::CommandFailed {
                        action: Command::SendActivationLink { link }.action().into(),
                        error: error.info(),
                    })
                    .await?;
                Ok(tx.clone())
            }
            Err(halt) => Err(halt),
        }
    }
}

/// The PNG of a `data:` QR link: `None` when the link is not one (it is fetched then),
/// `Some(Err)` when it is one we cannot draw.
fn inline_png(href: &str) -> Option<std::result::Result<SecretBytes, &'static str>> {
    use base64::Engine as _;
    let (scheme, rest) = href.split_once(':')?;
    if !scheme.trim().eq_ignore_ascii_case("data") {
        return None;
    }
    let Some((media, data)) = rest.split_once(',') else {
        return Some(Err("a QR code link that is an empty data: link"));
    };
    let media = media.to_ascii_lowercase();
    if !media.ends_with(";base64") || !media.starts_with("image/png") {
        return Some(Err("a QR code sent inline that is not a base64 PNG image"));
    }
    let data: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    Some(
        base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .ok()
            .filter(|png| png.starts_with(b"\x89PNG"))
            .map(SecretBytes::new)
            .ok_or("a QR code sent inline that is not a PNG image"),
    )
}

/// The `_links.send` name of an activation link channel.
fn link_name(link: &ActivationLink) -> &'static str {
    match link {
        ActivationLink::Email => "email",
        ActivationLink::Sms { .. } => "sms",
    }
}
