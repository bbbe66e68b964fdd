//! Identity Engine sign-ins replayed from Okta's recorded answers (`oktadesk-replay`'s
//! `recorded/idx/`): for each sequence, the requests Okta would see and what the person sees.

mod replayed;

use oktadesk_core::Stage;
use replayed::{idx, idx_start, idx_success};

#[tokio::test]
async fn identify_with_the_password_in_one_form_signs_in() {
    let script = idx_success(idx_start("idx/identify-with-password"), "/idp/idx/identify");
    let mut replay = idx(script).await;
    match replay.flow.next().await {
        Stage::Success { user, .. } => assert_eq!(user.login, "ada@example.com"),
        other => panic!("expected success, got {other:?}"),
    }
    assert_eq!(
        replay.requests(),
        [
            "POST /oauth2/default/v1/interact",
            "POST /idp/idx/introspect",
            "POST /idp/idx/identify",
            "POST /oauth2/default/v1/token",
        ]
    );
    let identify = &replay.okta.to("/idp/idx/identify")[0].json();
    assert_eq!(identify["identifier"], "ada@example.com");
    assert_eq!(identify["credentials"]["passcode"], replayed::PASSWORD);
    assert_eq!(identify["stateHandle"], "replay-state-handle-SECRET");
    assert!(
        replay.okta.to("/oauth2/default/v1/token")[0]
            .form_value("code_verifier")
            .is_some_and(|verifier| verifier.len() >= 43)
    );
    replay.assert_no_secret();
}
