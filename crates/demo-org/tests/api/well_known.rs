//! `GET /.well-known/okta-organization` names the engine the org was configured with.

use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};

use crate::common;

#[tokio::test]
async fn a_default_org_says_it_runs_classic_engine() {
    let org = common::start().await;
    let reply = org.get_json("/.well-known/okta-organization").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body = &reply.json;
    assert_eq!(body["pipeline"], "v1");
    let id = body["id"].as_str().unwrap();
    assert!(id.starts_with("00o") && id.len() == 20, "{id}");
    assert_eq!(body["_links"]["organization"]["href"], org.base.as_str());
    assert!(
        body["_links"].get("alternate").is_none(),
        "no custom domain"
    );
    assert_eq!(body["settings"]["omEnabled"], false);
    let again = org.get_json("/.well-known/okta-organization").await;
    assert_eq!(again.json["id"], body["id"], "an org keeps its id");
    org.shutdown().await;
}

#[tokio::test]
async fn an_identity_engine_org_says_idx_and_still_answers_authn() {
    let org = common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..common::unlimited()
    })
    .await;
    let reply = org.get_json("/.well-known/okta-organization").await;
    assert_eq!(reply.json["pipeline"], "idx");
    let done = org.sign_in("nomfa@demo.test").await;
    assert_eq!(done["status"], "SUCCESS");
    org.shutdown().await;
}
