//! What the Classic replays share: the paths of the recorded-shape corpus, a sign-in that
//! picks Okta Verify push, and the checks on how a stage or a cancel looks.

use oktadesk_core::{Engine, FactorKind, FlowOptions, Stage};

use super::{Replay, Script, sign_in};

pub const AUTHN: &str = "/api/v1/authn";
pub const CANCEL: &str = "/api/v1/authn/cancel";
pub const PUSH_VERIFY: &str = "/api/v1/authn/factors/opfReplayPush/verify";
pub const PUSH_ACTIVATE: &str = "/api/v1/authn/factors/opfReplayPush/lifecycle/activate";
pub const TOTP_ACTIVATE: &str = "/api/v1/authn/factors/ostReplayTotp/lifecycle/activate";
pub const STATE_TOKEN: &str = "replay-state-token-SECRET";

/// A Classic sign-in as `ada@example.com` that picks `factor` without asking.
pub async fn preferring(factor: FactorKind, script: Script) -> Replay {
    sign_in(
        script,
        Engine::Classic,
        "ada@example.com",
        FlowOptions {
            preferred_factor: Some(factor),
            ..FlowOptions::default()
        },
    )
    .await
}

/// A Classic sign-in that picks Okta Verify push without asking.
pub async fn pushing(script: Script) -> Replay {
    preferring(FactorKind::Push, script).await
}

/// The next stage, which must match `pattern`; otherwise the stage and the transcript.
#[macro_export]
macro_rules! expect_stage {
    ($replay:expr, $pattern:pat) => {
        match $replay.flow.next().await {
            stage @ $pattern => stage,
            other => panic!(
                "expected {}, got {other:?}\n{}",
                stringify!($pattern),
                $replay.flow.handle.transcript()
            ),
        }
    };
}

pub fn expect_success(stage: Stage, replay: &Replay) {
    match stage {
        Stage::Success { user, .. } => assert_eq!(user.login, "ada@example.com"),
        other => panic!(
            "expected success, got {other:?}\n{}",
            replay.flow.handle.transcript()
        ),
    }
}

/// The last request was the cancel, with the transaction's state token.
pub fn assert_cancelled_with_okta(replay: &Replay) {
    let cancels = replay.okta.to(CANCEL);
    assert_eq!(cancels.len(), 1, "{:?}", replay.requests());
    assert_eq!(cancels[0].json()["stateToken"], STATE_TOKEN);
    assert_eq!(
        replay.requests().last().map(String::as_str),
        Some("POST /api/v1/authn/cancel")
    );
}
