//! A sign-in against the scripted Okta of `oktadesk-replay`: the answers Okta recorded, in
//! order, and what the person sees of them stage by stage. Every stage shown and the
//! transcript are checked for the corpus's secrets at the end (they all end in `SECRET`).

#![allow(dead_code, unused_imports)] // Each test binary uses a different part.

use std::time::Duration;

pub use oktadesk_core::Engine;
use oktadesk_core::{
    ClientConfig, FlowOptions, OidcClient, OktaClient, OrgUrl, Recovery, RecoveryRequest,
    RetryPolicy, Secret, SignIn, SignInRequest, Username,
};
pub use oktadesk_replay::{Answer, Okta, Script};

/// The Classic replays' shared paths and checks (`tests/replay_authn*.rs`).
pub mod authn;

/// The password every replayed sign-in types.
pub const PASSWORD: &str = "replay-password-SECRET";
/// The OktaDesk app the IDX fixtures name.
pub const CLIENT_ID: &str = "0oaReplayApp";

/// The client replays use: quick polls and retries, a short rate-limit wait.
pub fn client() -> OktaClient {
    OktaClient::new(ClientConfig {
        poll_interval: Duration::from_millis(250),
        retry: RetryPolicy {
            attempts: 3,
            initial: Duration::from_millis(10),
            max: Duration::from_millis(50),
        },
        max_rate_limit_wait: Duration::from_secs(5),
        code_resend_after: Duration::from_millis(100),
        ..ClientConfig::default()
    })
    .expect("client builds")
}

/// The first requests of every IDX replay: `interact`, then `introspect` answered with
/// `first` (a fixture name).
pub fn idx_start(first: &str) -> Script {
    Script::new()
        .post("/oauth2/default/v1/interact", "idx/interact")
        .post("/idp/idx/introspect", first)
}

/// The same, with `first` an answer of its own (a fixture edited into a variant Okta sends).
pub fn idx_start_with(first: Answer) -> Script {
    Script::new()
        .post("/oauth2/default/v1/interact", "idx/interact")
        .then("POST", "/idp/idx/introspect", first)
}

/// The last requests of a successful IDX replay: the form that succeeds, then the tokens.
pub fn idx_success(script: Script, path: &str) -> Script {
    script
        .post(path, "idx/success-with-interaction-code")
        .post("/oauth2/default/v1/token", "idx/token")
}

pub struct Replay {
    pub okta: Okta,
    pub flow: Flow,
}

/// Starts the scripted Okta and a sign-in to it as `username` through `engine`.
pub async fn sign_in(
    script: Script,
    engine: Engine,
    username: &str,
    options: FlowOptions,
) -> Replay {
    let okta = Okta::start(script).await;
    let options = FlowOptions {
        engine: Some(engine),
        oidc_client: (engine == Engine::IdentityEngine).then(|| OidcClient::new(CLIENT_ID)),
        ..options
    };
    let (handle, stages) = SignIn::start(
        &client(),
        SignInRequest {
            org: OrgUrl::parse(okta.origin()).expect("loopback origin"),
            username: Username::parse(username).expect("a username"),
            password: Secret::new(PASSWORD),
            options,
        },
    );
    Replay {
        okta,
        flow: Flow {
            handle,
            stages,
            seen: Vec::new(),
        },
    }
}

/// Starts the scripted Okta and a password reset or an unlock of `ada@example.com` through
/// `engine`, with `options`.
pub async fn recover(
    script: Script,
    engine: Engine,
    recovery: Recovery,
    options: FlowOptions,
) -> Replay {
    let okta = Okta::start(script).await;
    let options = FlowOptions {
        engine: Some(engine),
        oidc_client: (engine == Engine::IdentityEngine).then(|| OidcClient::new(CLIENT_ID)),
        ..options
    };
    let (handle, stages) = SignIn::recover(
        &client(),
        RecoveryRequest {
            org: OrgUrl::parse(okta.origin()).expect("loopback origin"),
            username: Username::parse("ada@example.com").expect("a username"),
            recovery,
            options,
        },
    );
    Replay {
        okta,
        flow: Flow {
            handle,
            stages,
            seen: Vec::new(),
        },
    }
}

/// An IDX sign-in as `ada@example.com` with default options.
pub async fn idx(script: Script) -> Replay {
    sign_in(
        script,
        Engine::IdentityEngine,
        "ada@example.com",
        FlowOptions::default(),
    )
    .await
}

/// A Classic sign-in as `ada@example.com` with default options.
pub async fn classic(script: Script) -> Replay {
    sign_in(
        script,
        Engine::Classic,
        "ada@example.com",
        FlowOptions::default(),
    )
    .await
}

/// A sign-in read stage by stage: the demo-org tests' [`common::Flow`], so both read stages,
/// guard against a hung flow and keep what was shown the same way.
#[path = "../common/mod.rs"]
mod common;
pub use common::Flow;

impl Replay {
    /// Checks that nothing shown and nothing in the transcript carries a secret of the
    /// corpus or the password.
    pub fn assert_no_secret(&self) {
        let transcript = self.flow.handle.transcript().to_string();
        for text in self.flow.seen.iter().chain([&transcript]) {
            for secret in ["SECRET", PASSWORD] {
                assert!(!text.contains(secret), "{secret} shown in {text}");
            }
        }
    }

    /// Checks that none of `secrets` (a code, an answer, a new password, a recovery token)
    /// shows in a stage, the transcript or the handle's `Debug`.
    pub fn assert_never_shown(&self, secrets: &[&str]) {
        let transcript = self.flow.handle.transcript().to_string();
        let json = self.flow.handle.transcript().to_json().to_string();
        let handle = format!("{:?}", self.flow.handle);
        for text in self.flow.seen.iter().chain([&transcript, &json, &handle]) {
            for secret in secrets.iter().chain(&["SECRET", PASSWORD]) {
                assert!(!text.contains(secret), "{secret} shown in {text}");
            }
        }
    }

    /// `METHOD /path` of every request Okta received.
    pub fn requests(&self) -> Vec<String> {
        self.okta.lines()
    }
}
