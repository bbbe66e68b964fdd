//! Asking for a code, for both drivers: what it looks like (digits, letters, how many), the
//! `NeedsCode` stage with the resend countdown, the wait for the code (or "send again", or
//! another factor), and a code refused: malformed ones never reach Okta, where they would
//! count as a failed attempt; refused ones are asked for again in words for the factor.

use super::await_input::{Reply, Switch, await_input};
use super::factor_state::FactorState;
use super::resend::ResendClock;
use crate::error::{Error, ErrorInfo};
use crate::flow::command::Command;
use crate::flow::conversation::{Conversation, Step};
use crate::flow::naming;
use crate::secret::Secret;
use crate::stage::{CodePurpose, FactorChoice, RememberDeviceOffer, Stage};
use crate::verification_code::{CodeFormat, VerificationCode};

/// A code being asked for: the factor, what it is for, and what it looks like.
pub(crate) struct CodeAsk {
    pub choice: FactorChoice,
    pub purpose: CodePurpose,
    pub format: CodeFormat,
    pub digits: usize,
}

impl CodeAsk {
    /// `key_length` is what a TOTP activation says its codes have.
    pub fn new(choice: FactorChoice, purpose: CodePurpose, key_length: Option<u32>) -> Self {
        let (format, digits) = naming::code_rule(choice.kind, key_length);
        Self {
            choice,
            purpose,
            format,
            digits,
        }
    }

    /// The code as Okta takes it; `None` when it is malformed, with why kept in `state` for
    /// the stage that asks again.
    pub fn well_formed(&self, state: &mut FactorState, code: &Secret) -> Option<Secret> {
        match VerificationCode::parse_as(code.expose(), self.format, self.digits) {
            Ok(code) => Some(code.into_secret()),
            Err(error) => {
                self.refused(state, &error);
                None
            }
        }
    }

    /// Why the code was refused (`error`), in words for the factor.
    pub fn refusal(&self, error: &Error) -> ErrorInfo {
        naming::code_refusal(error, &self.choice, self.format, self.digits)
    }

    /// Keeps why the code was refused (`error`) for the stage that asks again.
    pub fn refused(&self, state: &mut FactorState, error: &Error) {
        state.pending_error = Some(self.refusal(error));
    }
}

/// What the `NeedsCode` stage says beside the code asked for.
pub(crate) struct CodeStage {
    /// The countdown to a new code, where one can be sent again.
    pub resend: Option<ResendClock>,
    pub last_error: Option<ErrorInfo>,
    pub remember_device: Option<RememberDeviceOffer>,
}

/// Asks for the code `ask` (saying why the last one failed) and waits: `SubmitCode` always
/// fits; `ResendCode` when the code can be sent again and Okta allows it by now; another
/// factor by `switch`; anything else is told `waiting`.
pub(crate) async fn ask_code(
    io: &mut Conversation,
    ask: &CodeAsk,
    stage: CodeStage,
    switch: &Switch,
    waiting: &str,
) -> Step<Reply> {
    let CodeStage {
        resend,
        last_error,
        remember_device,
    } = stage;
    io.emit(Stage::NeedsCode {
        factor: ask.choice.clone(),
        purpose: ask.purpose,
        code_digits: ask.digits,
        code_format: ask.format,
        resend_in_seconds: resend.map(|clock| clock.seconds_left()),
        last_error,
        remember_device,
    })
    .await?;
    await_input(io, switch, waiting, |command| match (command, &resend) {
        (Command::SubmitCode { .. }, _) => Some(Ok(())),
        (Command::ResendCode, Some(clock)) => Some(clock.fits()),
        _ => None,
    })
    .await
}
