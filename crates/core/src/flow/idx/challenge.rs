//! What a person proves with something they know or are sent: the identifier (with the
//! password when Okta asks for both at once), the password, codes (Okta Verify, an
//! authenticator app, SMS, voice call, email, tokens) and security questions; to verify
//! (`challenge-authenticator`) or to enroll (`enroll-authenticator`).

use super::form::Inputs;
use super::state::Idx;
use super::wire::{Form, IdxResponse};
use crate::client::Retry;
use crate::error::{Error, ErrorKind};
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::steps::{self, CodeAsk, CodeStage, QrShown, Reply, ResendClock, Switch, trimmed};
use crate::okta_errors;
use crate::stage::{Activity, CodePurpose, FactorChoice, FactorKind, FactorPurpose, Stage};

impl Idx {
    /// `identify` (and `identify-recovery`, named `name`): the username, and the password
    /// too when the form asks for it there.
    pub(super) async fn identify(&mut self, doc: IdxResponse, name: &str) -> Step<IdxResponse> {
        // Okta asks again only when it refused what was sent, with a message of any class
        // (an unknown username is INFO or WARNING): nothing typed here can change, so the
        // sign-in ends with it.
        let refused = if self.last_sent.is_some() {
            doc.messages().into_iter().next()
        } else {
            doc.errors().into_iter().next()
        };
        if let Some(message) = refused {
            if message.key() == "idx.unknown.user" {
                return Err(Error::UnknownUser {
                    username: self.username.as_str().to_owned(),
                }
                .into());
            }
            return Err(self.ended_by(&doc, message).into());
        }
        let form = self.form_of(&doc, name)?;
        let mut inputs = Inputs::new().text("identifier", self.username.as_str());
        inputs = self.with_remember_me(&form, inputs);
        if form.asks_for("credentials.passcode")
            && let Some(password) = self.password.take()
        {
            inputs = inputs.text("credentials.passcode", password);
        }
        self.submit(&form, inputs, Retry::Never).await
    }

    /// `challenge-authenticator` and `enroll-authenticator`: what the authenticator in play
    /// takes.
    pub(super) async fn answer(&mut self, doc: IdxResponse, enroll: bool) -> Step<IdxResponse> {
        let name = if enroll {
            "enroll-authenticator"
        } else {
            "challenge-authenticator"
        };
        let form = self.form_of(&doc, name)?;
        let key = doc
            .current()
            .map(|c| c.key().to_owned())
            .unwrap_or_default();
        let purpose = if enroll {
            FactorPurpose::Enroll
        } else {
            self.verify_purpose()
        };
        let choice = self.describe_current(&doc, purpose);
        match key.as_str() {
            "okta_password" if !enroll => self.send_password(doc, &form).await,
            "security_question" if enroll => self.enroll_question(doc, &form, choice).await,
            "security_question" => self.answer_question(doc, &form, choice).await,
            _ if choice.kind == FactorKind::Browser
                || choice.kind == FactorKind::Question
                || code_field(&form).is_none() =>
            {
                self.continue_in_browser(doc, Some(choice), None).await
            }
            _ => self.code(doc, &form, choice, enroll).await,
        }
    }

    /// The password OktaDesk holds, sent where Okta asks for it. A refusal ends the sign-in:
    /// the person types the password again with the username.
    async fn send_password(&mut self, doc: IdxResponse, form: &Form) -> Step<IdxResponse> {
        if let Some(message) = doc.errors().first() {
            return Err(self.ended_by(&doc, message).into());
        }
        let Some(password) = self.password.take() else {
            // Asked a second time (a policy that wants it again): only the browser can ask.
            return self
                .continue_in_browser(doc, None, Some("the password, a second time"))
                .await;
        };
        self.io.working(Activity::CheckingPassword).await?;
        let inputs = Inputs::new().text("credentials.passcode", password);
        self.submit(form, inputs, Retry::Never).await
    }

