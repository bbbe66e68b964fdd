//! HTTPS against the demo org's generated certificate authority: refused by default, trusted
//! with the extra-CA option (also when pasted without its line breaks), and an expired or
//! wrong-host certificate named as such, by a sign-in and by the probes `doctor` runs.

use std::net::SocketAddr;
use std::time::Duration;

use oktadesk_core::{
    ClientConfig, ErrorKind, FlowOptions, OktaClient, OrgUrl, ProbeTls, Secret, SignIn,
    SignInRequest, Stage, TlsRefusal,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig, TlsOptions};

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

async fn https_org(tls: TlsOptions) -> DemoOrg {
    let org = DemoOrg::start(DemoOrgConfig {
        tls: Some(tls),
        ..DemoOrgConfig::default()
    })
    .await
    .expect("demo org starts with HTTPS");
    assert_eq!(org.base_url().scheme(), "https");
    org
}

fn trusting(org: &DemoOrg) -> OktaClient {
    trusting_pem(org.ca_pem().expect("an HTTPS org has a CA").as_bytes())
}

fn trusting_pem(pem: &[u8]) -> OktaClient {
    OktaClient::new(ClientConfig {
        extra_ca_pem: Some(pem.to_vec()),
        ..ClientConfig::default()
    })
    .expect("the CA PEM is accepted")
}

fn org_url(org: &DemoOrg) -> OrgUrl {
    OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid")
}

fn address(org: &DemoOrg) -> SocketAddr {
    let url = org.base_url();
    let host = url.host_str().expect("the demo org has a host");
    SocketAddr::new(
        host.parse().expect("the demo org listens on an IP address"),
        url.port().expect("the demo org has a port"),
    )
}

/// Signs in the user without MFA and returns the final stage.
async fn sign_in(client: &OktaClient, org: &DemoOrg) -> Stage {
    let (handle, mut stages) = SignIn::start(
        client,
        SignInRequest {
            org: org_url(org),
            username: "nomfa@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: FlowOptions::default(),
        },
    );
    loop {
        let stage = tokio::time::timeout(HANG_GUARD, stages.next())
            .await
            .unwrap_or_else(|_| panic!("the flow hung:\n{}", handle.transcript()))
            .expect("the flow ended without a final stage");
        if stage.is_final() {
            return stage;
        }
    }
}

