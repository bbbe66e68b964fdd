//! Forgot password and unlock account against the demo org over HTTP, on both engines: the
//! core's recovery drivers (written against Okta's recordings) and the demo org's recovery
//! answers (written against the same recordings) meeting, codes and links read from the demo
//! phone's inbox, and the new password signing in afterwards.

mod common;

use common::{Flow, Harness, idx_options, long_lived_org};
use oktadesk_core::{ErrorKind, FactorKind, FactorPurpose, FlowOptions, Recovery, Secret, Stage};
use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};

/// Too short for the demo org's policy (Okta's E0000080 / `passwordRequirementsNotMet`).
const WEAK_PASSWORD: &str = "short";
/// A new password the demo org's policy accepts.
const NEW_PASSWORD: &str = "Sunny-Meadow-42-Pa55";
/// `recover@demo.test`'s answer to his Classic recovery question.
const RECOVERY_ANSWER: &str = "blue cheese";

fn prefer(kind: FactorKind) -> FlowOptions {
    FlowOptions {
        preferred_factor: Some(kind),
        ..FlowOptions::default()
    }
}

/// The next stage, which must match `pattern`; otherwise the stage and the transcript.
macro_rules! expect {
    ($flow:expr, $pattern:pat) => {
        match $flow.next().await {
            stage @ $pattern => stage,
            other => panic!(
                "expected {}, got {other:?}\n{}",
                stringify!($pattern),
                $flow.handle.transcript()
            ),
        }
    };
}

