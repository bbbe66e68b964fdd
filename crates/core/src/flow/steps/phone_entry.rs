//! Asking for the phone number to enroll for SMS or voice calls, for both drivers: the
//! `NeedsPhoneNumber` stage (with the number Okta has, where it says), the wait for a number
//! or another factor, and a number OktaDesk cannot read kept as the reason to ask again, so it
//! never reaches Okta.

use super::await_input::{Reply, Switch, await_input};
use super::factor_state::FactorState;
use crate::error::{Error, ErrorInfo};
use crate::flow::command::Command;
use crate::flow::conversation::{Conversation, Step};
use crate::phone_number::PhoneNumber;
use crate::stage::{FactorChoice, Stage};

/// What the `NeedsPhoneNumber` stage says.
pub(crate) struct PhoneAsk {
    pub factor: FactorChoice,
    /// The number the factor has now, when Okta says (enrolling again replaces it).
    pub current_phone: Option<String>,
    pub last_error: Option<ErrorInfo>,
}

/// Asks for a phone number and waits for it (`SubmitPhoneNumber`) or another factor.
pub(crate) async fn ask_phone_number(
    io: &mut Conversation,
    ask: PhoneAsk,
    switch: &Switch,
) -> Step<Reply> {
    io.emit(Stage::NeedsPhoneNumber {
        factor: ask.factor,
        current_phone: ask.current_phone,
        last_error: ask.last_error,
    })
    .await?;
    let waiting = "the sign-in is waiting for a phone number";
    await_input(io, switch, waiting, |command| {
        matches!(command, Command::SubmitPhoneNumber { .. }).then_some(Ok(()))
    })
    .await
}

/// The number `typed`, as Okta takes it; `None` when it cannot be one, with why kept in
/// `state` for the stage that asks again.
pub(crate) fn read_phone_number(state: &mut FactorState, typed: &str) -> Option<PhoneNumber> {
    match PhoneNumber::parse(typed) {
        Ok(number) => Some(number),
        Err(refused) => {
            state.pending_error = Some(Error::from(refused).info());
            None
        }
    }
}
