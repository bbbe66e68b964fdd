//! The fault matrix's vocabulary, shared by the Classic and the Identity Engine cases and the
//! test that runs them: which API a case goes through, where a fault is injected, what
//! triggers it and what the sign-in must end in.

use std::time::Duration;

use oktadesk_core::ErrorKind;
use oktadesk_demo_org::Fault;

/// The client's retry budget in these tests: faults on `RETRY_ATTEMPTS` polls in a row exhaust it.
pub(super) const RETRY_ATTEMPTS: u32 = 6;

/// Which API the sign-in goes through: the org's engine and the driver.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Api {
    /// Classic Engine, `/api/v1/authn`.
    Classic,
    /// Identity Engine, IDX through the Interaction Code flow.
    Idx,
}

/// Where a fault is injected.
#[derive(Clone, Copy)]
pub(super) enum At {
    /// The first `POST /api/v1/authn` (username and password): a step, never retried blindly.
    SignIn,
    /// The push polls (`POST .../verify`), injected once the push has been sent; the phone
    /// approves once every injected fault has been served.
    PushPoll,
    /// The single-use enrollment QR image.
    QrImage,
    /// IDX: `POST /idp/idx/introspect`, the first IDX answer (changes nothing).
    Introspect,
    /// IDX: `POST /idp/idx/identify` (the username): a step, never retried blindly.
    Identify,
    /// IDX: the push polls (`POST /idp/idx/authenticators/poll`, `challenge-poll`), injected
    /// as for [`At::PushPoll`].
    IdxPushPoll,
    /// IDX: `POST /oauth2/default/v1/token`, the interaction code traded for tokens.
    Token,
}

impl At {
    /// Injected once the push has been sent rather than before the sign-in starts.
    pub(super) fn after_push(self) -> bool {
        matches!(self, At::PushPoll | At::IdxPushPoll)
    }
}

pub(super) enum Trigger {
    Fault {
        at: At,
        count: u32,
        fault: Fault,
    },
    /// Moves the org's clock past the state token's lifetime while a push waits.
    ExpireStateToken,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Expect {
    /// The user gets signed in regardless.
    Recovers,
    /// The flow ends with this error.
    Fails(ErrorKind),
    /// The flow hands over to the browser (`continue_in_browser`), saying why: what OktaDesk
    /// does with a step it does not know.
    Browser,
}

pub(super) struct Case {
    pub(super) api: Api,
    pub(super) name: &'static str,
    pub(super) injected: &'static str,
    pub(super) login: &'static str,
    pub(super) trigger: Trigger,
    pub(super) expect: Expect,
    /// A shorter request timeout for the cases about stalled responses.
    pub(super) request_timeout: Option<Duration>,
}

pub(super) fn case(
    name: &'static str,
    injected: &'static str,
    login: &'static str,
    trigger: Trigger,
    expect: Expect,
) -> Case {
    Case {
        api: Api::Classic,
        name,
        injected,
        login,
        trigger,
        expect,
        request_timeout: None,
    }
}

pub(super) fn fault(at: At, count: u32, fault: Fault) -> Trigger {
    Trigger::Fault { at, count, fault }
}

pub(super) fn status(status: u16, code: &str, summary: &str) -> Fault {
    Fault::Status {
        status,
        error_code: Some(code.into()),
        error_summary: Some(summary.into()),
    }
}
