//! Saying that an Okta Verify push is out, and the number to tap once the phone shows its
//! three: each once per push, however often the push is polled, for both drivers.

use super::factor_state::FactorState;
use crate::flow::conversation::{Conversation, Step};
use crate::stage::{RememberDeviceOffer, Stage};

/// Says `PushSent` the first time a push is seen, and `NumberChallenge` whenever Okta sends
/// a number not said yet (it can appear on any poll).
pub(crate) async fn announce_push(
    io: &Conversation,
    state: &mut FactorState,
    device_name: Option<String>,
    number: Option<u32>,
    remember_device: Option<RememberDeviceOffer>,
) -> Step<()> {
    if !state.push_announced {
        state.push_announced = true;
        io.emit(Stage::PushSent {
            device_name: device_name.clone(),
            remember_device,
        })
        .await?;
    }
    if let Some(number) = number.filter(|n| Some(*n) != state.last_number) {
        state.last_number = Some(number);
        io.emit(Stage::NumberChallenge {
            number,
            device_name,
            remember_device,
        })
        .await?;
    }
    Ok(())
}
