//! Sending IDX forms: filled with the person's values, POSTed to their `href` on the org,
//! and the one rule against loops (the same form with the same values goes again only after
//! the person said something new).

use std::time::Duration;

use super::form::{Body, Inputs};
use super::state::{Idx, Sent};
use super::wire::{Form, IdxResponse};
use crate::client::Retry;
use crate::error::{Error, Result};
use crate::flow::command::Command;
use crate::flow::conversation::{Fit, Step};
use crate::flow::steps::{self, Reply, Switch};

impl Idx {
    /// Fills `form` with `inputs` and POSTs it to its `href`.
    pub(super) async fn submit(
        &mut self,
        form: &Form,
        inputs: Inputs,
        retry: Retry,
    ) -> Step<IdxResponse> {
        if form
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case("POST"))
        {
            return Err(self
                .api
                .unexpected_step(&format!(
                    "a \"{}\" form to send other than by POST",
                    form.name
                ))
                .into());
        }
        let url = self.api.resolve(&form.href)?;
        let body = self.fill(form, inputs)?;
        self.check_not_repeated(form, &body)?;
        let answer = self
            .api
            .post_ion::<_, IdxResponse>(&url, &body, form.content_type(), retry)
            .await?;
        Ok(answer)
    }

    /// The one rule against loops: the same form with the same values goes to Okta again
    /// only after the person said something new. Okta asking again for what it was just sent
    /// (an unknown user, a refusal the driver did not foresee) ends the sign-in with the form
    /// named, rather than hammering the org.
    pub(super) fn check_not_repeated(&mut self, form: &Form, body: &Body) -> Result<()> {
        use std::hash::{Hash, Hasher};
        let bytes = zeroize::Zeroizing::new(serde_json::to_vec(body).unwrap_or_default());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        let sent = Sent {
            form: form.name.clone(),
            href: form.href.clone(),
            digest: hasher.finish(),
        };
        let fresh = std::mem::take(&mut self.fresh_input);
        if !fresh && self.last_sent.as_ref() == Some(&sent) {
            self.api.note(
                "loop stopped",
                format!("\"{}\" asked for again with nothing new to send", form.name),
            );
            return Err(Error::UnexpectedResponse {
                host: self.api.org().host().to_owned(),
                detail: format!(
                    "Okta asked again for the \"{}\" step it had just been sent, without saying why",
                    form.name
                ),
                advice: "OktaDesk stopped rather than send the same thing again. Try again later; if it keeps happening, sign in through the browser and tell your help desk.",
            });
        }
        self.last_sent = Some(sent);
        Ok(())
    }

    /// Waits for the step's input or another factor (see `steps::await_input`); what the
    /// person says is new input.
    pub(super) async fn await_input(
        &mut self,
        switch: &Switch,
        waiting: &str,
        input: impl Fn(&Command) -> Option<Fit>,
    ) -> Step<Reply> {
        let reply = steps::await_input(&mut self.io, switch, waiting, input).await?;
        self.fresh_input = true;
        Ok(reply)
    }

    /// POSTs the form named `name` of `doc` with its own values (`skip`, `resend`).
    pub(super) async fn submit_named(
        &mut self,
        doc: &IdxResponse,
        name: &str,
    ) -> Step<IdxResponse> {
        let form = doc
            .form(name)
            .cloned()
            .ok_or_else(|| self.api.unexpected_step(&format!("no \"{name}\" form")))?;
        self.submit(&form, Inputs::new(), Retry::Never).await
    }

    pub(super) fn fill(&self, form: &Form, inputs: Inputs) -> Result<Body> {
        form.fill(&inputs).map_err(|field| {
            self.api.unexpected_step(&format!(
                "a \"{}\" form whose required field \"{field}\" OktaDesk cannot fill",
                form.name
            ))
        })
    }

    /// How long a poll form asks to be left alone (`refresh`, in ms), or the client's poll
    /// interval when it does not say.
    pub(super) fn refresh(&self, form: &Form) -> Duration {
        form.refresh
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| Duration::from_millis(ms.min(60_000.0) as u64))
            .unwrap_or(self.api.config().poll_interval)
    }
}
