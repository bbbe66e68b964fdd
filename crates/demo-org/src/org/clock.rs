//! The org's clock: wall-clock time plus an offset that tests move forward, so expiry,
//! push and activation lifetimes and TOTP windows can be exercised without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use time::OffsetDateTime;

#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_millis: AtomicI64,
}

impl Clock {
    pub(crate) fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
            + time::Duration::milliseconds(self.offset_millis.load(Ordering::Relaxed))
    }

    pub(crate) fn advance(&self, by: Duration) {
        let millis = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_millis.fetch_add(millis, Ordering::Relaxed);
    }

    pub(crate) fn reset(&self) {
        self.offset_millis.store(0, Ordering::Relaxed);
    }

    pub(crate) fn offset(&self) -> Duration {
        Duration::from_millis(
            self.offset_millis
                .load(Ordering::Relaxed)
                .max(0)
                .unsigned_abs(),
        )
    }
}

/// Converts a configured lifetime to `time`'s duration; lifetimes beyond `time`'s range are
/// clamped rather than rejected because "practically forever" is what such a setting means.
pub(crate) fn span(duration: Duration) -> time::Duration {
    time::Duration::try_from(duration).unwrap_or(time::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() - before >= time::Duration::seconds(3600));
        clock.reset();
        assert!(clock.now() - before < time::Duration::seconds(3600));
    }
}
