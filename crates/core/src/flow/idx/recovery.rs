//! Self-service recovery on Identity Engine: a forgotten password and a locked account.
//!
//! OktaDesk never builds a recovery URL: it follows the form Okta offers for it or ends
//! with [`Error::SelfServiceNotAllowed`]. A reset follows the password's `recover` form
//! (okta-auth-js's `currentAuthenticator-recover` on an identify that takes the password,
//! `currentAuthenticatorEnrollment-recover` on the password's challenge in an
//! identifier-first org, reached by sending the username and picking the password); an
//! unlock follows the `unlock-account` remediation of the first answer. From there the
//! steps are the sign-in's own (`identify-recovery`, the authenticator choice, codes,
//! questions), asked with a recovery's purpose, then `reset-authenticator` for the new
//! password, after which the sign-in goes on as usual. An unlock ends on Okta's success
//! message: a terminal answer, or one that goes on to sign in ("land on app"), which without
//! the password OktaDesk ends there too, cancelling the transaction with Okta.

use super::authenticators;
use super::form::Inputs;
use super::refusals::terminal;
use super::state::Idx;
use super::step_names::SIDE_FORMS;
use super::wire::IdxResponse;
use crate::client::Retry;
use crate::error::Error;
use crate::flow::conversation::Step;
use crate::flow::driver::{CANCEL_BOUND, Driver};
use crate::okta_errors;
use crate::stage::{Activity, Recovery, Stage};

/// What Okta's message on a finished unlock starts with (`…success.message`,
/// `…landing.to.app.success.message`, `…landing.to.app.signing.in.message`).
const UNLOCKED_KEY: &str = "oie.selfservice.unlock_user.";

/// Okta's message once a reset password ends the transaction.
const RESET_KEY: &str = "idx.recovery.completed";

impl Idx {
    /// From the first answer to the recovery's first step: the `recover` or `unlock-account`
    /// form Okta offers, sent; or the sign-in's first steps towards the password's `recover`
    /// (the username, the password picked). Anything else: Okta does not offer it.
    pub(super) async fn enter_recovery(
        &mut self,
        mut doc: IdxResponse,
        recovery: Recovery,
    ) -> Step<IdxResponse> {
        loop {
            if let Some(cancel) = &doc.cancel {
                self.cancel = Some(cancel.clone());
            }
            let offered = match recovery {
                Recovery::ResetPassword => doc.current().and_then(|c| c.recover.clone()),
                Recovery::UnlockAccount => doc.form("unlock-account").cloned(),
            };
            if let Some(form) = offered {
                self.api.note(
                    "recovery",
                    format!("following Okta's \"{}\" form", form.name),
                );
                self.proving = Some(recovery);
                return self.submit(&form, Inputs::new(), Retry::Never).await;
            }
            if let Some(message) = doc.errors().first() {
                return Err(terminal(message).into());
            }
            let step = doc
                .forms()
                .iter()
                .find(|form| !SIDE_FORMS.contains(&form.name.as_str()))
                .map(|form| form.name.clone());
            doc = match (recovery, step.as_deref()) {
                // Identifier first: the username, then the password's challenge carries it.
                (Recovery::ResetPassword, Some("identify"))
                    if !doc
                        .form("identify")
                        .is_some_and(|form| form.asks_for("credentials.passcode")) =>
                {
                    self.io.working(Activity::StartingRecovery).await?;
                    self.identify(doc, "identify").await?
                }
                (Recovery::ResetPassword, Some("select-authenticator-authenticate")) => {
                    let form = self.form_of(&doc, "select-authenticator-authenticate")?;
                    let password = authenticators::picks(&form, &doc, self.purpose_of(&form.name))
                        .into_iter()
                        .find(|pick| pick.password);
                    match password {
                        Some(pick) => {
                            self.select_pick(&doc, "select-authenticator-authenticate", pick)
                                .await?
                        }
                        None => return Err(self.not_offered(recovery, step.as_deref())),
                    }
                }
                _ => return Err(self.not_offered(recovery, step.as_deref())),
            };
        }
    }

