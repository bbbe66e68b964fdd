//! Tests of the org driven through several steps at once.

use zeroize::Zeroizing;

use super::primary_auth::PrimaryAuth;
use super::verification::{Proof, VerifyOptions};
use crate::org::config::DemoOrgConfig;
use crate::org::seed::DEMO_PASSWORD;
use crate::state::{Org, OrgStats};
use crate::wire::TransactionBody;

fn org() -> Org {
    let config = DemoOrgConfig::default();
    Org::new(config, "http://127.0.0.1:1".into(), "127.0.0.1:1".into())
}

fn sign_in(org: &Org, login: &str) -> TransactionBody {
    org.primary_auth(PrimaryAuth {
        username: login.into(),
        password: Zeroizing::new(DEMO_PASSWORD.into()),
        ..PrimaryAuth::default()
    })
    .expect("signs in")
}

#[test]
fn memory_stays_flat_over_ten_thousand_finished_transactions() {
    let org = org();
    for _ in 0..10_000 {
        assert_eq!(sign_in(&org, "nomfa@demo.test").status, "SUCCESS");
        let tx = sign_in(&org, "push@demo.test");
        org.cancel(tx.state_token.as_deref().unwrap()).unwrap();
    }
    for _ in 0..100 {
        sign_in(&org, "push@demo.test");
    }
    let stats = org.stats();
    assert_eq!(
        stats.transactions, 100,
        "finished and cancelled ones are gone at once"
    );
    assert_eq!(
        stats.session_tokens, 10_000,
        "unredeemed session tokens wait for expiry"
    );
    org.clock.advance(std::time::Duration::from_secs(3600));
    assert_eq!(org.stats(), OrgStats::default());
}

#[test]
fn a_push_answer_is_reported_before_a_new_push_is_sent() {
    let org = org();
    let tx = sign_in(&org, "push@demo.test");
    let token = tx.state_token.unwrap();
    let factor_id = org.lock().users[1].factors[0].id.clone();
    let waiting = org
        .verify(
            &token,
            &factor_id,
            Proof::default(),
            VerifyOptions::default(),
        )
        .unwrap();
    assert_eq!(waiting.factor_result, Some("WAITING"));
    org.phone_answer("push@demo.test", false, None).unwrap();
    let rejected = org
        .verify(
            &token,
            &factor_id,
            Proof::default(),
            VerifyOptions::default(),
        )
        .unwrap();
    assert_eq!(rejected.factor_result, Some("REJECTED"));
    let again = org
        .verify(
            &token,
            &factor_id,
            Proof::default(),
            VerifyOptions::default(),
        )
        .unwrap();
    assert_eq!(again.factor_result, Some("WAITING"));
}
