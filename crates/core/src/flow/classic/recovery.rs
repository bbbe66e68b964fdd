//! Self-service recovery (forgot password, unlock account) on the Authentication API.
//!
//! Okta wants the recovery factor before it says anything (`POST /api/v1/authn/recovery/password`
//! or `…/unlock` with `{username, factorType}`), so OktaDesk offers the three it knows (email,
//! SMS, voice call) and the org refuses the ones it does not allow, which the person is shown
//! before picking another. Then the statuses: RECOVERY_CHALLENGE (a code by SMS or call, or an
//! emailed link whose token the person pastes), RECOVERY (the security question),
//! PASSWORD_RESET (the new password), and the sign-in goes on from whatever comes back; an
//! unlock ends with SUCCESS and `recoveryType: UNLOCK`.

use super::Classic;
use crate::client::Retry;
use crate::error::{Error, ErrorInfo, ErrorKind};
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::{self, Offered, PickRules};
use crate::flow::naming;
use crate::flow::steps::{self, ChoiceAsk, CodeAsk, Reply, Switch, recoverable, trimmed};
use crate::okta_errors;
use crate::secret::Secret;
use crate::stage::{Activity, CodePurpose, FactorKind, FactorPurpose, Recovery, Stage};
use crate::wire::{Factor, RecoveryStartRequest, RecoveryTokenRequest, StepBody, Transaction};

/// The recovery factors the Authentication API takes, in the order the widget offers them.
const RECOVERY_FACTORS: [FactorKind; 3] = [FactorKind::Email, FactorKind::Sms, FactorKind::Call];

impl Classic {
    /// The first request of a recovery: the factor picked (by the options, or by the person),
    /// then `POST /api/v1/authn/recovery/{password,unlock}`, the one URL built by hand. A
    /// factor the org refuses is shown at the choice, and another is picked.
    pub(super) async fn start_recovery(&mut self, recovery: Recovery) -> Step<Transaction> {
        loop {
            let kind = self.recovery_factor(recovery).await?;
            match self.request_recovery(recovery, kind).await {
                Err(Halt::Error(error)) if recoverable(&error) => {
                    self.factor.pending_error = Some(error.info());
                }
                other => return other,
            }
        }
    }

    /// The factor to recover with: the one just picked elsewhere, the preferred one, or the
    /// person's pick. After a refusal the person always picks: nothing is re-sent unasked.
    async fn recovery_factor(&mut self, recovery: Recovery) -> Step<FactorKind> {
        let offered = recovery_choices();
        let choices: Vec<_> = offered.iter().map(|(choice, _)| choice.clone()).collect();
        let purpose = purpose(recovery);
        let pending = self.factor.pending_choice.take();
        let last_error = self.factor.pending_error.take();
        let rules = PickRules {
            pending: pending.as_deref(),
            preferred: self
                .options
                .preferred_factor
                .filter(|_| last_error.is_none()),
            auto_push: false,
        };
        if let Some(index) = factors::auto_pick(&choices, purpose, false, rules, |_| false) {
            return Ok(choices[index].kind);
        }
        let ask = ChoiceAsk {
            purpose,
            can_skip: false,
            last_error,
            remember_device: None,
        };
        let Some(index) = steps::ask_factor_choice(&mut self.io, ask, &offered).await? else {
            unreachable!("a recovery factor cannot be skipped")
        };
        Ok(choices[index].kind)
    }

    async fn request_recovery(
        &mut self,
        recovery: Recovery,
        kind: FactorKind,
    ) -> Step<Transaction> {
        let path = match recovery {
            Recovery::ResetPassword => "/api/v1/authn/recovery/password",
            Recovery::UnlockAccount => "/api/v1/authn/recovery/unlock",
        };
        let url = self.api.org().join(path);
        // A new recovery replaces whatever an earlier factor started.
        self.state_token = None;
        self.cancel_link = None;
        self.factor.no_code_sent();
        self.io.working(Activity::StartingRecovery).await?;
        let body = RecoveryStartRequest {
            username: self.username.as_str(),
            factor_type: factor_type(kind),
        };
        match self.api.post(&url, &body, Retry::Never).await {
            Ok(answer) => {
                if kind.is_sent() {
                    self.factor.code_sent_now();
                }
                Ok(self.absorb(answer))
            }
            // "Recovery not allowed for unknown user." (the widget's `errors.E0000095`).
            Err(Error::Okta { code, .. }) if code == "E0000095" => Err(Error::UnknownUser {
                username: self.username.as_str().to_owned(),
            }
            .into()),
            Err(error) => Err(error.into()),
        }
    }

