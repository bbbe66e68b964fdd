//! Errors after which the step in play still stands, so the person can try something else,
//! and how a command that failed that way is said.

use crate::error::Error;
use crate::flow::conversation::{Conversation, Step};
use crate::stage::Stage;

/// Errors after which the step still stands and the person can try something else.
pub(crate) fn recoverable(error: &Error) -> bool {
    matches!(
        error,
        Error::Okta { .. } | Error::RateLimited { .. } | Error::InvalidCode
    )
}

/// Says that `action` (a command's words) failed with `error`; the step stands.
pub(crate) async fn command_failed(io: &Conversation, action: &str, error: &Error) -> Step<()> {
    io.emit(Stage::CommandFailed {
        action: action.into(),
        error: error.info(),
    })
    .await
}
