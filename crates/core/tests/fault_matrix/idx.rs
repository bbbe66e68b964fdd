//! The fault matrix's Identity Engine cases: the same faults, injected where the IDX driver
//! meets them (`introspect`, `identify`, the push poll, the token endpoint), with the demo org
//! in Identity Engine mode. Run, checked and written to `docs/fault-matrix.md` by the test in
//! `fault_matrix.rs`, under their own heading.

use std::time::Duration;

use oktadesk_core::ErrorKind;
use oktadesk_demo_org::Fault;

use super::cases::{Api, At, Case, Expect, RETRY_ATTEMPTS, Trigger, case, fault, status};
use super::classic::{NOMFA, PUSH};

fn idx_case(
    name: &'static str,
    injected: &'static str,
    login: &'static str,
    trigger: Trigger,
    expect: Expect,
) -> Case {
    Case {
        api: Api::Idx,
        ..case(name, injected, login, trigger, expect)
    }
}

pub(super) fn cases() -> Vec<Case> {
    use ErrorKind::*;
    use Expect::{Browser, Fails, Recovers};
    let server_error = || status(500, "E0000009", "Internal Server Error");
    let unavailable = || status(503, "E0000009", "Service Unavailable");
    vec![
        idx_case(
            "429 on identify with X-Rate-Limit-Reset",
            "`rateLimitBurst` ×2 on `/idp/idx/identify`",
            NOMFA,
            fault(At::Identify, 2, Fault::RateLimitBurst),
            Recovers,
        ),
        idx_case(
            "429 on identify that does not clear",
            "`rateLimitBurst` ×4 on `/idp/idx/identify`",
            NOMFA,
            fault(At::Identify, 4, Fault::RateLimitBurst),
            Fails(RateLimited),
        ),
        idx_case(
            "500 on identify",
            "`status 500 E0000009` on `/idp/idx/identify`",
            NOMFA,
            fault(At::Identify, 1, server_error()),
            Fails(ServerError),
        ),
        idx_case(
            "503 on identify",
            "`status 503 E0000009` on `/idp/idx/identify`",
            NOMFA,
            fault(At::Identify, 1, unavailable()),
            Fails(ServerError),
        ),
        idx_case(
            "500 while polling a push",
            "`status 500 E0000009` ×2 on `/idp/idx/authenticators/poll`",
            PUSH,
            fault(At::IdxPushPoll, 2, server_error()),
            Recovers,
        ),
        idx_case(
            "502 page from a proxy while polling a push",
            "`html 502` ×2 on `/idp/idx/authenticators/poll`",
            PUSH,
            fault(At::IdxPushPoll, 2, Fault::Html { status: 502 }),
            Recovers,
        ),
        idx_case(
            "503 on every push poll",
            "`status 503 E0000009` ×6 (the retry budget) on `/idp/idx/authenticators/poll`",
            PUSH,
            fault(At::IdxPushPoll, RETRY_ATTEMPTS, unavailable()),
            Fails(ServerError),
        ),
        idx_case(
            "Connection dropped mid-poll",
            "`drop` ×2 on `/idp/idx/authenticators/poll`",
            PUSH,
            fault(At::IdxPushPoll, 2, Fault::Drop),
            Recovers,
        ),
        idx_case(
            "Connection dropped on every poll",
            "`drop` ×6 (the retry budget) on `/idp/idx/authenticators/poll`",
            PUSH,
            fault(At::IdxPushPoll, RETRY_ATTEMPTS, Fault::Drop),
            Fails(Network),
        ),
        idx_case(
            "Truncated JSON",
            "`truncatedJson` on `/idp/idx/introspect`",
            NOMFA,
            fault(At::Introspect, 1, Fault::TruncatedJson),
            Fails(UnexpectedResponse),
        ),
        idx_case(
            "HTML page (captive portal)",
            "`html 200` on `/idp/idx/introspect`",
            NOMFA,
            fault(At::Introspect, 1, Fault::Html { status: 200 }),
            Fails(UnexpectedResponse),
        ),
        idx_case(
            "10 MiB body",
            "`oversized 10 MiB` on `/idp/idx/introspect`",
            NOMFA,
            fault(
                At::Introspect,
                1,
                Fault::Oversized {
                    bytes: 10 * 1024 * 1024,
                },
            ),
            Fails(UnexpectedResponse),
        ),
        idx_case(
            "Redirect to another host",
            "`redirect https://evil.example/...` on `/idp/idx/identify`",
            NOMFA,
            fault(
                At::Identify,
                1,
                Fault::Redirect {
                    location: Some("https://evil.example/idp/idx/identify".into()),
                },
            ),
            Fails(ForeignOrigin),
        ),
        idx_case(
            "Remediation `href` on another origin",
            "`foreignLink https://evil.example` on `/idp/idx/introspect`",
            NOMFA,
            fault(
                At::Introspect,
                1,
                Fault::ForeignLink {
                    origin: Some("https://evil.example".into()),
                },
            ),
            Fails(ForeignOrigin),
        ),
        idx_case(
            "Expired stateHandle",
            "org clock advanced 30 min while a push waits",
            PUSH,
            Trigger::ExpireStateToken,
            Fails(Expired),
        ),
        idx_case(
            "`invalid_grant` at the token endpoint",
            "`status 400 invalid_grant` on `/oauth2/default/v1/token`",
            NOMFA,
            fault(
                At::Token,
                1,
                status(
                    400,
                    "invalid_grant",
                    "The interaction code is invalid or has expired.",
                ),
            ),
            Fails(OktaError),
        ),
        Case {
            request_timeout: Some(Duration::from_secs(2)),
            ..idx_case(
                "Poll stalled past the timeout",
                "`delay 60 s` on a push poll, request timeout 2 s",
                PUSH,
                fault(At::IdxPushPoll, 1, Fault::Delay { millis: 60_000 }),
                Recovers,
            )
        },
        idx_case(
            "Unknown remediation",
            "`unknownRemediation future-step` on `/idp/idx/introspect`",
            NOMFA,
            fault(
                At::Introspect,
                1,
                Fault::UnknownRemediation {
                    name: Some("future-step".into()),
                },
            ),
            Browser,
        ),
    ]
}