    /// RECOVERY_CHALLENGE: a code sent by SMS or call, or an emailed link.
    pub(super) async fn recovery_challenge(&mut self, tx: Transaction) -> Step<Transaction> {
        let kind = tx
            .factor_type
            .as_deref()
            .map(|name| FactorKind::of(&name.to_ascii_lowercase(), "OKTA"))
            .filter(|kind| RECOVERY_FACTORS.contains(kind))
            .ok_or_else(|| {
                self.api
                    .unexpected_step("a recovery challenge without a factor OktaDesk knows")
            })?;
        match kind {
            FactorKind::Email => self.recovery_email_sent(tx).await,
            _ => self.recovery_code(tx, kind).await,
        }
    }

    /// The recovery factors other than `kind`, to switch to; empty outside a recovery.
    fn other_recovery_factors(&self, kind: FactorKind) -> Vec<Offered> {
        if self.recovery.is_none() {
            return Vec::new();
        }
        recovery_choices()
            .into_iter()
            .filter(|(choice, _)| choice.kind != kind)
            .collect()
    }

    /// The person picked another recovery factor: the recovery starts again with it.
    async fn switch_recovery_factor(&mut self, key: String) -> Step<Transaction> {
        let recovery = self.recovery.ok_or_else(|| {
            self.api
                .unexpected_step("a recovery step outside a recovery")
        })?;
        self.factor.pending_choice = Some(key);
        Box::pin(self.start_recovery(recovery)).await
    }

    /// RECOVERY_CHALLENGE by SMS or voice call: the code goes to `next` (`verify`), a new one
    /// comes through `resend`.
    async fn recovery_code(&mut self, tx: Transaction, kind: FactorKind) -> Step<Transaction> {
        let factor = recovery_factor(kind);
        let ask = CodeAsk::new(
            naming::choice(&factor, kind, kind.as_str().to_owned()),
            CodePurpose::Recover,
            None,
        );
        let others = self.other_recovery_factors(kind);
        let resendable = !tx.links.resend.is_empty();
        self.factor.code_sent_on_entry();
        let switch = Switch::among(others.iter().map(|(choice, _)| choice.key.as_str()));
        let waiting = "the recovery is waiting for the code Okta sent";
        match self.ask_code(&ask, resendable, &switch, waiting).await? {
            Reply::Input(Command::SubmitCode { code }) => {
                let next = self.next_link(&tx, "verify")?;
                self.submit_code(&tx, &next, code, &ask).await
            }
            Reply::Input(Command::ResendCode) => self.resend_code(&tx, &factor, kind).await,
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => self.switch_recovery_factor(key).await,
        }
    }

