//! The seam between the sign-in's lifecycle and a wire protocol.
//!
//! A [`Driver`] walks one protocol (Classic `/api/v1/authn`, Identity Engine's IDX) from the
//! password to a final [`Stage`], talking to the person through a
//! [`Conversation`](super::conversation::Conversation). [`run`] owns what every driver
//! shares: the final stage, and ending the transaction with Okta whenever the sign-in ends on
//! our side (the person cancelled, the UI went away, an answer we cannot go on from, the
//! request budget spent), with one bounded attempt so a stop is never held up by Okta.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

use super::conversation::{Halt, Step};
use crate::client::Lifecycle;
use crate::error::Error;
use crate::stage::Stage;

/// The longest the one cancel request may take: a person who pressed Cancel or Ctrl-C, or
/// whose sign-in already failed, does not wait on a slow or rate-limited Okta for longer.
/// The transaction expires on its own within minutes if the request does not get through.
pub(crate) const CANCEL_BOUND: Duration = Duration::from_secs(2);

/// How a cancel on the server went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServerCancel {
    /// Nothing to cancel: no transaction held (not started, already ended, no cancel link).
    NothingHeld,
    /// Okta confirmed the cancellation.
    Confirmed,
    /// Sent, but Okta did not confirm it (an error, no answer in time).
    Unconfirmed,
}

/// One wire protocol's way from a password to a final stage.
pub(crate) trait Driver: Send + 'static {
    /// Runs the sign-in until it ends: `Ok` with `Success` (or another final stage), or a
    /// [`Halt`].
    fn drive(&mut self) -> impl Future<Output = Step<Stage>> + Send;

    /// Ends the transaction on the server, best effort (it expires on its own otherwise).
    fn cancel_on_server(&mut self) -> impl Future<Output = ServerCancel> + Send;
}

/// Drives `driver` to its end and sends the final stage. `lifecycle` is the sign-in's stop
/// signal, shared with its handle and every request.
pub(crate) async fn run(
    mut driver: impl Driver,
    stages: mpsc::Sender<Stage>,
    lifecycle: Lifecycle,
) {
    let last = match driver.drive().await {
        Ok(stage) => stage,
        Err(Halt::Abandoned) => {
            cancel(&mut driver, &lifecycle).await;
            return;
        }
        Err(Halt::Cancelled(reply)) => {
            cancel(&mut driver, &lifecycle).await;
            let _ = reply.send(Ok(()));
            failed(&Error::Cancelled, None)
        }
        // A stop cut short a request or a wait; the cancel command is still queued and is
        // answered when the driver (and its queue) goes.
        Err(Halt::Error(Error::Cancelled)) => {
            cancel(&mut driver, &lifecycle).await;
            failed(&Error::Cancelled, None)
        }
        Err(Halt::Error(
            error @ Error::LockedOut {
                self_service_unlock,
            },
        )) => Stage::LockedOut {
            message: error.to_string(),
            can_unlock: self_service_unlock,
        },
        Err(Halt::Error(error)) if ends_on_our_side(&error) => {
            let cancelled = cancel(&mut driver, &lifecycle).await;
            failed(&error, Some(cancelled))
        }
        Err(Halt::Error(error)) => failed(&error, None),
    };
    // Ignored: the listener may be gone, and there is nothing left to tell it.
    let _ = stages.send(last).await;
}

/// Errors after which Okta still holds a live transaction that only we know is going nowhere.
fn ends_on_our_side(error: &Error) -> bool {
    matches!(
        error,
        Error::UnexpectedResponse { .. }
            | Error::UnsupportedStep { .. }
            | Error::ForeignOrigin { .. }
            | Error::RequestBudgetSpent { .. }
    )
}

/// The one cancel request, bounded by [`CANCEL_BOUND`].
async fn cancel(driver: &mut impl Driver, lifecycle: &Lifecycle) -> ServerCancel {
    lifecycle.cancelling();
    tokio::time::timeout(CANCEL_BOUND, driver.cancel_on_server())
        .await
        .unwrap_or(ServerCancel::Unconfirmed)
}

fn failed(error: &Error, cancelled: Option<ServerCancel>) -> Stage {
    let said = match cancelled {
        Some(ServerCancel::Confirmed) => " OktaDesk cancelled this sign-in with Okta.",
        Some(ServerCancel::Unconfirmed) => {
            " OktaDesk could not confirm cancelling this sign-in with Okta; it expires on its own within minutes."
        }
        Some(ServerCancel::NothingHeld) | None => "",
    };
    Stage::Failed {
        kind: error.kind(),
        message: format!("{error}{said}"),
    }
}
