//! Engine detection (`GET /.well-known/okta-organization`) against the demo org over loopback
//! HTTP, for both engines and for every way an org can fail to say.

use std::time::Duration;

use oktadesk_core::{
    ClientConfig, Engine, ErrorKind, FlowOptions, OktaClient, OrgUrl, RetryPolicy, Secret, SignIn,
    SignInRequest, Stage, Transcript,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoEngine, DemoOrg, DemoOrgConfig, Fault, FaultRule};

const PATH: &str = "/.well-known/okta-organization";

async fn org(engine: DemoEngine) -> (DemoOrg, OrgUrl) {
    let org = DemoOrg::start(DemoOrgConfig {
        engine,
        rate_limit_per_second: 0,
        ..DemoOrgConfig::default()
    })
    .await
    .expect("demo org starts");
    let url = OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid");
    (org, url)
}

fn client() -> OktaClient {
    OktaClient::new(ClientConfig {
        request_timeout: Duration::from_millis(800),
        retry: RetryPolicy {
            attempts: 3,
            initial: Duration::from_millis(20),
            max: Duration::from_millis(50),
        },
        ..ClientConfig::default()
    })
    .expect("client builds")
}

fn fault(org: &DemoOrg, fault: Fault, count: u32) {
    org.inject_fault(FaultRule {
        path: Some(PATH.into()),
        method: Some("GET".into()),
        count,
        fault,
    });
}

#[tokio::test]
async fn a_classic_org_is_told_apart_from_an_identity_engine_org() {
    for (demo, engine, pipeline) in [
        (DemoEngine::Classic, Engine::Classic, "v1"),
        (DemoEngine::IdentityEngine, Engine::IdentityEngine, "idx"),
    ] {
        let (org, url) = org(demo).await;
        let report = client().detect_engine(&url).await;
        assert_eq!(report.engine, Some(engine), "{report:?}");
        assert_eq!(report.pipeline.as_deref(), Some(pipeline));
        assert!(report.unknown_reason.is_none() && report.error_kind.is_none());
        assert_eq!(report.http_status, Some(200));
        assert!(
            report
                .org_id
                .as_deref()
                .is_some_and(|id| id.starts_with("00o"))
        );
        assert_eq!(
            report.organization_url.as_deref(),
            Some(org.base_url().as_str().trim_end_matches('/'))
        );
        assert!(report.custom_domain_url.is_none());
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["engine"], engine.as_str());
        assert!(json["elapsedMs"].is_u64(), "{json}");
        org.shutdown().await;
    }
}

#[tokio::test]
async fn a_404_says_the_org_does_not_tell() {
    let (org, url) = org(DemoEngine::Classic).await;
    fault(
        &org,
        Fault::Status {
            status: 404,
            error_code: Some("E0000007".into()),
            error_summary: Some("Not found: Resource not found".into()),
        },
        1,
    );
    let report = client().detect_engine(&url).await;
    assert_eq!(report.engine, None);
    assert_eq!(report.http_status, Some(404));
    let reason = report.unknown_reason.unwrap();
    assert!(
        reason.contains("HTTP 404") && reason.contains("check the org URL"),
        "{reason}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_web_page_is_not_an_answer() {
    let (org, url) = org(DemoEngine::Classic).await;
    fault(&org, Fault::Html { status: 200 }, 1);
    let report = client().detect_engine(&url).await;
    assert_eq!(report.engine, None);
    assert_eq!(report.error_kind, Some(ErrorKind::UnexpectedResponse));
    assert!(report.unknown_reason.unwrap().contains("web page"));
    org.shutdown().await;
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (org, url) = org(DemoEngine::IdentityEngine).await;
    let status_500 = Fault::Status {
        status: 500,
        error_code: None,
        error_summary: None,
    };
    // One 500 heals on the retry.
    fault(&org, status_500.clone(), 1);
    let transcript = Transcript::new();
    let healed = client().detect_engine_recorded(&url, &transcript).await;
    assert_eq!(healed.engine, Some(Engine::IdentityEngine));
    let statuses: Vec<_> = transcript.entries().iter().map(|e| e.http_status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);
    assert!(transcript.entries().iter().all(|e| e.path == PATH));

    // A 500 on every attempt is reported, not thrown.
    fault(&org, status_500, 3);
    let report = client().detect_engine(&url).await;
    assert_eq!(report.engine, None);
    assert_eq!(report.error_kind, Some(ErrorKind::ServerError));
    assert_eq!(report.http_status, Some(500));
    assert!(org.pending_faults().is_empty(), "every attempt was made");
    org.shutdown().await;
}

#[tokio::test]
async fn a_slow_org_times_out_and_a_missing_one_is_a_network_error() {
    let (org, url) = org(DemoEngine::Classic).await;
    fault(&org, Fault::Delay { millis: 2_000 }, 3);
    let report = client().detect_engine(&url).await;
    assert_eq!(report.engine, None);
    assert_eq!(report.error_kind, Some(ErrorKind::Timeout));
    assert!(report.http_status.is_none());
    assert!(
        report
            .unknown_reason
            .unwrap()
            .contains("did not answer in time")
    );
    org.shutdown().await;

    // Nothing listens there any more.
    let report = client().detect_engine(&url).await;
    assert_eq!(report.error_kind, Some(ErrorKind::Network), "{report:?}");
    assert!(report.unknown_reason.is_some());
}

#[tokio::test]
async fn an_unknown_pipeline_or_a_cut_off_answer_is_reported_by_name() {
    let (org, url) = org(DemoEngine::Classic).await;
    fault(&org, Fault::TruncatedJson, 1);
    let cut = client().detect_engine(&url).await;
    assert_eq!(cut.engine, None);
    assert_eq!(cut.error_kind, Some(ErrorKind::UnexpectedResponse));
    fault(
        &org,
        Fault::Oversized {
            bytes: 2 * 1024 * 1024,
        },
        1,
    );
    let big = client().detect_engine(&url).await;
    assert!(big.unknown_reason.unwrap().contains("1 MiB"));
    org.shutdown().await;
}

#[tokio::test]
async fn a_sign_in_told_the_engine_notes_it_first_and_goes_on_as_before() {
    let (org, url) = org(DemoEngine::IdentityEngine).await;
    let client = client();
    let engine = client.detect_engine(&url).await.engine;
    let (handle, mut stages) = SignIn::start(
        &client,
        SignInRequest {
            org: url,
            username: "nomfa@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: FlowOptions {
                engine,
                ..FlowOptions::default()
            },
        },
    );
    let mut succeeded = false;
    while let Some(stage) = stages.next().await {
        succeeded |= matches!(stage, Stage::Success { .. });
    }
    assert!(succeeded);
    let entries = handle.transcript().entries();
    assert_eq!(entries[0].path, "org engine");
    let note = entries[0].note.as_deref().unwrap();
    assert!(
        note.contains("Okta Identity Engine (pipeline idx)"),
        "{note}"
    );
    assert!(note.contains("/api/v1/authn"), "{note}");
    assert_eq!(entries[1].path, "/api/v1/authn");
    assert_eq!(entries.len(), 2);
    org.shutdown().await;
}