    /// A code: typed from an app or a token, or sent by Okta (which can send it again). An
    /// app being set up shows its QR code first.
    async fn code(
        &mut self,
        doc: IdxResponse,
        form: &Form,
        choice: FactorChoice,
        enroll: bool,
    ) -> Step<IdxResponse> {
        let current = doc.current().cloned().unwrap_or_default();
        if enroll
            && let Some(qr) = current
                .contextual_data
                .as_ref()
                .and_then(|data| data.qrcode.clone())
        {
            let shared_secret = current
                .contextual_data
                .as_ref()
                .and_then(|data| data.shared_secret.clone());
            let shown = QrShown {
                shared_secret,
                ..QrShown::default()
            };
            steps::show_qr(
                &self.io,
                &self.api,
                &mut self.factor,
                choice.kind,
                &qr.href,
                shown,
            )
            .await?;
        }
        let purpose = match (enroll, self.proving) {
            (true, _) => CodePurpose::Activate,
            (false, Some(_)) => CodePurpose::Recover,
            (false, None) => CodePurpose::Verify,
        };
        let ask = CodeAsk::new(choice, purpose, None);
        let refused = self
            .refusal(&doc, ErrorKind::OktaError)
            .map(|(known, info)| match known {
                Some(error) if okta_errors::is_code_refusal(&error) => ask.refusal(&error),
                _ => info,
            });
        let resend = current.resend.clone();
        if ask.choice.kind.is_sent() {
            // Okta sent it on the way into this step.
            self.factor.code_sent_on_entry();
        }
        let stage = CodeStage {
            resend: resend
                .is_some()
                .then(|| ResendClock::of(&self.factor, self.api.config().code_resend_after)),
            last_error: self.factor.pending_error.take().or(refused),
            remember_device: self.remember_offer(if enroll {
                FactorPurpose::Enroll
            } else {
                FactorPurpose::Verify
            }),
        };
        let switch = self.switch_of(&doc, Switch::NoOther);
        let waiting = "the sign-in is waiting for a code";
        let reply = steps::ask_code(&mut self.io, &ask, stage, &switch, waiting).await?;
        self.fresh_input = true;
        match reply {
            Reply::Input(Command::SubmitCode { code }) => {
                // A malformed code never reaches Okta, where it would count as a try.
                let Some(code) = ask.well_formed(&mut self.factor, &code) else {
                    return Ok(doc);
                };
                self.io.working(Activity::VerifyingCode).await?;
                let field = code_field(form).unwrap_or(PASSCODE);
                let mut inputs = Inputs::new().text(field, code);
                if enroll {
                    inputs = self.with_token_user_name(form, inputs);
                }
                match self.submit(form, inputs, Retry::Never).await {
                    Err(Halt::Error(error)) if okta_errors::is_code_refusal(&error) => {
                        ask.refused(&mut self.factor, &error);
                        Ok(doc)
                    }
                    // Okta keeps the step through a rate limit: the person stays on it and
                    // types the code again once the wait is over.
                    Err(Halt::Error(error @ Error::RateLimited { .. })) => {
                        self.factor.pending_error = Some(error.info());
                        Ok(doc)
                    }
                    other => other,
                }
            }
            Reply::Input(Command::ResendCode) => {
                let resend =
                    resend.ok_or_else(|| self.api.unexpected_step("no way to send a new code"))?;
                self.io.working(Activity::SendingCode).await?;
                let answer = self.submit(&resend, Inputs::new(), Retry::Never).await;
                steps::resent(&self.io, &mut self.factor, answer, doc).await
            }
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => self.switch(doc, key).await,
        }
    }

    /// The security question the account has: show it, send the answer.
    async fn answer_question(
        &mut self,
        doc: IdxResponse,
        form: &Form,
        choice: FactorChoice,
    ) -> Step<IdxResponse> {
        let current = doc.current().cloned().unwrap_or_default();
        let question = current
            .contextual_data
            .as_ref()
            .and_then(|data| data.enrolled_question.as_ref())
            .map(|q| q.question.clone())
            .or_else(|| current.profile.as_ref().and_then(|p| p.question.clone()))
            .or_else(|| {
                form.field("credentials.questionKey")
                    .and_then(|f| f.label.clone())
            })
            .unwrap_or_else(|| "Your security question".to_owned());
        let refused = self
            .refusal(&doc, ErrorKind::InvalidAnswer)
            .map(|(_, info)| info);
        let last_error = self.factor.pending_error.take().or(refused);
        self.io
            .emit(Stage::NeedsAnswer {
                factor: choice,
                question,
                last_error,
                remember_device: self.remember_offer(FactorPurpose::Verify),
            })
            .await?;
        let switch = self.switch_of(&doc, Switch::NoOther);
        let waiting = "the sign-in is waiting for the answer to the security question";
        let reply = self
            .await_input(&switch, waiting, |command| {
                matches!(command, Command::SubmitAnswer { .. }).then_some(Ok(()))
            })
            .await?;
        let answer = match reply {
            Reply::Input(Command::SubmitAnswer { answer }) => answer,
            Reply::Input(_) => unreachable!("filtered by await_input"),
            Reply::Switch(key) => return self.switch(doc, key).await,
        };
        let Some(answer) = trimmed(&answer) else {
            self.factor.pending_error = Some(Error::InvalidAnswer.info());
            return Ok(doc);
        };
        self.io.working(Activity::VerifyingAnswer).await?;
        let inputs = Inputs::new().text("credentials.answer", answer);
        self.submit(form, inputs, Retry::Never).await
    }

    /// A token being enrolled (RSA SecurID, on-prem MFA) is known by a user name
    /// (`credentials.clientData`): the one Okta filled in, else the username, as Classic
    /// sends the username for an RSA token's credential id.
    fn with_token_user_name(&self, form: &Form, inputs: Inputs) -> Inputs {
        match form.field(TOKEN_USER_NAME) {
            Some(field)
                if field
                    .text()
                    .is_none_or(|value| value.expose().trim().is_empty()) =>
            {
                inputs.text(TOKEN_USER_NAME, self.username.as_str())
            }
            _ => inputs,
        }
    }

    pub(super) fn form_of(&self, doc: &IdxResponse, name: &str) -> Step<Form> {
        doc.form(name).cloned().ok_or_else(|| {
            self.api
                .unexpected_step(&format!("no \"{name}\" form"))
                .into()
        })
    }
}

/// The user name a token is enrolled under (RSA SecurID, on-prem MFA).
const TOKEN_USER_NAME: &str = "credentials.clientData";

/// Where most codes go: an app's, a token's, a text's, a call's, an email's.
const PASSCODE: &str = "credentials.passcode";

/// Where Okta Verify's own code goes: Okta asks for it as `credentials.totp` (the widget's
/// recorded `authenticator-verification-okta-verify-totp`), and refuses it elsewhere.
const OKTA_VERIFY_CODE: &str = "credentials.totp";

/// The field a code form takes its code in, if it takes one.
fn code_field(form: &Form) -> Option<&'static str> {
    [PASSCODE, OKTA_VERIFY_CODE]
        .into_iter()
        .find(|field| form.asks_for(field))
}
