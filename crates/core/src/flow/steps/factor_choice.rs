//! Asking the person to pick a factor, for both drivers and for recoveries: the
//! `NeedsFactorChoice` stage, then the wait for one of the factors on offer (or a skip, where
//! the step can be skipped). Which factor is picked without asking is `factors::auto_pick`'s.

use crate::error::ErrorInfo;
use crate::flow::command::Command;
use crate::flow::conversation::{Conversation, Step};
use crate::flow::factors::{self, Offered};
use crate::stage::{FactorPurpose, RememberDeviceOffer, Stage};

/// What the `NeedsFactorChoice` stage says beside the factors.
pub(crate) struct ChoiceAsk {
    pub purpose: FactorPurpose,
    pub can_skip: bool,
    pub last_error: Option<ErrorInfo>,
    pub remember_device: Option<RememberDeviceOffer>,
}

/// Shows the factors `offered` and waits for a pick: its place in `offered`, or `None` when
/// the person skipped (only where `can_skip`).
pub(crate) async fn ask_factor_choice(
    io: &mut Conversation,
    ask: ChoiceAsk,
    offered: &[Offered],
) -> Step<Option<usize>> {
    let ChoiceAsk {
        purpose,
        can_skip,
        last_error,
        remember_device,
    } = ask;
    io.emit(Stage::NeedsFactorChoice {
        last_error,
        purpose,
        factors: offered.iter().map(|(choice, _)| choice.clone()).collect(),
        can_skip,
        remember_device,
    })
    .await?;
    let waiting = purpose.waiting();
    let command = io
        .wait_for(|command| match command {
            Command::ChooseFactor { key } => factors::check_key(offered, key),
            Command::Skip if can_skip => Ok(()),
            _ => Err(waiting.into()),
        })
        .await?;
    Ok(match command {
        Command::ChooseFactor { key } => Some(factors::position(offered, &key)),
        _ => None,
    })
}