    /// RECOVERY_CHALLENGE by email: Okta sent a link and holds no transaction (no state
    /// token, no links). The person pastes the link, or the token in it, and it goes to
    /// `/api/v1/authn/recovery/token`: Okta's answer names no link for it, so this URL is
    /// built by hand too. A link Okta no longer takes is said, and another can be pasted.
    async fn recovery_email_sent(&mut self, tx: Transaction) -> Step<Transaction> {
        let others = self.other_recovery_factors(FactorKind::Email);
        let last_error = self.factor.pending_error.take();
        self.io
            .emit(Stage::RecoveryEmailSent {
                factors: others.iter().map(|(choice, _)| choice.clone()).collect(),
                last_error,
            })
            .await?;
        let switch = Switch::among(others.iter().map(|(choice, _)| choice.key.as_str()));
        let waiting = "the recovery is waiting for the link Okta emailed";
        let reply = steps::await_input(&mut self.io, &switch, waiting, |command| {
            matches!(command, Command::SubmitRecoveryToken { .. }).then_some(Ok(()))
        })
        .await?;
        let token = match reply {
            Reply::Input(Command::SubmitRecoveryToken { token }) => token,
            Reply::Input(_) => unreachable!("filtered by await_input"),
            Reply::Switch(key) => return self.switch_recovery_factor(key).await,
        };
        let Some(token) = recovery_token(&token) else {
            // Never sent: it could not be a token.
            self.factor.pending_error = Some(ErrorInfo {
                kind: ErrorKind::InvalidCode,
                message: "That is not a recovery link. Paste the whole link from the recovery email (it contains /signin/reset-password/ or /signin/unlock/), or the token at its end.".into(),
            });
            return Ok(tx);
        };
        self.io.working(Activity::StartingRecovery).await?;
        let url = self.api.org().join("/api/v1/authn/recovery/token");
        let body = RecoveryTokenRequest {
            recovery_token: &token,
        };
        match self.api.post(&url, &body, Retry::Never).await {
            Ok(answer) => Ok(self.absorb(answer)),
            Err(Error::Expired | Error::RecoveryLinkExpired) => {
                self.factor.pending_error = Some(Error::RecoveryLinkExpired.info());
                Ok(tx)
            }
            Err(error) if recoverable(&error) => {
                self.factor.pending_error = Some(error.info());
                Ok(tx)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// RECOVERY: the account's security question; the answer goes to `next` (`answer`).
    pub(super) async fn recovery_question(&mut self, tx: Transaction) -> Step<Transaction> {
        let question = tx
            .embedded
            .user
            .as_ref()
            .and_then(|user| user.recovery_question.as_ref())
            .map(|q| q.question.clone())
            .filter(|question| !question.trim().is_empty())
            .unwrap_or_else(|| "Your security question".to_owned());
        let factor = recovery_factor(FactorKind::Question);
        let choice = naming::choice(&factor, FactorKind::Question, "question".into());
        let last_error = self.factor.pending_error.take();
        self.io
            .emit(Stage::NeedsAnswer {
                factor: choice,
                question,
                last_error,
                remember_device: None,
            })
            .await?;
        let waiting = "the recovery is waiting for the answer to the security question";
        let reply = steps::await_input(&mut self.io, &Switch::Closed, waiting, |command| {
            matches!(command, Command::SubmitAnswer { .. }).then_some(Ok(()))
        })
        .await?;
        let Reply::Input(Command::SubmitAnswer { answer }) = reply else {
            unreachable!("filtered by await_input")
        };
        let Some(answer) = trimmed(&answer) else {
            self.factor.pending_error = Some(Error::InvalidAnswer.info());
            return Ok(tx);
        };
        self.io.working(Activity::VerifyingAnswer).await?;
        let url = self.next_link(&tx, "answer")?;
        match self
            .post_state(&url, StepBody::Answer { answer: &answer }, Retry::Never)
            .await
        {
            Err(Halt::Error(Error::InvalidAnswer | Error::InvalidCode)) => {
                self.factor.pending_error = Some(Error::InvalidAnswer.info());
                Ok(tx)
            }
            other => other,
        }
    }

    /// PASSWORD_RESET: the new password, checked against the policy Okta sent; one Okta
    /// refuses (E0000080 and its kin) is asked for again with Okta's reasons.
    pub(super) async fn reset_password(&mut self, tx: Transaction) -> Step<Transaction> {
        let complexity = tx
            .embedded
            .policy
            .as_ref()
            .and_then(|policy| policy.complexity.clone());
        let last_error = self.factor.pending_error.take();
        let new_password = self.io.ask_reset_password(complexity, last_error).await?;
        self.io.working(Activity::ResettingPassword).await?;
        let url = self.next_link(&tx, "resetPassword")?;
        let body = StepBody::NewPassword {
            new_password: &new_password,
        };
        match self.post_state(&url, body, Retry::Never).await {
            Err(Halt::Error(error)) => match okta_errors::password_change_refusal(&error) {
                Some(refusal) => {
                    self.factor.pending_error = Some(refusal.info());
                    Ok(tx)
                }
                None => Err(error.into()),
            },
            other => other,
        }
    }

    /// SUCCESS with `recoveryType: UNLOCK`: the account is unlocked; a session token, when
    /// Okta sends one, is dropped: the person signs in again.
    pub(super) fn unlocked(&mut self, tx: &Transaction) -> Stage {
        self.state_token = None;
        let username = tx
            .embedded
            .user
            .as_ref()
            .map(|user| user.profile.login.clone())
            .filter(|login| !login.is_empty())
            .unwrap_or_else(|| self.username.as_str().to_owned());
        Stage::AccountUnlocked {
            username,
            message: "Your account is unlocked. Sign in with your username and password.".into(),
        }
    }
}

fn purpose(recovery: Recovery) -> FactorPurpose {
    match recovery {
        Recovery::ResetPassword => FactorPurpose::Recover,
        Recovery::UnlockAccount => FactorPurpose::Unlock,
    }
}

/// What `factorType` Okta takes for a recovery factor (the widget's `RECOVERY_FACTOR_TYPE_*`).
fn factor_type(kind: FactorKind) -> &'static str {
    match kind {
        FactorKind::Sms => "SMS",
        FactorKind::Call => "CALL",
        _ => "EMAIL",
    }
}

/// A recovery factor as the shared naming rules read one: Okta lists none.
fn recovery_factor(kind: FactorKind) -> Factor {
    factors::bare_factor(None, kind.as_str().to_owned(), "OKTA".into())
}

/// Email, SMS and voice call, keyed `email`, `sms`, `call`.
fn recovery_choices() -> Vec<Offered> {
    RECOVERY_FACTORS
        .into_iter()
        .map(|kind| {
            let factor = recovery_factor(kind);
            (
                naming::choice(&factor, kind, kind.as_str().to_owned()),
                factor,
            )
        })
        .collect()
}

/// The recovery token in what the person pasted: the whole emailed link (its last path
/// segment: `/signin/reset-password/<token>`, `/signin/unlock/<token>`), or the bare token.
/// `None` when it is neither.
pub(crate) fn recovery_token(pasted: &Secret) -> Option<Secret> {
    let text = pasted.expose().trim();
    let token = match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "https" | "http") => url
            .path_segments()?
            .rev()
            .find(|segment| !segment.is_empty())?
            .to_owned(),
        _ => text.to_owned(),
    };
    let token = zeroize::Zeroizing::new(token);
    let plausible = !token.is_empty()
        && token.len() <= 512
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    plausible.then(|| Secret::new(token.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(pasted: &str) -> Option<String> {
        recovery_token(&Secret::new(pasted)).map(|token| token.expose().to_owned())
    }

    #[test]
    fn a_pasted_link_gives_its_last_path_segment() {
        for link in [
            "https://acme.okta.com/signin/reset-password/VBQ0gwBp5LyJJ",
            "https://acme.okta.com/signin/unlock/VBQ0gwBp5LyJJ/",
            "  https://id.acme.com/signin/reset-password/VBQ0gwBp5LyJJ?fromURI=%2Fapp#x  ",
        ] {
            assert_eq!(token(link).as_deref(), Some("VBQ0gwBp5LyJJ"), "{link}");
        }
        assert_eq!(token(" VBQ0gwBp5LyJJ\n").as_deref(), Some("VBQ0gwBp5LyJJ"));
    }

    #[test]
    fn anything_else_is_not_a_token() {
        for pasted in [
            "",
            "   ",
            "not a link",
            "https://acme.okta.com/",
            "a/b",
            "ftp://x/y z",
        ] {
            assert_eq!(token(pasted), None, "{pasted}");
        }
    }

    #[test]
    fn okta_takes_upper_case_factor_types() {
        let types: Vec<_> = RECOVERY_FACTORS.into_iter().map(factor_type).collect();
        assert_eq!(types, ["EMAIL", "SMS", "CALL"]);
        let keys: Vec<_> = recovery_choices()
            .into_iter()
            .map(|(choice, _)| choice.key)
            .collect();
        assert_eq!(keys, ["email", "sms", "call"]);
    }
}
