//! Hardware tokens: an RSA SecurID token or a YubiKey is enrolled (MFA_ENROLL) with the code
//! it shows, and is active at once. Verifying one is a typed code like any other.

use url::Url;

use super::Classic;
use crate::client::Retry;
use crate::error::Error;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::Offered;
use crate::flow::naming;
use crate::flow::steps::{self, CodeAsk, Reply, Switch};
use crate::okta_errors;
use crate::stage::{Activity, CodePurpose, FactorChoice};
use crate::verification_code::VerificationCode;
use crate::wire::{EnrollProfile, Factor, StepBody, Transaction};

impl Classic {
    /// MFA_ENROLL, a token: the code it shows now, sent with the enrollment (with the
    /// credential id an RSA token is known by: the one Okta gave, or the username).
    pub(super) async fn enroll_token(
        &mut self,
        tx: Transaction,
        url: &Url,
        factor: &Factor,
        choice: FactorChoice,
        offered: &[Offered],
    ) -> Step<Transaction> {
        let ask = CodeAsk::new(choice, CodePurpose::Activate, None);
        let switch = Switch::among_others(offered);
        let waiting = "the sign-in is waiting for the code the token shows";
        let code = match self.ask_code(&ask, false, &switch, waiting).await? {
            Reply::Input(Command::SubmitCode { code }) => code,
            Reply::Input(_) => unreachable!("filtered by ask_code"),
            Reply::Switch(key) => {
                self.factor.pending_choice = Some(key);
                return Ok(tx);
            }
        };
        // Asked again after a refusal: stay on this factor.
        self.factor.pending_choice = Some(ask.choice.key.clone());
        let refused = |error: &Error| naming::code_refusal(error, &ask.choice, ask.format, 0);
        let code = match VerificationCode::parse_as(code.expose(), ask.format, ask.digits) {
            Ok(code) => code.into_secret(),
            Err(error) => {
                self.factor.pending_error = Some(refused(&error));
                return Ok(tx);
            }
        };
        let credential_id = factor
            .profile
            .as_ref()
            .and_then(|profile| profile.credential_id.clone())
            .unwrap_or_else(|| self.username.as_str().to_owned());
        let profile = (factor.factor_type == "token").then_some(EnrollProfile::Credential {
            credential_id: &credential_id,
        });
        self.io.working(Activity::Enrolling).await?;
        let body = StepBody::Enroll {
            factor_type: &factor.factor_type,
            provider: &factor.provider,
            profile,
            pass_code: Some(&code),
        };
        match self.post_state(url, body, Retry::Never).await {
            Ok(next) => {
                self.factor.pending_choice = None;
                Ok(next)
            }
            Err(Halt::Error(error)) if okta_errors::is_code_refusal(&error) => {
                self.factor.pending_error = Some(refused(&error));
                Ok(tx)
            }
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                self.factor.pending_error = Some(error.info());
                Ok(tx)
            }
            Err(halt) => Err(halt),
        }
    }
}
