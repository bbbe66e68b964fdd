//! Okta's per-user rate limit, for the `/api/v1/authn` routes and the IDX remediations
//! alike: a fixed one-second window per user. Over the limit, a request is answered 429
//! `E0000047` before its route runs; every answer carries `X-Rate-Limit-Limit`,
//! `-Remaining` and `-Reset`, as Okta's do.
//!
//! Windows follow the real wall clock, not the org's manual clock: `X-Rate-Limit-Reset` is an
//! epoch second clients actually wait for, and a test that moved the org clock an hour ahead
//! must not make clients sleep an hour.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::wire::ApiError;

pub(crate) struct RateLimiter {
    limit: u32,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    second: u64,
    count: u32,
}

/// The outcome of one request, with the values of the `X-Rate-Limit-*` headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset_epoch_seconds: u64,
}

/// Beyond this many tracked users, stale windows are dropped on the next request.
const PRUNE_ABOVE: usize = 1024;

/// Okta counts requests per second: a window ends at the next epoch second.
const WINDOW_SECONDS: u64 = 1;

fn epoch_second(now: time::OffsetDateTime) -> u64 {
    u64::try_from(now.unix_timestamp()).unwrap_or_default()
}

/// `X-Rate-Limit-Reset` for a request refused at `now`: when its window ends.
pub(crate) fn reset_epoch_seconds(now: time::OffsetDateTime) -> u64 {
    epoch_second(now) + WINDOW_SECONDS
}

impl RateLimiter {
    /// `limit` requests per second per key; 0 means unlimited.
    pub(crate) fn new(limit: u32) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request at `now`, the org's clock, which also stamps `Date`, so the reset
    /// time and the response's date stay on one timeline when a test moves the clock.
    pub(crate) fn check(&self, key: &str, now: time::OffsetDateTime) -> Decision {
        self.check_at(key, epoch_second(now))
    }

    fn check_at(&self, key: &str, second: u64) -> Decision {
        let reset_epoch_seconds = second + WINDOW_SECONDS;
        if self.limit == 0 {
            return Decision {
                allowed: true,
                limit: u32::MAX,
                remaining: u32::MAX,
                reset_epoch_seconds,
            };
        }
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, window| window.second >= second);
        }
        let window = windows
            .entry(key.to_owned())
            .or_insert(Window { second, count: 0 });
        if window.second != second {
            *window = Window { second, count: 0 };
        }
        let allowed = window.count < self.limit;
        if allowed {
            window.count += 1;
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - window.count,
            reset_epoch_seconds,
        }
    }

    /// Counts the request (already read into `parts` and `body`) against `key` at `now` (the
    /// org's clock), runs it if the limit allows, and sets the rate-limit headers on the
    /// answer.
    pub(crate) async fn answer(
        &self,
        key: &str,
        now: time::OffsetDateTime,
        parts: Parts,
        body: Bytes,
        next: Next,
    ) -> Response {
        let decision = self.check(key, now);
        let mut response = if decision.allowed {
            next.run(Request::from_parts(parts, Body::from(body))).await
        } else {
            ApiError::rate_limited().into_response()
        };
        let headers = response.headers_mut();
        headers.insert("x-rate-limit-limit", HeaderValue::from(decision.limit));
        headers.insert(
            "x-rate-limit-remaining",
            HeaderValue::from(decision.remaining),
        );
        headers.insert(
            "x-rate-limit-reset",
            HeaderValue::from(decision.reset_epoch_seconds),
        );
        response
    }

    pub(crate) fn clear(&self) {
        self.windows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_next_second() {
        let limiter = RateLimiter::new(4);
        for expected_remaining in [3, 2, 1, 0] {
            let decision = limiter.check_at("u", 100);
            assert!(decision.allowed);
            assert_eq!(decision.remaining, expected_remaining);
        }
        let refused = limiter.check_at("u", 100);
        assert!(!refused.allowed);
        assert_eq!(refused.reset_epoch_seconds, 101);
        assert!(limiter.check_at("other", 100).allowed);
        assert!(limiter.check_at("u", 101).allowed);
    }

    #[test]
    fn zero_means_unlimited() {
        let limiter = RateLimiter::new(0);
        assert!((0..100).all(|_| limiter.check_at("u", 1).allowed));
    }
}
