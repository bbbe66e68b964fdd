//! The seam between the sign-in's lifecycle and a wire protocol.
//!
//! A [`Driver`] walks one protocol (Classic `/api/v1/authn` today; Identity Engine's IDX
//! next) from the password to a final [`Stage`], talking to the person through a
//! [`Conversation`](super::conversation::Conversation). [`run`] owns what every driver
//! shares: the final stage, cancel on the server, and a UI that went away.

use std::future::Future;

use tokio::sync::mpsc;

use super::conversation::{Halt, Step};
use crate::error::Error;
use crate::stage::Stage;

/// One wire protocol's way from a password to a final stage.
pub(crate) trait Driver: Send + 'static {
    /// Runs the sign-in until it ends: `Ok` with `Success` (or another final stage), or a
    /// [`Halt`].
    fn drive(&mut self) -> impl Future<Output = Step<Stage>> + Send;

    /// Ends the transaction on the server, best effort (it expires on its own otherwise).
    fn cancel_on_server(&mut self) -> impl Future<Output = ()> + Send;
}

/// Drives `driver` to its end and sends the final stage.
pub(crate) async fn run(mut driver: impl Driver, stages: mpsc::Sender<Stage>) {
    let last = match driver.drive().await {
        Ok(stage) => stage,
        Err(Halt::Abandoned) => {
            driver.cancel_on_server().await;
            return;
        }
        Err(Halt::Cancelled(reply)) => {
            driver.cancel_on_server().await;
            let _ = reply.send(Ok(()));
            failed(&Error::Cancelled)
        }
        Err(Halt::Error(error @ Error::LockedOut { .. })) => Stage::LockedOut {
            message: error.to_string(),
        },
        Err(Halt::Error(error)) => failed(&error),
    };
    // Ignored: the listener may be gone, and there is nothing left to tell it.
    let _ = stages.send(last).await;
}

fn failed(error: &Error) -> Stage {
    Stage::Failed {
        kind: error.kind(),
        message: error.to_string(),
    }
}
