//! A demo org and a client for the factor tests: flows read stage by stage, and everything
//! they showed checked for leaked tokens and passwords at the end.

#![allow(dead_code)] // Each test binary uses a different part.

use std::time::Duration;

use oktadesk_core::{
    ClientConfig, DeviceToken, Engine, ErrorKind, FlowHandle, FlowOptions, OidcClient, OktaClient,
    OrgUrl, Recovery, RecoveryRequest, RetryPolicy, Secret, SessionHandoff, SignIn, SignInRequest,
    Stage, Stages, UserInfo,
};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, DemoEngine, DemoOrg, DemoOrgConfig};

/// Every token the demo org issues carries this, so leaks are easy to find.
pub const MARKER: &str = "FACTORLEAK";

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// How soon a new code may be asked for in these tests (Okta's 30 s would slow them down).
pub const RESEND_AFTER: Duration = Duration::from_millis(500);

pub struct Harness {
    pub org: DemoOrg,
    client: OktaClient,
    pub org_url: OrgUrl,
    seen: Vec<String>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(long_lived_org()).await
    }

    /// A demo org running Identity Engine, so sign-ins go through IDX (see [`idx_options`]).
    pub async fn start_idx() -> Self {
        Self::start_with(DemoOrgConfig {
            engine: DemoEngine::IdentityEngine,
            ..long_lived_org()
        })
        .await
    }

    /// A demo org configured as `config` says, but always with the token marker.
    pub async fn start_with(config: DemoOrgConfig) -> Self {
        let org = DemoOrg::start(DemoOrgConfig {
            token_marker: MARKER.into(),
            ..config
        })
        .await
        .expect("demo org starts");
        let client = OktaClient::new(ClientConfig {
            poll_interval: Duration::from_millis(300),
            retry: RetryPolicy {
                attempts: 4,
                initial: Duration::from_millis(20),
                max: Duration::from_millis(100),
            },
            code_resend_after: RESEND_AFTER,
            ..ClientConfig::default()
        })
        .expect("client builds");
        let org_url = OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid");
        Self {
            org,
            client,
            org_url,
            seen: Vec::new(),
        }
    }

    pub fn sign_in(&self, login: &str, options: FlowOptions) -> Flow {
        self.sign_in_on_device(login, options, None)
    }

    /// A sign-in through IDX, as for an Identity Engine org with OktaDesk's app set up:
    /// `options` with the engine and the demo org's OIDC client filled in.
    pub fn sign_in_idx(&self, login: &str, options: FlowOptions) -> Flow {
        self.sign_in(login, idx_options(options))
    }

    /// A sign-in presenting the device cookie an earlier one left.
    pub fn sign_in_on_device(
        &self,
        login: &str,
        options: FlowOptions,
        device: Option<DeviceToken>,
    ) -> Flow {
        self.sign_in_as(login, DEMO_PASSWORD, options, device)
    }

    /// A sign-in with `password` rather than the seeded one (after a change).
    pub fn sign_in_as(
        &self,
        login: &str,
        password: &str,
        options: FlowOptions,
        device: Option<DeviceToken>,
    ) -> Flow {
        let (handle, stages) = SignIn::start_on_device(
            &self.client,
            SignInRequest {
                org: self.org_url.clone(),
                username: login.parse().unwrap(),
                password: Secret::new(password),
                options,
            },
            device,
        );
        Flow {
            handle,
            stages,
            seen: Vec::new(),
        }
    }

    /// A password reset or an unlock for `login` (`options` pick the engine, as for a
    /// sign-in).
    pub fn recover(&self, login: &str, recovery: Recovery, options: FlowOptions) -> Flow {
        let (handle, stages) = SignIn::recover(
            &self.client,
            RecoveryRequest {
                org: self.org_url.clone(),
                username: login.parse().unwrap(),
                recovery,
                options,
            },
        );
        Flow {
            handle,
            stages,
            seen: Vec::new(),
        }
    }

    /// The link in the newest email the org sent `login` (a recovery or activation link).
    pub fn inbox_link(&self, login: &str) -> String {
        let view = self.org.phone(login).view().expect("phone view");
        let message = view.inbox.last().expect("a message was sent");
        message.link.clone().expect("the message carries a link")
    }

    /// The code in the newest text, call or email the org sent `login`.
    pub fn inbox_code(&self, login: &str) -> String {
        let view = self.org.phone(login).view().expect("phone view");
        view.inbox.last().expect("a message was sent").code.clone()
    }

    pub fn inbox_len(&self, login: &str) -> usize {
        self.org
            .phone(login)
            .view()
            .expect("phone view")
            .inbox
            .len()
    }

    /// The code the phone shows for the app or token whose issuer contains `issuer`.
    pub fn phone_code(&self, login: &str, issuer: &str) -> String {
        let view = self.org.phone(login).view().expect("phone view");
        view.codes
            .iter()
            .find(|code| code.issuer.contains(issuer))
            .unwrap_or_else(|| panic!("no {issuer} code in {:?}", view.codes))
            .code
            .clone()
    }

    /// Checks that nothing the flows showed holds a token or the password, then stops.
    pub async fn finish(mut self, flows: impl IntoIterator<Item = Flow>) {
        for flow in flows {
            self.seen.extend(flow.seen);
            self.seen.push(flow.handle.transcript().to_string());
            self.seen
                .push(flow.handle.transcript().to_json().to_string());
            self.seen.push(format!("{:?}", flow.handle));
        }
        for text in &self.seen {
            assert!(!text.contains(MARKER), "a token leaked: {text}");
            assert!(!text.contains(DEMO_PASSWORD), "the password leaked: {text}");
        }
        self.org.shutdown().await;
    }
}

