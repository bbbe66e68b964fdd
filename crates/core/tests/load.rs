//! A bounded load test: 200 concurrent sign-ins with push against one demo org on loopback,
//! the phone approving by itself. Okta's per-user limit (4 requests/s) is on, so many of the
//! sign-ins meet 429: each must end in success as its own user or in the documented
//! `rate_limited` failure (after waiting for `X-Rate-Limit-Reset` a few times), none lost and
//! none mixed up with another user's transaction. The org's memory over 10,000 finished
//! transactions is covered by the demo org's own test.

use std::collections::BTreeMap;
use std::time::Duration;

use oktadesk_core::{
    ClientConfig, ErrorKind, FlowOptions, OktaClient, OrgUrl, Secret, SignIn, SignInRequest, Stage,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig};

const SIGN_INS: usize = 200;
/// Push users the phone approves by itself (`number` taps the right number).
const LOGINS: [&str; 2] = ["push@demo.test", "number@demo.test"];
/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(300);

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    SignedIn,
    RateLimited,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_push_sign_ins_each_end_as_their_own_user_or_rate_limited() {
    let outcomes = run(4).await;
    for login in LOGINS {
        assert!(
            outcomes.contains_key(&(login, Outcome::SignedIn)),
            "{login} never got through: {outcomes:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_rate_limit_all_two_hundred_sign_in_as_their_own_user() {
    let outcomes = run(0).await;
    let signed_in: usize = outcomes
        .iter()
        .filter(|((_, outcome), _)| *outcome == Outcome::SignedIn)
        .map(|(_, count)| count)
        .sum();
    assert_eq!(signed_in, SIGN_INS, "{outcomes:?}");
}

/// Runs the sign-ins against an org with this per-user limit (0: none) and counts outcomes.
async fn run(rate_limit_per_second: u32) -> BTreeMap<(&'static str, Outcome), usize> {
    let org = DemoOrg::start(DemoOrgConfig {
        auto_approve: Some(Duration::from_millis(200)),
        rate_limit_per_second,
        ..DemoOrgConfig::default()
    })
    .await
    .expect("demo org starts");
    let client = OktaClient::new(ClientConfig {
        poll_interval: Duration::from_millis(500),
        ..ClientConfig::default()
    })
    .expect("client builds");
    let org_url = OrgUrl::parse(org.base_url().as_str()).unwrap();

    let mut flows = tokio::task::JoinSet::new();
    for index in 0..SIGN_INS {
        let login = LOGINS[index % LOGINS.len()];
        let (handle, mut stages) = SignIn::start(
            &client,
            SignInRequest {
                org: org_url.clone(),
                username: login.parse().unwrap(),
                password: Secret::new(DEMO_PASSWORD),
                options: FlowOptions::default(),
            },
        );
        flows.spawn(async move {
            loop {
                let stage = stages
                    .next()
                    .await
                    .unwrap_or_else(|| panic!("sign-in {index} ended without a final stage"));
                match stage {
                    Stage::Success { user, .. } => {
                        assert_eq!(user.login, login, "sign-in {index} got another user");
                        return (login, Outcome::SignedIn);
                    }
                    Stage::Failed {
                        kind: ErrorKind::RateLimited,
                        ..
                    } => return (login, Outcome::RateLimited),
                    stage if stage.is_final() => panic!(
                        "sign-in {index} ended with {stage:?}\n{}",
                        handle.transcript()
                    ),
                    _ => {}
                }
            }
        });
    }

    let mut outcomes: BTreeMap<(&'static str, Outcome), usize> = BTreeMap::new();
    let mut finished = 0;
    tokio::time::timeout(HANG_GUARD, async {
        while let Some(joined) = flows.join_next().await {
            let (login, outcome) = joined.expect("a sign-in panicked");
            *outcomes.entry((login, outcome)).or_default() += 1;
            finished += 1;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("sign-ins hung; finished {finished} of {SIGN_INS}"));

    assert_eq!(finished, SIGN_INS, "sign-ins were lost: {outcomes:?}");
    eprintln!("rate limit {rate_limit_per_second}/s: {outcomes:?}");
    org.shutdown().await;
    outcomes
}
