//! A typed code goes through `VerificationCode::parse` before it reaches Okta: a malformed one
//! is asked for again without a round trip, a pasted "123 456" works.

use std::time::Duration;

use oktadesk_core::{
    Activity, ClientConfig, CodePurpose, ErrorKind, OktaClient, OrgUrl, Secret, SignIn,
    SignInRequest, Stage, Stages,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig};

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// The stages up to and including the next one that waits for the user or ends the flow.
async fn until_input(stages: &mut Stages) -> Vec<Stage> {
    let mut seen = Vec::new();
    loop {
        let stage = tokio::time::timeout(HANG_GUARD, stages.next())
            .await
            .expect("the flow hung")
            .expect("the flow ended without a final stage");
        let waiting = !matches!(stage, Stage::Working { .. });
        seen.push(stage);
        if waiting {
            return seen;
        }
    }
}

#[tokio::test]
async fn malformed_codes_are_asked_again_locally_and_pasted_codes_work() {
    let org = DemoOrg::start(DemoOrgConfig::default())
        .await
        .expect("demo org starts");
    let client = OktaClient::new(ClientConfig::default()).expect("client builds");
    let (flow, mut stages) = SignIn::start(
        &client,
        SignInRequest {
            org: OrgUrl::parse(org.base_url().as_str()).unwrap(),
            username: "totp@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: Default::default(),
        },
    );
    let first = until_input(&mut stages).await;
    assert!(
        matches!(
            first.last(),
            Some(Stage::NeedsCode {
                purpose: CodePurpose::Verify,
                last_error: None,
                ..
            })
        ),
        "{first:?}"
    );

    for malformed in ["12345", "12345x", "1234567", "one two"] {
        flow.submit_code(Secret::new(malformed)).await.unwrap();
        let stages_seen = until_input(&mut stages).await;
        match stages_seen.as_slice() {
            [
                Stage::NeedsCode {
                    last_error: Some(error),
                    ..
                },
            ] => {
                assert_eq!(error.kind, ErrorKind::InvalidCode, "{malformed:?}");
                assert!(error.message.contains("six-digit"), "{}", error.message);
            }
            // Any `Working { VerifyingCode }` here would mean the code went to Okta.
            other => panic!("{malformed:?} was not refused locally: {other:?}"),
        }
    }

    let code = org
        .phone("totp@demo.test")
        .view()
        .expect("phone view")
        .codes[0]
        .code
        .clone();
    let pasted = format!(" {}-{}\n", &code[..3], &code[3..]);
    flow.submit_code(Secret::new(pasted)).await.unwrap();
    let last = until_input(&mut stages).await;
    assert!(
        last.iter().any(|stage| matches!(
            stage,
            Stage::Working {
                activity: Activity::VerifyingCode
            }
        )),
        "{last:?}"
    );
    assert!(
        matches!(last.last(), Some(Stage::Success { user, .. }) if user.login == "totp@demo.test"),
        "{last:?}"
    );
    org.shutdown().await;
}