pub struct Flow {
    pub handle: FlowHandle,
    pub stages: Stages,
    pub seen: Vec<String>,
}

impl Flow {
    /// The next stage that is not a spinner.
    pub async fn next(&mut self) -> Stage {
        loop {
            let stage = tokio::time::timeout(HANG_GUARD, self.stages.next())
                .await
                .unwrap_or_else(|_| panic!("the flow hung:\n{}", self.handle.transcript()))
                .expect("the flow ended without a final stage");
            self.seen.push(format!("{stage:?}"));
            self.seen.push(serde_json::to_string(&stage).unwrap());
            if !matches!(stage, Stage::Working { .. }) {
                return stage;
            }
        }
    }

    pub async fn expect_success(&mut self, login: &str) {
        self.expect_signed_in(login).await;
    }

    /// Who signed in and the session handed over, once the flow succeeds as `login`.
    pub async fn expect_signed_in(&mut self, login: &str) -> (UserInfo, SessionHandoff) {
        match self.next().await {
            Stage::Success { user, session } => {
                assert_eq!(user.login, login);
                (user, session)
            }
            other => panic!(
                "expected success, got {other:?}\n{}",
                self.handle.transcript()
            ),
        }
    }

    pub async fn expect_failure(&mut self, kind: ErrorKind) -> String {
        match self.next().await {
            Stage::Failed {
                kind: actual,
                message,
            } => {
                assert_eq!(actual, kind, "failed with: {message}");
                message
            }
            other => panic!(
                "expected failure {kind}, got {other:?}\n{}",
                self.handle.transcript()
            ),
        }
    }
}

/// Lifetimes long enough that the clock can pass a push or an activation alone, and no rate
/// limit to slow the tests down.
pub fn long_lived_org() -> DemoOrgConfig {
    DemoOrgConfig {
        rate_limit_per_second: 0,
        state_token_lifetime: Duration::from_secs(24 * 60 * 60),
        ..DemoOrgConfig::default()
    }
}

/// `options` for an Identity Engine org whose OktaDesk app is the demo org's.
pub fn idx_options(options: FlowOptions) -> FlowOptions {
    FlowOptions {
        engine: Some(Engine::IdentityEngine),
        oidc_client: Some(OidcClient::new(DEMO_OIDC_CLIENT_ID)),
        ..options
    }
}

pub fn prefer(kind: oktadesk_core::FactorKind) -> FlowOptions {
    FlowOptions {
        preferred_factor: Some(kind),
        ..FlowOptions::default()
    }
}