fn tls_failure(stage: Stage) -> String {
    match stage {
        Stage::Failed { kind, message } => {
            assert_eq!(kind, ErrorKind::Tls, "{message}");
            message
        }
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test]
async fn the_generated_certificate_is_refused_by_default() {
    let org = https_org(TlsOptions::default()).await;
    let client = OktaClient::new(ClientConfig::default()).unwrap();
    let message = tls_failure(sign_in(&client, &org).await);
    assert!(
        message.contains("could not be verified") && message.to_lowercase().contains("issuer"),
        "the message must say the certificate's issuer is not trusted: {message}"
    );
    assert!(message.contains("root certificate"), "{message}");
    org.shutdown().await;
}

#[tokio::test]
async fn the_extra_ca_makes_the_org_trusted() {
    let org = https_org(TlsOptions::default()).await;
    let ca_pem = org.ca_pem().unwrap();
    assert!(
        ca_pem.starts_with("-----BEGIN CERTIFICATE-----"),
        "{ca_pem}"
    );
    match sign_in(&trusting(&org), &org).await {
        Stage::Success { user, .. } => assert_eq!(user.login, "nomfa@demo.test"),
        other => panic!("expected success over HTTPS, got {other:?}"),
    }
    org.shutdown().await;
}

#[tokio::test]
async fn an_expired_certificate_is_named_as_expired() {
    let org = https_org(TlsOptions {
        expired: true,
        ..TlsOptions::default()
    })
    .await;
    let message = tls_failure(sign_in(&trusting(&org), &org).await);
    assert!(
        message.to_lowercase().contains("expired"),
        "the message must say the certificate expired: {message}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_certificate_for_another_host_is_named_as_such() {
    let org = https_org(TlsOptions {
        subject_names: vec!["elsewhere.example".into()],
        ..TlsOptions::default()
    })
    .await;
    let message = tls_failure(sign_in(&trusting(&org), &org).await);
    assert!(
        message.contains("not valid for") && message.contains("127.0.0.1"),
        "the message must say the certificate is for another host: {message}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_pasted_ca_without_line_breaks_is_trusted() {
    let org = https_org(TlsOptions::default()).await;
    // What an e-mail or a web form makes of a PEM file: one line, spaces for line breaks.
    let pasted = org.ca_pem().unwrap().replace('\n', " ");
    assert_eq!(pasted.lines().count(), 1);
    let client = trusting_pem(pasted.as_bytes());
    match sign_in(&client, &org).await {
        Stage::Success { user, .. } => assert_eq!(user.login, "nomfa@demo.test"),
        other => panic!("expected success with the pasted CA, got {other:?}"),
    }
    let inspection = client
        .inspect_tls(&org_url(&org), address(&org))
        .await
        .unwrap();
    assert_eq!(inspection.refusal, None);
    org.shutdown().await;
}

#[tokio::test]
async fn the_probe_gets_the_okta_answer_over_verified_tls() {
    let org = https_org(TlsOptions::default()).await;
    let report = trusting(&org).probe(&org_url(&org)).await.unwrap();
    assert!(
        matches!(report.http_status, 400 | 401 | 403),
        "an empty sign-in is refused: {report:?}"
    );
    assert!(report.okta_error_code.is_some(), "{report:?}");
    assert_eq!(report.tls, ProbeTls::Verified);
    assert!(report.server_date.is_some(), "{report:?}");
    assert!(
        report
            .content_type
            .as_deref()
            .is_some_and(|content_type| content_type.starts_with("application/json")),
        "{report:?}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn the_probe_fails_as_a_sign_in_does_without_the_ca() {
    let org = https_org(TlsOptions::default()).await;
    let client = OktaClient::new(ClientConfig::default()).unwrap();
    let probe_error = client.probe(&org_url(&org)).await.unwrap_err();
    assert_eq!(probe_error.kind(), ErrorKind::Tls, "{probe_error}");
    let sign_in_message = tls_failure(sign_in(&client, &org).await);
    assert_eq!(probe_error.to_string(), sign_in_message);
    org.shutdown().await;
}

#[tokio::test]
async fn tls_inspection_names_the_refusal_and_keeps_the_chain() {
    let cases = [
        (TlsOptions::default(), false, TlsRefusal::UnknownIssuer),
        (
            TlsOptions {
                expired: true,
                ..TlsOptions::default()
            },
            true,
            TlsRefusal::Expired,
        ),
        (
            TlsOptions {
                subject_names: vec!["elsewhere.example".into()],
                ..TlsOptions::default()
            },
            true,
            TlsRefusal::NotValidForName,
        ),
    ];
    for (options, trust_the_ca, expected) in cases {
        let org = https_org(options).await;
        let client = if trust_the_ca {
            trusting(&org)
        } else {
            OktaClient::new(ClientConfig::default()).unwrap()
        };
        let inspection = client
            .inspect_tls(&org_url(&org), address(&org))
            .await
            .unwrap();
        assert_eq!(inspection.refusal, Some(expected));
        assert!(!inspection.chain.is_empty(), "the refused chain is kept");
        org.shutdown().await;
    }

    let org = https_org(TlsOptions::default()).await;
    let inspection = trusting(&org)
        .inspect_tls(&org_url(&org), address(&org))
        .await
        .unwrap();
    assert_eq!(inspection.refusal, None);
    assert!(inspection.protocol.is_some());
    assert!(!inspection.chain.is_empty());
    org.shutdown().await;
}
