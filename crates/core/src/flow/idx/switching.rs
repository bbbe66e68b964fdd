//! Switching factor on IDX: the authenticators the person can pick instead of the step in
//! play (from the select form Okta offers beside it), the pick made there, and why each
//! authenticator is proved (to enroll, verify, recover or unlock).

use super::authenticators::{self, Pick};
use super::state::Idx;
use super::step_names::SELECT_FORMS;
use super::wire::IdxResponse;
use crate::flow::conversation::Step;
use crate::flow::steps::Switch;
use crate::stage::{FactorChoice, FactorPurpose, Recovery};

impl Idx {
    /// The authenticators the person can switch to from the step in play: the select form's
    /// name and its picks (the password, which the driver sends itself, left out).
    pub(super) fn alternatives(&self, doc: &IdxResponse) -> Option<(&'static str, Vec<Pick>)> {
        let name = SELECT_FORMS
            .into_iter()
            .find(|name| doc.form(name).is_some())?;
        let form = doc.form(name)?;
        let purpose = self.purpose_of(name);
        let picks: Vec<Pick> = authenticators::picks(form, doc, purpose)
            .into_iter()
            .filter(|pick| !pick.password)
            .collect();
        (!picks.is_empty()).then_some((name, picks))
    }

    /// Where the person may go instead of the step in play: one of the alternatives Okta
    /// offers, or `none` when it offers none.
    pub(super) fn switch_of(&self, doc: &IdxResponse, none: Switch) -> Switch {
        match self.alternatives(doc) {
            Some((_, picks)) => Switch::among(picks.iter().map(|pick| pick.choice.key.as_str())),
            None => none,
        }
    }

    /// The person picked `key` from another step: pick it in the select form.
    pub(super) async fn switch(&mut self, doc: IdxResponse, key: String) -> Step<IdxResponse> {
        let Some((name, _)) = self.alternatives(&doc) else {
            return Err(self
                .api
                .unexpected_step("no way back to the authenticators")
                .into());
        };
        self.factor.pending_choice = Some(key);
        // Boxed: picking can lead back here (the browser, then another factor).
        Box::pin(self.select(doc, name)).await
    }

    pub(super) fn describe_current(
        &self,
        doc: &IdxResponse,
        purpose: FactorPurpose,
    ) -> FactorChoice {
        authenticators::current_choice(doc, self.chosen_method.as_deref(), purpose)
    }

    /// Why the select form `name` offers authenticators: to enroll, to verify, or (while a
    /// recovery proves who the person is) to recover or unlock.
    pub(super) fn purpose_of(&self, select_form: &str) -> FactorPurpose {
        if select_form.ends_with("enroll") {
            FactorPurpose::Enroll
        } else if select_form == "select-authenticator-unlock-account" {
            FactorPurpose::Unlock
        } else {
            self.verify_purpose()
        }
    }

    /// What proving an enrolled authenticator is for now.
    pub(super) fn verify_purpose(&self) -> FactorPurpose {
        match self.proving {
            Some(Recovery::ResetPassword) => FactorPurpose::Recover,
            Some(Recovery::UnlockAccount) => FactorPurpose::Unlock,
            None => FactorPurpose::Verify,
        }
    }
}
