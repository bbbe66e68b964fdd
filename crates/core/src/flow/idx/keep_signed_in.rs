//! "Remember this device" on Identity Engine: Okta's "Keep me signed in" (KMSI).
//!
//! IDX has no `rememberDevice` parameter. Where the org's policy lets people stay signed in,
//! the `identify` form carries a `rememberMe` boolean, and Okta may ask again after the last
//! factor with its `keep-me-signed-in` prompt (`keepMeSignedIn`, beside `skip`). A device
//! kept signed in skips the second factor at the next sign-in from it (Okta knows the
//! device by its `DT` cookie, which the flow's cookie jar keeps, as for Classic).
//!
//! The driver follows the person's choice ([`RememberChoice`], which the window's checkbox
//! and `--remember-device` set, as on Classic):
//!
//! - `identify` sends `rememberMe` as the choice when the form has the field;
//! - the verification stages show the offer (`lifetime_minutes: None`: Okta does not say
//!   how long) when the `identify` form had `rememberMe`, the one sign before the factors
//!   that the org offers KMSI at all;
//! - the `keep-me-signed-in` prompt is answered `keepMeSignedIn: true` when the person chose
//!   to be remembered, and skipped otherwise (`keepMeSignedIn: false` where no `skip` is
//!   offered), so a choice made after `identify` still reaches Okta where it asks.
//!
//! A choice changed after `identify` on an org that never asks the prompt cannot reach Okta
//! any more: the transcript says so at the end.

use super::form::Inputs;
use super::state::Idx;
use super::wire::{Form, IdxResponse};
use crate::client::Retry;
use crate::flow::conversation::Step;
use crate::stage::{Activity, FactorPurpose, RememberDeviceOffer};

/// The boolean on `identify` that asks Okta to keep this device signed in.
const REMEMBER_ME: &str = "rememberMe";
/// The boolean of the post-sign-in prompt.
const KEEP_ME_SIGNED_IN: &str = "keepMeSignedIn";

impl Idx {
    /// `inputs` for `identify` with `rememberMe` set to the person's choice, when the form
    /// asks for it (and noted as offered).
    pub(super) fn with_remember_me(&mut self, form: &Form, inputs: Inputs) -> Inputs {
        if !form.asks_for(REMEMBER_ME) {
            return inputs;
        }
        let chosen = self.remember.chosen();
        self.kmsi_sent = Some(chosen);
        self.api.note(
            "keep me signed in",
            format!("identify sends {REMEMBER_ME}: {chosen}"),
        );
        inputs.flag(REMEMBER_ME, chosen)
    }

    /// The offer a stage for `purpose` shows: on verification, where Okta offers KMSI.
    pub(super) fn remember_offer(&self, purpose: FactorPurpose) -> Option<RememberDeviceOffer> {
        (purpose == FactorPurpose::Verify && self.kmsi_sent.is_some())
            .then(|| self.remember.keep_signed_in_offer())
    }

    /// `keep-me-signed-in`: yes when the person chose to be remembered; else "not now".
    pub(super) async fn keep_me_signed_in(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        let form = self.form_of(&doc, "keep-me-signed-in")?;
        let chosen = self.remember.chosen();
        self.kmsi_sent = Some(chosen);
        if !chosen && doc.form("skip").is_some() {
            self.api.note(
                "prompt skipped",
                "optional step \"keep-me-signed-in\": not now (the device is not to be remembered)"
                    .into(),
            );
            self.io.working(Activity::Skipping).await?;
            return self.submit_named(&doc, "skip").await;
        }
        self.api.note(
            "keep me signed in",
            format!("answered {KEEP_ME_SIGNED_IN}: {chosen}"),
        );
        self.io.working(Activity::Skipping).await?;
        let inputs = Inputs::new().flag(KEEP_ME_SIGNED_IN, chosen);
        self.submit(&form, inputs, Retry::Never).await
    }

    /// Says in the transcript when the person's last choice differs from what Okta was told
    /// (changed after `identify`, and no prompt came to carry it).
    pub(super) fn note_unsent_choice(&self) {
        if let Some(sent) = self.kmsi_sent
            && sent != self.remember.chosen()
        {
            self.api.note(
                "keep me signed in",
                format!(
                    "the choice changed after it was sent (rememberMe: {sent}); Okta did not ask again, so it stands"
                ),
            );
        }
    }
}
