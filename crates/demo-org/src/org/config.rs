//! Settings of a demo org.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::error::DemoOrgError;
use crate::tls::TlsOptions;

/// How a [`DemoOrg`](crate::DemoOrg) listens and how long its tokens, activations and pushes
/// live. Build one with struct update syntax over [`Default`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOrgConfig {
    /// Address to listen on. `/_demo` only answers loopback peers whatever this is.
    pub host: IpAddr,
    /// Port to listen on; 0 lets the OS pick a free one (read it back from `base_url`).
    pub port: u16,
    /// How long an Okta Verify activation (its QR code and activation link) stays valid
    /// before polling reports `TIMEOUT`.
    pub activation_lifetime: Duration,
    /// How long a push waits for the phone before it turns to `TIMEOUT`.
    pub push_lifetime: Duration,
    /// Sliding lifetime of a state token: every request that uses it extends it by this much.
    pub state_token_lifetime: Duration,
    /// How long a session token may be exchanged for a session.
    pub session_token_lifetime: Duration,
    /// How long a browser session (`sid` cookie) lasts.
    pub session_lifetime: Duration,
    /// When set, the virtual phone answers by itself this long after a push or an activation
    /// starts: it approves pushes (tapping the right number) and completes activations.
    pub auto_approve: Option<Duration>,
    /// Requests per second each user may make to `/api/v1/authn*` before getting 429
    /// `E0000047`. Okta's limit is 4; 0 turns limiting off.
    pub rate_limit_per_second: u32,
    /// Placed right after Okta's prefix in every token this org issues (state, session,
    /// activation, QR and `sid` tokens), so tests can scan output for leaked tokens.
    /// ASCII letters and digits only. TOTP shared secrets cannot carry it (they are random
    /// base32); scan for the `sharedSecret` an enrollment returned instead.
    pub token_marker: String,
    /// Serve HTTPS with a generated certificate instead of plain HTTP. Clients must trust
    /// [`DemoOrg::ca_pem`](crate::DemoOrg::ca_pem) to connect.
    pub tls: Option<TlsOptions>,
    /// The host name clients use to reach the org, when not the listen address (say, a name
    /// that resolves to loopback, so a client treats the org as remote and uses its proxy).
    /// Links, the base URL and the default certificate name use it.
    pub public_host: Option<String>,
    /// The password of every seeded user ([`DEMO_PASSWORD`](crate::DEMO_PASSWORD) unless
    /// set). Leak tests set a recognisable canary and scan everything a client wrote for it.
    pub password: String,
    /// Whether the password policy shows lockout failures. Off, as on a real org by default:
    /// a locked-out user gets the same `401 E0000004` as a wrong password, so the answer
    /// never tells whether the account exists. On: primary authentication of a locked-out
    /// user answers `status: LOCKED_OUT` with its `unlock` and `cancel` links.
    pub reveal_lockout: bool,
    /// Whether the org lets people reset a forgotten password and unlock their account
    /// themselves (on by default). Off, as on an org whose policy allows neither: Classic
    /// answers `/api/v1/authn/recovery/password` with 403 `E0000034` and
    /// `/recovery/unlock` with 403 `E0000032`, and `LOCKED_OUT` has no `unlock` link;
    /// Identity Engine offers neither `unlock-account` nor the password's `recover`, and
    /// answers a forced `/idp/idx/recover` with Okta's "reset password is not allowed" and a
    /// forced `/idp/idx/unlock-account` with its "self-service unlock is not allowed".
    pub self_service_recovery: bool,
    /// The engine the org runs. Identity Engine adds the IDX API (`/oauth2/…/v1/interact`,
    /// `/idp/idx/…`, `/oauth2/…/v1/token`) and says `idx` in
    /// `/.well-known/okta-organization`; `/api/v1/authn` answers on both, as it does on a
    /// real Identity Engine org.
    pub engine: DemoEngine,
    /// The client id of the org's one OIDC native app, which IDX sign-ins must name
    /// ([`DEMO_OIDC_CLIENT_ID`](crate::DEMO_OIDC_CLIENT_ID) unless set). Its redirect URI is
    /// [`DEMO_REDIRECT_URI`](crate::DEMO_REDIRECT_URI).
    pub oidc_client_id: String,
    /// The Identity Engine policies' choices of answer shape (identify with the password,
    /// Okta Verify wanting biometrics). Only for
    /// [`DemoEngine::IdentityEngine`].
    pub idx: crate::org::idx_options::IdxOptions,
}

/// Which of Okta's engines a demo org says it runs.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DemoEngine {
    /// Okta Classic Engine: `pipeline: "v1"`.
    #[default]
    Classic,
    /// Okta Identity Engine: `pipeline: "idx"`, and the IDX API.
    IdentityEngine,
}

impl DemoEngine {
    /// The `pipeline` value Okta sends for this engine.
    pub fn pipeline(self) -> &'static str {
        match self {
            Self::Classic => "v1",
            Self::IdentityEngine => "idx",
        }
    }
}

impl Default for DemoOrgConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            activation_lifetime: Duration::from_secs(10 * 60),
            push_lifetime: Duration::from_secs(5 * 60),
            state_token_lifetime: Duration::from_secs(5 * 60),
            session_token_lifetime: Duration::from_secs(5 * 60),
            session_lifetime: Duration::from_secs(2 * 60 * 60),
            auto_approve: None,
            rate_limit_per_second: 4,
            token_marker: String::new(),
            tls: None,
            public_host: None,
            password: crate::org::seed::DEMO_PASSWORD.to_owned(),
            reveal_lockout: false,
            self_service_recovery: true,
            engine: DemoEngine::Classic,
            oidc_client_id: crate::org::seed::DEMO_OIDC_CLIENT_ID.to_owned(),
            idx: crate::org::idx_options::IdxOptions::default(),
        }
    }
}

impl DemoOrgConfig {
    pub(crate) fn validate(&self) -> Result<(), DemoOrgError> {
        if !self.token_marker.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(DemoOrgError::InvalidConfig {
                setting: "token_marker",
                reason: "use ASCII letters and digits only, so tokens stay URL-safe".into(),
            });
        }
        if let Some(host) = &self.public_host
            && (host.is_empty()
                || !host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        {
            return Err(DemoOrgError::InvalidConfig {
                setting: "public_host",
                reason: "use a plain DNS name (letters, digits, '-' and '.')".into(),
            });
        }
        if self.oidc_client_id.is_empty()
            || !self
                .oidc_client_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        {
            return Err(DemoOrgError::InvalidConfig {
                setting: "oidc_client_id",
                reason: "use ASCII letters and digits, as Okta's client ids are".into(),
            });
        }
        if self.password.is_empty() {
            return Err(DemoOrgError::InvalidConfig {
                setting: "password",
                reason: "an empty password cannot be typed at a sign-in prompt; leave the default"
                    .into(),
            });
        }
        for (setting, lifetime) in [
            ("activation_lifetime", self.activation_lifetime),
            ("push_lifetime", self.push_lifetime),
            ("state_token_lifetime", self.state_token_lifetime),
            ("session_token_lifetime", self.session_token_lifetime),
            ("session_lifetime", self.session_lifetime),
        ] {
            if lifetime.is_zero() {
                return Err(DemoOrgError::InvalidConfig {
                    setting,
                    reason: "must be longer than zero".into(),
                });
            }
        }
        Ok(())
    }
}
