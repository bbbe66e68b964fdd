//! The IDX driver's loop: `interact` (or a recovery's start), then each answer's step in
//! play followed to the file of its family until Okta issues the interaction code; and the
//! cancel sent to Okta when the sign-in ends on our side.

use super::form::Inputs;
use super::refusals::push_end;
use super::state::Idx;
use super::step_names::SIDE_FORMS;
use super::wire::IdxResponse;
use crate::client::Retry;
use crate::error::Error;
use crate::flow::conversation::Step;
use crate::flow::driver::{Driver, ServerCancel};
use crate::stage::Stage;

impl Driver for Idx {
    async fn drive(&mut self) -> Step<Stage> {
        let mut doc = match self.recovery {
            Some(recovery) => {
                self.io
                    .working(crate::stage::Activity::StartingRecovery)
                    .await?;
                let doc = self.start().await?;
                self.enter_recovery(doc, recovery).await?
            }
            None => {
                self.io
                    .working(crate::stage::Activity::CheckingPassword)
                    .await?;
                self.start().await?
            }
        };
        loop {
            if let Some(cancel) = &doc.cancel {
                self.cancel = Some(cancel.clone());
            }
            self.unlock_offered |= doc.form("unlock-account").is_some();
            if let Some(issue) = &doc.success_with_interaction_code {
                let issue = issue.clone();
                self.note_unsent_choice();
                return self.redeem(&issue, &doc).await;
            }
            if let Some(end) = self.recovery_end(&doc).await? {
                return Ok(end);
            }
            doc = self.remediate(doc).await?;
        }
    }

    async fn cancel_on_server(&mut self) -> ServerCancel {
        let Some(form) = self.cancel.take() else {
            return ServerCancel::NothingHeld;
        };
        let (Ok(url), Ok(body)) = (self.api.resolve(&form.href), form.fill(&Inputs::new())) else {
            return ServerCancel::NothingHeld;
        };
        // Best effort: the state handle expires on its own if this does not get through.
        match self
            .api
            .post_ion::<_, serde::de::IgnoredAny>(&url, &body, form.content_type(), Retry::Never)
            .await
        {
            Ok(_) => ServerCancel::Confirmed,
            Err(_) => ServerCancel::Unconfirmed,
        }
    }
}

impl Idx {
    /// Follows the step in play: the first form that is not a side form.
    pub(super) async fn remediate(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        if doc.forms().is_empty() {
            return Err(match doc.errors().first() {
                Some(message) => self.ended_by(&doc, message),
                None => self
                    .api
                    .unexpected_step("an answer with no next step and no success"),
            }
            .into());
        }
        if doc
            .errors()
            .iter()
            .any(|m| m.key() == "idx.session.expired")
        {
            return Err(Error::Expired.into());
        }
        let Some(step) = doc
            .forms()
            .iter()
            .find(|form| !SIDE_FORMS.contains(&form.name.as_str()))
            .map(|form| form.name.clone())
        else {
            return self.browser_step(doc, "a step with only side forms").await;
        };
        match step.as_str() {
            "identify" | "identify-recovery" => self.identify(doc, &step).await,
            "reset-authenticator" => self.reset_password(doc).await,
            "challenge-authenticator" => self.answer(doc, false).await,
            "enroll-authenticator" => self.answer(doc, true).await,
            "challenge-poll" => self.push(doc).await,
            "resend-push" | "resend" => self.push_ended(doc).await,
            // Okta's push ends with `resend-push` first; an answer that offers only the
            // authenticators after a push ended must still say so, not send a new push unasked.
            "select-authenticator-authenticate" if push_end(&doc).is_some() => {
                self.push_ended(doc).await
            }
            "enroll-poll" => self.enroll_poll(doc).await,
            "enrollment-channel-data" => self.channel_data(doc).await,
            "select-authenticator-authenticate"
            | "select-authenticator-enroll"
            | "select-authenticator-unlock-account" => self.select(doc, &step).await,
            "authenticator-verification-data" | "authenticator-enrollment-data" => {
                self.method_data(doc, &step).await
            }
            "reenroll-authenticator" | "reenroll-authenticator-warning" => {
                self.new_password(doc, &step).await
            }
            "keep-me-signed-in" => self.keep_me_signed_in(doc).await,
            // A prompt after the sign-in (stay signed in, a passkey, the profile) that Okta
            // lets be skipped: "Not now", without the browser.
            other if doc.form("skip").is_some() => {
                self.api.note(
                    "prompt skipped",
                    format!("optional step \"{other}\": not now"),
                );
                self.io.working(crate::stage::Activity::Skipping).await?;
                self.submit_named(&doc, "skip").await
            }
            other => {
                let other = other.to_owned();
                self.browser_step(doc, &other).await
            }
        }
    }
}
