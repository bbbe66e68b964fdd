//! HTTPS against the demo org's generated certificate authority: refused by default, trusted
//! with the extra-CA option, and an expired or wrong-host certificate named as such.

use std::time::Duration;

use oktadesk_core::{
    ClientConfig, ErrorKind, FlowOptions, OktaClient, OrgUrl, Secret, SignIn, SignInRequest, Stage,
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
    OktaClient::new(ClientConfig {
        extra_ca_pem: Some(
            org.ca_pem()
                .expect("an HTTPS org has a CA")
                .as_bytes()
                .to_vec(),
        ),
        ..ClientConfig::default()
    })
    .expect("the CA PEM is accepted")
}

/// Signs in the user without MFA and returns the final stage.
async fn sign_in(client: &OktaClient, org: &DemoOrg) -> Stage {
    let (handle, mut stages) = SignIn::start(
        client,
        SignInRequest {
            org: OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid"),
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
