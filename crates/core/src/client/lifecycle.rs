//! What bounds one sign-in's requests whatever step it is on: the person's cancel, which cuts
//! short anything the sign-in is waiting on (a rate-limit wait, a retry's back-off, a request
//! in flight), and a request budget that ends a loop nobody foresaw with a clear error.
//!
//! Every [`Api`](super::Api) of a sign-in shares one [`Lifecycle`]; the sign-in's handle and
//! `driver::run` hold it too.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::watch;

use super::retry::Retry;
use crate::error::{Error, Result};

/// Requests that change something (a password, a code, a push sent, an enrollment), and the
/// QR and question GETs, per sign-in. A person's sign-in needs a few dozen at most: Okta locks
/// an account after about ten wrong codes and lets a code be re-sent every 30 s; a driver that
/// sends a step again without new input from the person hits this long before Okta's limits.
pub const STEP_BUDGET: u32 = 150;

/// Polls per sign-in (a push waiting, an enrollment waiting to be scanned). Counted apart from
/// steps because a person may legitimately wait long: each poll waits out the poll interval
/// first (1 s by default), so this is about an hour of waiting in total, across new pushes
/// and refreshed QR codes, while Okta's transaction lasts minutes. Polling faster than that is
/// already prevented by the interval, so the budget counts, it does not time.
pub const POLL_BUDGET: u32 = 3600;

/// Where a sign-in is between start and its cancel on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// The person asked to stop (or the UI went away): every wait ends at once.
    Stopping,
    /// The sign-in's one cancel request is on its way; `driver::run` bounds it with a timeout,
    /// so nothing here cuts it short and the budget no longer applies.
    Cancelling,
}

/// One sign-in's stop signal and request budget, shared by its `Api` clones.
#[derive(Clone)]
pub(crate) struct Lifecycle {
    phase: Arc<watch::Sender<Phase>>,
    steps: Arc<AtomicU32>,
    polls: Arc<AtomicU32>,
    budget: (u32, u32),
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self::with_budget(STEP_BUDGET, POLL_BUDGET)
    }
}

impl Lifecycle {
    pub fn with_budget(steps: u32, polls: u32) -> Self {
        Self {
            phase: Arc::new(watch::Sender::new(Phase::Running)),
            steps: Arc::default(),
            polls: Arc::default(),
            budget: (steps, polls),
        }
    }

    /// The person asked to stop: whatever the sign-in waits on ends now with `Cancelled`.
    pub fn stop(&self) {
        self.phase.send_if_modified(|phase| {
            let changed = *phase == Phase::Running;
            if changed {
                *phase = Phase::Stopping;
            }
            changed
        });
    }

    /// Whether [`stop`](Self::stop) was called.
    pub fn stop_requested(&self) -> bool {
        *self.phase.borrow() != Phase::Running
    }

    /// The cancel request goes out now: let it through (the caller bounds it).
    pub fn cancelling(&self) {
        self.phase.send_replace(Phase::Cancelling);
    }

    /// Counts one request of kind `retry` against the budget; `Err` once it is spent.
    pub fn spend(&self, retry: Retry) -> Result<()> {
        if *self.phase.borrow() == Phase::Cancelling {
            return Ok(());
        }
        let (counter, budget) = match retry {
            Retry::Never => (&self.steps, self.budget.0),
            Retry::Idempotent => (&self.polls, self.budget.1),
        };
        let sent = counter.fetch_add(1, Ordering::Relaxed) + 1;
        if sent > budget {
            Err(Error::RequestBudgetSpent { requests: sent - 1 })
        } else {
            Ok(())
        }
    }

    /// `work`, unless the person asks to stop first (or already has): then `Cancelled`.
    pub async fn unless_stopped<T>(&self, work: impl Future<Output = T>) -> Result<T> {
        let mut phase = self.phase.subscribe();
        if *phase.borrow_and_update() == Phase::Stopping {
            return Err(Error::Cancelled);
        }
        tokio::select! {
            biased;
            _ = phase.wait_for(|phase| *phase == Phase::Stopping) => Err(Error::Cancelled),
            done = work => Ok(done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stop_ends_a_wait_at_once_but_not_the_cancel_after_it() {
        let lifecycle = Lifecycle::default();
        let waiting = {
            let lifecycle = lifecycle.clone();
            tokio::spawn(async move {
                lifecycle
                    .unless_stopped(tokio::time::sleep(std::time::Duration::from_secs(3600)))
                    .await
            })
        };
        tokio::task::yield_now().await;
        lifecycle.stop();
        assert!(matches!(waiting.await.unwrap(), Err(Error::Cancelled)));
        assert!(matches!(
            lifecycle.unless_stopped(async {}).await,
            Err(Error::Cancelled)
        ));
        lifecycle.cancelling();
        assert!(lifecycle.unless_stopped(async {}).await.is_ok());
    }

    #[test]
    fn steps_and_polls_have_their_own_budget() {
        let lifecycle = Lifecycle::with_budget(2, 3);
        assert!(lifecycle.spend(Retry::Never).is_ok());
        assert!(lifecycle.spend(Retry::Never).is_ok());
        for _ in 0..3 {
            assert!(lifecycle.spend(Retry::Idempotent).is_ok());
        }
        assert!(matches!(
            lifecycle.spend(Retry::Never),
            Err(Error::RequestBudgetSpent { requests: 2 })
        ));
        assert!(lifecycle.spend(Retry::Idempotent).is_err());
        lifecycle.cancelling();
        assert!(lifecycle.spend(Retry::Never).is_ok());
    }
}
