//! The fault matrix's Classic Engine cases: every fault of the hardening issue, injected where
//! the `/api/v1/authn` driver meets it (the sign-in step, the push polls, the QR image, the
//! org clock). Run, checked and written to `docs/fault-matrix.md` by the test in
//! `fault_matrix.rs`.

use std::time::Duration;

use oktadesk_core::ErrorKind;
use oktadesk_demo_org::Fault;

use super::cases::{At, Case, Expect, RETRY_ATTEMPTS, Trigger, case, fault, status};

pub(super) const NOMFA: &str = "nomfa@demo.test";
pub(super) const PUSH: &str = "push@demo.test";
pub(super) const ENROLL: &str = "enroll@demo.test";

pub(super) fn cases() -> Vec<Case> {
    use ErrorKind::*;
    use Expect::{Fails, Recovers};
    let stall = Fault::Delay { millis: 60_000 };
    vec![
        case(
            "429 with X-Rate-Limit-Reset",
            "`rateLimitBurst` ×2 on sign-in",
            NOMFA,
            fault(At::SignIn, 2, Fault::RateLimitBurst),
            Recovers,
        ),
        case(
            "429 that does not clear",
            "`rateLimitBurst` ×4 on sign-in",
            NOMFA,
            fault(At::SignIn, 4, Fault::RateLimitBurst),
            Fails(RateLimited),
        ),
        case(
            "429 whose reset is 2^64 s after a 1970 `Date`",
            "`rateLimitHeaders` reset 18446744073709551615, Date 1 Jan 1970, on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                Fault::RateLimitHeaders {
                    reset: u64::MAX.to_string(),
                    date: Some("Thu, 01 Jan 1970 00:00:00 GMT".into()),
                },
            ),
            Fails(RateLimited),
        ),
        case(
            "`Set-Cookie` with a Max-Age past `i64::MAX` s",
            "`setCookie` `DT=…; Max-Age=99999999999999999999` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                Fault::SetCookie {
                    cookie: "DT=huge; Path=/; Max-Age=99999999999999999999".into(),
                },
            ),
            Recovers,
        ),
        case(
            "500 on the sign-in step",
            "`status 500 E0000009` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                status(500, "E0000009", "Internal Server Error"),
            ),
            Fails(ServerError),
        ),
        case(
            "500 while polling a push",
            "`status 500 E0000009` ×2 on push polls",
            PUSH,
            fault(
                At::PushPoll,
                2,
                status(500, "E0000009", "Internal Server Error"),
            ),
            Recovers,
        ),
        case(
            "502 page from a proxy on the sign-in step",
            "`html 502` on sign-in",
            NOMFA,
            fault(At::SignIn, 1, Fault::Html { status: 502 }),
            Fails(ServerError),
        ),
        case(
            "502 while polling a push",
            "`html 502` ×2 on push polls",
            PUSH,
            fault(At::PushPoll, 2, Fault::Html { status: 502 }),
            Recovers,
        ),
        case(
            "503 on the sign-in step",
            "`status 503 E0000009` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                status(503, "E0000009", "Service Unavailable"),
            ),
            Fails(ServerError),
        ),
        case(
            "503 on every push poll",
            "`status 503 E0000009` ×6 (the retry budget) on push polls",
            PUSH,
            fault(
                At::PushPoll,
                RETRY_ATTEMPTS,
                status(503, "E0000009", "Service Unavailable"),
            ),
            Fails(ServerError),
        ),
        case(
            "Connection dropped mid-poll",
            "`drop` ×2 on push polls",
            PUSH,
            fault(At::PushPoll, 2, Fault::Drop),
            Recovers,
        ),
        case(
            "Connection dropped on every poll",
            "`drop` ×6 (the retry budget) on push polls",
            PUSH,
            fault(At::PushPoll, RETRY_ATTEMPTS, Fault::Drop),
            Fails(Network),
        ),
        case(
            "Connection dropped on the sign-in step",
            "`drop` on sign-in",
            NOMFA,
            fault(At::SignIn, 1, Fault::Drop),
            Fails(Network),
        ),
        Case {
            request_timeout: Some(Duration::from_secs(2)),
            ..case(
                "Sign-in answer stalled past the timeout",
                "`delay 60 s` on sign-in, request timeout 2 s",
                NOMFA,
                fault(At::SignIn, 1, stall.clone()),
                Fails(Timeout),
            )
        },
        Case {
            request_timeout: Some(Duration::from_secs(2)),
            ..case(
                "Poll stalled past the timeout",
                "`delay 60 s` on a push poll, request timeout 2 s",
                PUSH,
                fault(At::PushPoll, 1, stall),
                Recovers,
            )
        },
        case(
            "Truncated JSON",
            "`truncatedJson` on sign-in",
            NOMFA,
            fault(At::SignIn, 1, Fault::TruncatedJson),
            Fails(UnexpectedResponse),
        ),
        case(
            "HTML page (captive portal)",
            "`html 200` on sign-in",
            NOMFA,
            fault(At::SignIn, 1, Fault::Html { status: 200 }),
            Fails(UnexpectedResponse),
        ),
        case(
            "10 MiB body",
            "`oversized 10 MiB` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                Fault::Oversized {
                    bytes: 10 * 1024 * 1024,
                },
            ),
            Fails(UnexpectedResponse),
        ),
        case(
            "Redirect to another host",
            "`redirect https://evil.example/...` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                Fault::Redirect {
                    location: Some("https://evil.example/api/v1/authn".into()),
                },
            ),
            Fails(ForeignOrigin),
        ),
        case(
            "`_links` on another origin",
            "`foreignLink https://evil.example` on sign-in",
            PUSH,
            fault(
                At::SignIn,
                1,
                Fault::ForeignLink {
                    origin: Some("https://evil.example".into()),
                },
            ),
            Fails(ForeignOrigin),
        ),
        case(
            "Expired state token",
            "org clock advanced 30 min while a push waits",
            PUSH,
            Trigger::ExpireStateToken,
            Fails(Expired),
        ),
        case(
            "E0000079 (operation not allowed in this state)",
            "`status 403 E0000079` on a push poll",
            PUSH,
            fault(
                At::PushPoll,
                1,
                status(
                    403,
                    "E0000079",
                    "This operation is not allowed in the current authentication state.",
                ),
            ),
            Fails(OutOfStep),
        ),
        case(
            "Unknown status",
            "`unknownStatus DEVICE_ASSURANCE` on sign-in",
            NOMFA,
            fault(
                At::SignIn,
                1,
                Fault::UnknownStatus {
                    status: Some("DEVICE_ASSURANCE".into()),
                },
            ),
            Fails(UnsupportedStep),
        ),
        case(
            "Unknown factorResult",
            "`unknownFactorResult PENDING_HUMAN` on a push poll",
            PUSH,
            fault(
                At::PushPoll,
                1,
                Fault::UnknownFactorResult {
                    factor_result: Some("PENDING_HUMAN".into()),
                },
            ),
            // Sent with the usual poll link: the push is still in play, so polling goes on.
            Recovers,
        ),
        case(
            "QR that will not decode",
            "`unreadableQr` on the QR image",
            ENROLL,
            fault(At::QrImage, 1, Fault::UnreadableQr),
            Recovers,
        ),
    ]
}
