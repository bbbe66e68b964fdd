//! Whether a failed request may be sent again: the one question every request answers, asked
//! by the request loop (`api.rs`), the sign-in's lifecycle and every caller.

/// Whether a failed request may be sent again. Only polls are: they change nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Polls: back off and retry on network errors and 5xx.
    Idempotent,
    /// Steps that change something (send a push, check a code, enroll): retried only when
    /// the request certainly never reached the server (connection refused, 429).
    Never,
}
