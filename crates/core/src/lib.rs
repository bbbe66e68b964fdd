//! Okta Authentication API client and the sign-in flow engine behind OktaDesk.
//!
//! The desktop app and the CLI are two faces of this crate: [`SignIn::start`] runs a sign-in
//! as a tokio task that emits [`Stage`]s (a QR code to show, a push waiting with its number,
//! success, a typed failure) and takes commands through a [`FlowHandle`] (a factor choice, a
//! code, a new password, cancel). It knows nothing of Tauri or of any UI.
//!
//! ```no_run
//! # async fn example() -> Result<(), oktadesk_core::Error> {
//! use oktadesk_core::{ClientConfig, FlowOptions, OktaClient, OrgUrl, Secret, SignIn, SignInRequest, Stage};
//!
//! let client = OktaClient::new(ClientConfig::default())?;
//! let (flow, mut stages) = SignIn::start(&client, SignInRequest {
//!     org: OrgUrl::parse("acme")?,
//!     username: "ada@acme.com".into(),
//!     password: Secret::new("correct horse"),
//!     options: FlowOptions::default(),
//! });
//! while let Some(stage) = stages.next().await {
//!     match stage {
//!         Stage::NeedsCode { .. } => flow.submit_code(Secret::new("123456")).await?,
//!         Stage::Success { session, .. } => { let _url = session.browser_url(None)?; }
//!         other => println!("{}", serde_json::to_string(&other).unwrap()),
//!     }
//! }
//! # Ok(()) }
//! ```

mod client;
mod error;
mod flow;
mod org_url;
mod qr;
mod secret;
mod session;
mod stage;
mod transcript;
pub mod wire;

pub use client::{ClientConfig, OktaClient, RetryPolicy};
pub use error::{Error, ErrorInfo, ErrorKind, Result};
pub use flow::{Command, FlowHandle, SignIn, Stages};
pub use org_url::{OrgUrl, OrgUrlError};
pub use qr::QrUriKind;
pub use secret::{Secret, SecretBytes};
pub use session::{SessionHandoff, UserInfo};
pub use stage::{
    ActivationLink, Activity, CodePurpose, EnrollQr, FactorChoice, FactorKind, FactorPurpose,
    FlowOptions, LinkChannel, SignInRequest, Stage,
};
pub use transcript::{Transcript, TranscriptEntry};
