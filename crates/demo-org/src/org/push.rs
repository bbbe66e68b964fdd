//! Okta Verify pushes, one record for both engines: the push a sign-in waits on, how the
//! phone (or the clock) answered it, and the number challenge it may carry.

use rand::Rng;
use rand::seq::SliceRandom;
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PushResult {
    Waiting,
    Approved,
    Rejected,
    Timeout,
}

impl PushResult {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Waiting => "WAITING",
            Self::Approved => "SUCCESS",
            Self::Rejected => "REJECTED",
            Self::Timeout => "TIMEOUT",
        }
    }
}

/// The number challenge: three numbers on the phone, one of them shown on the desktop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NumberChallenge {
    pub numbers: [u8; 3],
    pub correct_answer: u8,
}

impl NumberChallenge {
    pub(crate) fn random() -> Self {
        let mut rng = rand::rng();
        let mut numbers = [0u8; 3];
        let mut filled = 0;
        while filled < numbers.len() {
            let candidate = rng.random_range(1..=99);
            if !numbers[..filled].contains(&candidate) {
                numbers[filled] = candidate;
                filled += 1;
            }
        }
        let correct_answer = numbers[rng.random_range(0..numbers.len())];
        numbers.shuffle(&mut rng);
        Self {
            numbers,
            correct_answer,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Push {
    pub factor_id: String,
    pub started_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub result: PushResult,
    pub challenge: Option<NumberChallenge>,
    /// WAITING responses sent so far; the number shows from the second one on, so clients
    /// must read the challenge on every poll rather than only the first.
    pub waiting_responses: u32,
    /// Whether a client has been told the final result. Poll and verify share one URL, so
    /// the first request after the phone answers reports the answer and only the next one
    /// sends a new push.
    pub result_reported: bool,
}

/// How long after a push starts the phone shows its three numbers, whatever the polling.
pub(crate) const NUMBER_SHOWN_AFTER: time::Duration = time::Duration::seconds(1);

impl Push {
    /// Applies what time and the auto-approving phone did to a waiting push by `now`: the
    /// phone approves `auto_approve` after it started (if that is before it expires);
    /// otherwise it times out at its expiry. One rule for both engines' pushes.
    pub(crate) fn settle(
        &mut self,
        now: OffsetDateTime,
        auto_approve: Option<std::time::Duration>,
    ) {
        if self.result != PushResult::Waiting {
            return;
        }
        let auto_answer = auto_approve
            .map(|delay| self.started_at + crate::org::clock::span(delay))
            .filter(|at| *at < self.expires_at && now >= *at);
        if auto_answer.is_some() {
            self.result = PushResult::Approved;
        } else if now >= self.expires_at {
            self.result = PushResult::Timeout;
        }
    }

    pub(crate) fn number_shown(&self, now: OffsetDateTime) -> bool {
        self.waiting_responses >= 1 || now - self.started_at >= NUMBER_SHOWN_AFTER
    }
}
