//! Asking Okta for a new code (SMS, voice call, email), for every driver: the countdown until
//! Okta allows one, and what happens to the answer: a sent code restarts the countdown, a
//! refusal that leaves the step standing (too soon, say) is said and the step kept.

use std::time::Duration;

use tokio::time::Instant;

use super::factor_state::FactorState;
use super::step_stands::{command_failed, recoverable};
use crate::flow::command::Command;
use crate::flow::conversation::{Conversation, Fit, Halt, Step};

/// The countdown to the next code. Okta sends one SMS or call per device every 30 s;
/// OktaDesk asks no sooner (for email too), by `code_resend_after`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResendClock {
    sent_at: Option<Instant>,
    after: Duration,
}

impl ResendClock {
    /// The countdown from the last code `state` knows was sent: `after` long.
    pub fn of(state: &FactorState, after: Duration) -> Self {
        Self {
            sent_at: state.code_sent_at(),
            after,
        }
    }

    /// Whole seconds until a new code may be asked for; 0 when it may be now.
    pub fn seconds_left(&self) -> u64 {
        let waited = self.sent_at.map_or(self.after, |at| at.elapsed());
        self.after.saturating_sub(waited).as_secs_f64().ceil() as u64
    }

    /// Whether `ResendCode` fits now, in words when it does not.
    pub fn fits(&self) -> Fit {
        match self.seconds_left() {
            0 => Ok(()),
            left => Err(format!("Okta allows a new code in {left} s")),
        }
    }
}

/// What became of a resend request: `answer` when Okta sent the code (the countdown starts
/// again), `unchanged` (the step as it stood) after a refusal the person is told of.
pub(crate) async fn resent<T>(
    io: &Conversation,
    state: &mut FactorState,
    answer: Step<T>,
    unchanged: T,
) -> Step<T> {
    match answer {
        Ok(next) => {
            state.code_sent_now();
            Ok(next)
        }
        Err(Halt::Error(error)) if recoverable(&error) => {
            command_failed(io, Command::ResendCode.action(), &error).await?;
            Ok(unchanged)
        }
        Err(halt) => Err(halt),
    }
}
