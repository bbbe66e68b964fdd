//! The embedded demo org: a local server that speaks Okta's Authentication API
//! (`/api/v1/authn`) with seeded users and a virtual Okta Verify phone, so the whole OktaDesk
//! flow runs without an Okta account. Every OktaDesk test runs against it.
//!
//! It also serves `GET /.well-known/okta-organization`, which names the engine it runs
//! ([`DemoOrgConfig::engine`]: `pipeline` `v1` for Classic Engine, `idx` for Identity Engine).
//!
//! # Layout
//!
//! The crate is built in floors, each file using only those below it: `wire/` (Okta's JSON
//! shapes and error body); `org/`, the shared floor (settings and seed, clock, users and
//! factors, sent codes and the inbox, questions, password policy, sessions, remembered
//! devices, pushes, recovery tokens), which knows neither engine; each engine's sign-in
//! records (`classic/transaction.rs`, `idx/store.rs`); `state.rs`, the org and its one mutex
//! over all of them; the engines, Classic in `classic/` and Identity Engine in `idx/`, each
//! with its steps, its presenters and its routes; and on top the virtual phone (`phone.rs`),
//! injected faults, the rate limit, the router (`routes/`) and the server.
//!
//! # Self-service recovery (Classic)
//!
//! `POST /api/v1/authn/recovery/password` or `/recovery/unlock` (`{username, factorType:
//! EMAIL|SMS|CALL, relayState}`): by email, `RECOVERY_CHALLENGE` with no state token and the
//! link (`{origin}/signin/reset-password/<token>` or `/signin/unlock/<token>`) in the demo inbox,
//! the token as the message's `code`, for `POST /recovery/token {recoveryToken}` (one use,
//! one hour); by text or call, `RECOVERY_CHALLENGE` with `next` `/recovery/factors/{SMS,CALL}/verify`
//! `{stateToken, passCode}` and `resend`. Then `RECOVERY` (`/recovery/answer {stateToken,
//! answer}`) where the user has a recovery question, then `PASSWORD_RESET`
//! (`/credentials/reset_password {stateToken, newPassword}`, 403 `E0000080` under the org's
//! password policy) and the sign-in goes on; an unlock ends at `SUCCESS` with
//! `recoveryType: UNLOCK`. `DemoOrgConfig::self_service_recovery` turns all of it off.
//!
//! # Identity Engine mode
//!
//! With [`DemoEngine::IdentityEngine`] the org also speaks Okta's IDX API, the Interaction
//! Code flow Okta's IDX SDKs drive (okta-auth-js `idx`, okta-idx-swift and the others), with
//! the same seeded users and virtual phone; `/api/v1/authn` keeps answering, as on a real
//! Identity Engine org. One OIDC native app is registered: client id
//! [`DemoOrgConfig::oidc_client_id`] ([`DEMO_OIDC_CLIENT_ID`] by default), redirect URI
//! [`DEMO_REDIRECT_URI`], S256 PKCE required, on the org authorization server
//! (`/oauth2/v1/…`, issuer = the org URL) and the custom one [`DEMO_AUTH_SERVER_ID`]
//! (`/oauth2/default/v1/…`, issuer `{org}/oauth2/default`).
//!
//! | request | does |
//! |---|---|
//! | `POST /oauth2[/default]/v1/interact` (form: `client_id`, `scope`, `redirect_uri`, `code_challenge`, `code_challenge_method=S256`, `state`, optional `nonce`) | `{"interaction_handle"}`; OAuth errors (`invalid_client` 401, `invalid_request` 400) otherwise |
//! | `POST /idp/idx/introspect` (`{"interactionHandle"}` or `{"stateToken"}`) | the transaction (`application/ion+json; okta-version=1.0.0`) |
//! | `POST /idp/idx/identify`, `/challenge`, `/challenge/answer`, `/challenge/resend`, `/challenge/send`, `/authenticators/poll`, `/challenge/poll`, `/credential/enroll`, `/skip`, `/cancel` | the remediations the responses offer, each answering the next step |
//! | `POST /oauth2[/default]/v1/token` (`grant_type=interaction_code`, `interaction_code`, `client_id`, `code_verifier`) | access, ID (RS256) and, with `offline_access`, refresh tokens |
//! | `GET /oauth2[/default]/v1/keys`, `GET [/oauth2/default]/.well-known/openid-configuration` | the JWKS and discovery documents |
//!
//! The password is asked for after `identify`, in its own `challenge-authenticator`. The
//! virtual phone sees IDX pushes (and their three numbers) and scans IDX enrollment QR codes
//! as it does Classic ones; `auto_approve` and the org clock apply alike. The tokens are
//! signed with a fixed demo-only RSA key checked into this crate: trust them nowhere else.
//!
//! ```no_run
//! # async fn demo() -> Result<(), oktadesk_demo_org::DemoOrgError> {
//! use oktadesk_demo_org::{DemoOrg, DemoOrgConfig};
//! let org = DemoOrg::start(DemoOrgConfig::default()).await?;
//! println!("{}", org.base_url());
//! org.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Test controls under `/_demo` (loopback peers only)
//!
//! | request | does |
//! |---|---|
//! | `GET /_demo` | base URL, the HTTPS CA PEM (`caPem`, null over HTTP), seeded users, org time, stats |
//! | `GET /_demo/stats` | `{transactions, sessionTokens, sessions, idxTransactions}` held in memory |
//! | `POST /_demo/reset` | back to the seeded users; clears clock offset, faults, rate limits (204) |
//! | `GET /_demo/clock` | `{now, offsetSeconds}` |
//! | `POST /_demo/clock/advance {"seconds": N}` | moves the org clock forward: state token, activation, push and session expiry and TOTP windows follow it (rate limits do not) |
//! | `GET /_demo/phone/{login}` | [`PhoneView`]: factors, the pending push and its three numbers, pending activations, current app and token codes, the inbox |
//! | `GET /_demo/inbox/{login}` | the texts, voice calls and emails the org sent the user ([`InboxMessage`]s, newest last): the codes of SMS, call and email factors |
//! | `POST /_demo/phone/{login}/scan` (body: PNG bytes) | decodes the QR and does what it says ([`ScanOutcome`]); unreadable 400, refused 422 |
//! | `POST /_demo/phone/{login}/open` (optional `{"link": "…"}`) | taps an Okta Verify activation link the org sent (the newest in the inbox without a body): does what scanning its QR does |
//! | `POST /_demo/phone/{login}/approve` (optional `{"number": N}`) | `{"result": "APPROVED"}` or `"REJECTED"` (wrong number); no push 409, number missing 400 |
//! | `POST /_demo/phone/{login}/reject` | `{"result": "REJECTED"}` |
//! | `POST /_demo/faults` ([`FaultRule`]) | queues a fault for the next `count` matching requests (201) |
//! | `GET /_demo/faults`, `DELETE /_demo/faults` | lists, clears queued faults |
//!
//! Errors from `/_demo` are `{"error": kind, "message": text}`.
//!
//! Fault rule example: `{"path": "/verify", "method": "POST", "count": 2,
//! "fault": {"kind": "status", "status": 503, "errorCode": "E0000009"}}`. Kinds: `status`,
//! `delay {millis}`, `drop`, `truncatedJson`, `html {status}`, `oversized {bytes}`,
//! `rateLimitBurst`, `unreadableQr`, `redirect {location}`, `foreignLink {origin}`, `unknownStatus {status}`,
//! `unknownFactorResult {factorResult}`, `unknownRemediation {name}` (IDX). On `/oauth2/` paths a
//! `status` fault with an OAuth error code (`invalid_grant`) answers as the OAuth endpoints do:
//! `{"error", "error_description"}`.

mod app;
mod classic;
mod cookies;
mod error;
mod faults;
mod idx;
mod org;
mod phone;
mod rate_limit;
mod routes;
mod server;
mod state;
mod tls;
mod wire;

pub use error::DemoOrgError;
pub use faults::{Fault, FaultRule};
pub use org::config::{DemoEngine, DemoOrgConfig};
pub use org::idx_options::IdxOptions;
pub use org::inbox::InboxMessage;
pub use org::seed::{
    DEMO_AUTH_SERVER_ID, DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, DEMO_PHONE_NUMBER, DEMO_REDIRECT_URI,
    DEMO_SECURITY_ANSWER, SeededUser, seeded_users,
};
pub use phone::{
    AuthenticatorCode, PendingActivation, PendingPush, PhoneFactor, PhoneView, PushAnswer,
    ScanOutcome,
};
pub use server::{DemoOrg, Phone};
pub use state::OrgStats;
pub use tls::TlsOptions;