/// The new password: refused once by the org's policy (said on the same step), then set.
async fn set_new_password(flow: &mut Flow) {
    expect!(flow, Stage::NeedsNewPassword { .. });
    flow.handle
        .set_new_password(Secret::new(WEAK_PASSWORD))
        .await
        .unwrap();
    match expect!(flow, Stage::NeedsNewPassword { .. }) {
        Stage::NeedsNewPassword { last_error, .. } => {
            assert_eq!(
                last_error.map(|e| e.kind),
                Some(ErrorKind::PasswordChangeRejected)
            );
        }
        _ => unreachable!(),
    }
    flow.handle
        .set_new_password(Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
}

/// Signing in with the new password works (and the old one is gone).
async fn signs_in_with_the_new_password(harness: &Harness, login: &str, options: FlowOptions) {
    let mut flow = harness.sign_in_as(login, NEW_PASSWORD, options, None);
    loop {
        match flow.next().await {
            Stage::Success { .. } => break,
            Stage::NeedsCode { .. } => {
                let code = harness.inbox_code(login);
                flow.handle.submit_code(Secret::new(code)).await.unwrap();
            }
            Stage::Working { .. } | Stage::PushSent { .. } => {}
            other => panic!(
                "expected to sign in with the new password, got {other:?}\n{}",
                flow.handle.transcript()
            ),
        }
    }
}

#[tokio::test]
async fn classic_forgot_password_by_the_emailed_link() {
    let harness = Harness::start().await;
    let login = "forgot@demo.test";
    let mut flow = harness.recover(login, Recovery::ResetPassword, FlowOptions::default());
    match expect!(flow, Stage::NeedsFactorChoice { .. }) {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Recover);
            assert!(factors.iter().any(|f| f.kind == FactorKind::Email));
        }
        _ => unreachable!(),
    }
    flow.handle.choose_factor("email").await.unwrap();
    expect!(flow, Stage::RecoveryEmailSent { .. });
    let link = harness.inbox_link(login);
    flow.handle
        .submit_recovery_token(Secret::new(link))
        .await
        .unwrap();
    set_new_password(&mut flow).await;
    flow.expect_success(login).await;
    signs_in_with_the_new_password(&harness, login, FlowOptions::default()).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn classic_forgot_password_by_text_and_the_recovery_question() {
    let harness = Harness::start().await;
    let login = "recover@demo.test";
    let mut flow = harness.recover(login, Recovery::ResetPassword, prefer(FactorKind::Sms));
    expect!(flow, Stage::NeedsCode { .. });
    flow.handle
        .submit_code(Secret::new("000000"))
        .await
        .unwrap();
    match expect!(flow, Stage::NeedsCode { .. }) {
        Stage::NeedsCode { last_error, .. } => {
            assert_eq!(last_error.map(|e| e.kind), Some(ErrorKind::InvalidCode));
        }
        _ => unreachable!(),
    }
    let code = harness.inbox_code(login);
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    expect!(flow, Stage::NeedsAnswer { .. });
    flow.handle
        .submit_answer(Secret::new(RECOVERY_ANSWER))
        .await
        .unwrap();
    set_new_password(&mut flow).await;
    flow.expect_success(login).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn classic_unlock_by_email_then_sign_in() {
    let harness = Harness::start().await;
    let login = "locked@demo.test";
    let mut flow = harness.recover(login, Recovery::UnlockAccount, prefer(FactorKind::Email));
    expect!(flow, Stage::RecoveryEmailSent { .. });
    let link = harness.inbox_link(login);
    flow.handle
        .submit_recovery_token(Secret::new(link))
        .await
        .unwrap();
    match expect!(flow, Stage::AccountUnlocked { .. }) {
        Stage::AccountUnlocked { username, .. } => assert_eq!(username, login),
        _ => unreachable!(),
    }
    let mut again = harness.sign_in(login, FlowOptions::default());
    again.expect_success(login).await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn an_org_without_self_service_says_so_on_both_engines() {
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let harness = Harness::start_with(DemoOrgConfig {
            engine,
            self_service_recovery: false,
            ..long_lived_org()
        })
        .await;
        let options = match engine {
            DemoEngine::IdentityEngine => idx_options(prefer(FactorKind::Email)),
            _ => prefer(FactorKind::Email),
        };
        let mut reset =
            harness.recover("forgot@demo.test", Recovery::ResetPassword, options.clone());
        let message = reset.expect_failure(ErrorKind::SelfServiceNotAllowed).await;
        assert!(message.contains("help desk"), "{message}");
        let mut unlock = harness.recover("locked@demo.test", Recovery::UnlockAccount, options);
        unlock
            .expect_failure(ErrorKind::SelfServiceNotAllowed)
            .await;
        harness.finish([reset, unlock]).await;
    }
}

#[tokio::test]
async fn identity_engine_forgot_password_by_text() {
    let harness = Harness::start_idx().await;
    let login = "recover@demo.test";
    let mut flow = harness.recover(
        login,
        Recovery::ResetPassword,
        idx_options(prefer(FactorKind::Sms)),
    );
    loop {
        match flow.next().await {
            Stage::Working { .. } => {}
            Stage::NeedsFactorChoice { factors, .. } => {
                let sms = factors
                    .iter()
                    .find(|f| f.kind == FactorKind::Sms || f.kind == FactorKind::Call)
                    .expect("the phone is offered");
                flow.handle.choose_factor(sms.key.clone()).await.unwrap();
            }
            Stage::NeedsCode { .. } => break,
            other => panic!(
                "expected the code, got {other:?}\n{}",
                flow.handle.transcript()
            ),
        }
    }
    let code = harness.inbox_code(login);
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    set_new_password(&mut flow).await;
    flow.expect_success(login).await;
    signs_in_with_the_new_password(&harness, login, idx_options(prefer(FactorKind::Sms))).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn identity_engine_unlock_by_email_code() {
    let harness = Harness::start_idx().await;
    let login = "locked@demo.test";
    let mut flow = harness.recover(
        login,
        Recovery::UnlockAccount,
        idx_options(prefer(FactorKind::Email)),
    );
    loop {
        match flow.next().await {
            Stage::Working { .. } => {}
            Stage::NeedsFactorChoice { factors, .. } => {
                let email = factors
                    .iter()
                    .find(|f| f.kind == FactorKind::Email)
                    .expect("email is offered");
                flow.handle.choose_factor(email.key.clone()).await.unwrap();
            }
            Stage::NeedsCode { .. } => break,
            other => panic!(
                "expected the code, got {other:?}\n{}",
                flow.handle.transcript()
            ),
        }
    }
    let code = harness.inbox_code(login);
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    match expect!(flow, Stage::AccountUnlocked { .. }) {
        Stage::AccountUnlocked { username, message } => {
            assert_eq!(username, login);
            assert!(!message.is_empty());
        }
        _ => unreachable!(),
    }
    let mut again = harness.sign_in_idx(login, FlowOptions::default());
    again.expect_success(login).await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn an_identity_engine_lockout_offers_the_unlock_okta_offered() {
    // Okta offers `unlock-account` on `identify`; the lockout comes on the password step,
    // which does not repeat the form: the offer made earlier in the transaction counts.
    for self_service_recovery in [true, false] {
        let harness = Harness::start_with(DemoOrgConfig {
            engine: DemoEngine::IdentityEngine,
            reveal_lockout: true,
            self_service_recovery,
            ..long_lived_org()
        })
        .await;
        let mut flow = harness.sign_in_idx("locked@demo.test", FlowOptions::default());
        match expect!(flow, Stage::LockedOut { .. }) {
            Stage::LockedOut { can_unlock, .. } => {
                assert_eq!(can_unlock, self_service_recovery);
            }
            _ => unreachable!(),
        }
        harness.finish([flow]).await;
    }
}