    /// Okta offers no way to `recovery` where the sign-in stands (`step`).
    fn not_offered(
        &self,
        recovery: Recovery,
        step: Option<&str>,
    ) -> crate::flow::conversation::Halt {
        self.api.note(
            "recovery",
            format!(
                "Okta offers no {} at \"{}\"",
                match recovery {
                    Recovery::ResetPassword => "password reset",
                    Recovery::UnlockAccount => "unlock",
                },
                step.unwrap_or("its answer")
            ),
        );
        Error::SelfServiceNotAllowed { recovery }.into()
    }

    /// How a recovery ends before the sign-in's own end: Okta refusing it, the account
    /// unlocked, or the password reset with the transaction over. `None`: it goes on.
    pub(super) async fn recovery_end(&mut self, doc: &IdxResponse) -> Step<Option<Stage>> {
        let Some(recovery) = self.recovery else {
            return Ok(None);
        };
        if let Some(refusal) = doc
            .errors()
            .into_iter()
            .filter_map(|message| okta_errors::from_idx_message(message.key()))
            .find(|error| matches!(error, Error::SelfServiceNotAllowed { .. }))
        {
            return Err(refusal.into());
        }
        let Some(info) = doc.messages().into_iter().find(|m| !m.is_error()).cloned() else {
            return Ok(None);
        };
        let username = doc
            .user
            .as_ref()
            .and_then(|user| user.value.identifier.clone())
            .unwrap_or_else(|| self.username.as_str().to_owned());
        let stage = match recovery {
            Recovery::UnlockAccount
                if info.key().starts_with(UNLOCKED_KEY) && info.key().contains("success") =>
            {
                if !doc.forms().is_empty() {
                    // Okta went on to sign in, which needs the password OktaDesk does not
                    // hold: the person signs in anew, and this transaction ends now.
                    self.api.note(
                        "unlocked",
                        "Okta went on to sign in; OktaDesk holds no password, so it ends the transaction".into(),
                    );
                    let _ = tokio::time::timeout(CANCEL_BOUND, self.cancel_on_server()).await;
                }
                Stage::AccountUnlocked {
                    username,
                    message: info.message,
                }
            }
            Recovery::ResetPassword if info.key() == RESET_KEY && doc.forms().is_empty() => {
                Stage::PasswordReset {
                    username,
                    message: info.message,
                }
            }
            _ => return Ok(None),
        };
        self.cancel = None;
        Ok(Some(stage))
    }

    /// `reset-authenticator`: the new password, with the password policy of the
    /// authenticator being reset; a password the policy refuses is asked for again with
    /// Okta's reasons.
    pub(super) async fn reset_password(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        let form = self.form_of(&doc, "reset-authenticator")?;
        let complexity = doc
            .current()
            .and_then(|current| current.settings.as_ref())
            .and_then(|settings| settings.complexity.clone());
        let refused = doc.errors().first().map(|message| {
            okta_errors::from_idx_message(message.key())
                .unwrap_or_else(|| Error::PasswordChangeRejected {
                    reason: message.message.clone(),
                })
                .info()
        });
        let last_error = self.factor.pending_error.take().or(refused);
        let new_password = self.io.ask_reset_password(complexity, last_error).await?;
        // New input from the person: the form may go again with it (`check_not_repeated`).
        self.fresh_input = true;
        self.io.working(Activity::ResettingPassword).await?;
        let inputs = Inputs::new().text("credentials.passcode", new_password);
        let answer = self.submit(&form, inputs, Retry::Never).await?;
        if answer.form("reset-authenticator").is_none() {
            // Proved and reset: what follows is the sign-in's own.
            self.proving = None;
        }
        Ok(answer)
    }
}
