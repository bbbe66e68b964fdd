//! Okta Authentication API client and the sign-in flow engine behind OktaDesk.
//!
//! The desktop app and the CLI are two faces of this crate: [`SignIn::start`] runs a sign-in
//! as a tokio task that emits [`Stage`]s (a QR code to show, a push waiting with its number,
//! success, a typed failure) and takes commands through a [`FlowHandle`] (a factor choice, a
//! code, a new password, cancel). It knows nothing of Tauri or of any UI.
//!
//! # Layout
//!
//! | module | owns |
//! |---|---|
//! | `flow/` | the sign-in: public face (`mod.rs`), the protocol-free `conversation`, the `driver` seam and lifecycle, pure `factors` rules and factor `naming`, the Classic driver in `classic/` (one file per step family: enrollment, activation, verification, push, passcodes, security questions, the factor choice and the browser hand-off, passwords), and the Identity Engine driver in `idx/` (IDX's Interaction Code flow: PKCE, remediation forms filled by name, the same stages) |
//! | `client/` | the HTTP side: `OktaClient` and its configuration, the per-flow `Api` (retries, rate limits, body caps) with its cookie jar, IDX's requests (`idx_api.rs`), response reading, transcript entries, the `doctor` probe |
//! | `device_token` | Okta's `DT` device cookie ([`DeviceToken`]), kept between sign-ins so a remembered device is recognised ([`SignIn::start_on_device`]) |
//! | `engine` | which of Okta's engines an org runs ([`Engine`]); `OktaClient::detect_engine` asks the org (`client/engine_check.rs`) |
//! | `tls` | the one place TLS trust is built: the OS store plus an optional extra root, pasted PEM repaired |
//! | `trusted_root` | an extra root as people must see it before trusting it: subject, issuer, validity, SHA-256, CA or not |
//! | `okta_errors` | Okta's error codes and factor results, turned into [`Error`]s in one place |
//! | `wire/` | Okta's `/api/v1/authn` shapes, as documented |
//! | `stage/` | [`Stage`], the one contract every face draws from (`mod.rs`), factor kinds and choices (`factor.rs`), the inputs it takes (`options.rs`), and the "remember this device" offer (`remember_device.rs`) |
//! | `org_url`, `username`, `verification_code`, `phone_number` | the rules for what a person types, one definition each |
//! | `handoff`, `transcript`, `qr`, `secret`, `error` | the session handed to the browser, the help-desk transcript, QR decoding and redrawing, secrets that never print, the error type |
//! | `oidc_client` | the org's OktaDesk app ([`OidcClient`]) an Identity Engine sign-in goes through, and [`IDX_REDIRECT_URI`] |
//!
//! The second protocol driver (Identity Engine orgs, through IDX) lives in `flow/idx/` beside
//! `flow/classic/`: it implements the `Driver` trait in `flow/driver.rs` and emits the same
//! [`Stage`]s. It runs when [`FlowOptions`] names the engine as Identity Engine and carries an
//! `oidc_client`; it ends with tokens (dropped at once), not a browser session, so its
//! [`SessionHandoff`] says so (`browser_session()` is `None`).
//!
//! ```no_run
//! # async fn example() -> Result<(), oktadesk_core::Error> {
//! use oktadesk_core::{
//!     ClientConfig, FlowOptions, OktaClient, OrgUrl, Secret, SignIn, SignInRequest, Stage, Username,
//! };
//!
//! let client = OktaClient::new(ClientConfig::default())?;
//! let (flow, mut stages) = SignIn::start(&client, SignInRequest {
//!     org: OrgUrl::parse("acme")?,
//!     username: Username::parse("ada@acme.com")?,
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
mod device_token;
mod engine;
mod error;
mod flow;
mod handoff;
mod oidc_client;
mod okta_errors;
mod org_url;
mod phone_number;
mod plain_text;
mod qr;
mod secret;
mod stage;
mod tls;
mod transcript;
mod trusted_root;
mod username;
mod verification_code;
pub mod wire;

#[cfg(fuzzing)]
#[doc(hidden)]
pub use client::fuzzing as header_fuzzing;
pub use client::{ClientConfig, EngineReport, OktaClient, ProbeReport, ProbeTls, RetryPolicy};
pub use device_token::DeviceToken;
pub use engine::{Engine, IDX_APP_HELP};
pub use error::{Error, ErrorInfo, ErrorKind, Result};
pub use flow::{Command, DeviceTokenReader, FlowHandle, SignIn, Stages};
pub use handoff::{SessionHandoff, UserInfo};
pub use oidc_client::{DEFAULT_AUTHORIZATION_SERVER, IDX_REDIRECT_URI, OidcClient};
pub use org_url::{MAX_HOST_CHARS, OrgUrl, OrgUrlError};
pub use phone_number::{PhoneNumber, PhoneNumberError};
pub use plain_text::{code_text, plain_text};
pub use qr::QrUriKind;
#[cfg(fuzzing)]
#[doc(hidden)]
pub use qr::fuzzing as qr_fuzzing;
pub use secret::{Secret, SecretBytes};
pub use stage::{
    ActivationLink, Activity, CodePurpose, EnrollQr, FactorChoice, FactorKind, FactorPurpose,
    FlowOptions, LinkChannel, Recovery, RecoveryRequest, RememberDeviceOffer, SecurityQuestion,
    SignInRequest, Stage,
};
pub use tls::{TlsInspection, TlsRefusal};
pub use transcript::{ReportHeader, Transcript, TranscriptEntry};
pub use trusted_root::{RootCertificate, RootRefusal, check_roots, read_roots};
pub use username::{MAX_USERNAME_CHARS, Username, UsernameError};
pub use verification_code::{CODE_DIGITS, CodeFormat, VerificationCode};

/// `Debug` (and, where they serialise, JSON) of every public type that can hold a secret.
#[cfg(test)]
mod redaction_tests {
    use super::*;

    const SECRET: &str = "s3cr3t-Value";

    fn assert_hidden(what: &str, text: String) {
        assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    }

    #[test]
    fn no_public_type_prints_a_secret() {
        let org = OrgUrl::parse("acme").unwrap();
        let secret = Secret::new(SECRET);
        let session = SessionHandoff::new(org.clone(), secret.clone(), None);
        let request = SignInRequest {
            org: org.clone(),
            username: Username::parse("ada@acme.com").unwrap(),
            password: secret.clone(),
            options: FlowOptions::default(),
        };
        let qr = EnrollQr {
            factor: FactorKind::Totp,
            uri_kind: QrUriKind::Otpauth,
            svg: Some(format!("<svg>{SECRET}</svg>")),
            terminal: Some(SECRET.into()),
            png_data_url: Some(format!("data:image/png;base64,{SECRET}")),
            expires_at: None,
            expires_in_seconds: None,
            link_channels: Vec::new(),
            shared_secret: Some(secret.clone()),
            original_png: SecretBytes::new(SECRET.as_bytes().to_vec()),
        };
        let success = Stage::Success {
            user: UserInfo {
                id: "00u1".into(),
                login: "ada@acme.com".into(),
                first_name: None,
                last_name: None,
            },
            session: session.clone(),
        };
        let commands = [
            Command::SubmitCode {
                code: secret.clone(),
            },
            Command::ChangePassword {
                old_password: secret.clone(),
                new_password: secret.clone(),
            },
            Command::SubmitAnswer {
                answer: secret.clone(),
            },
            Command::EnrollQuestion {
                question: "disliked_food".into(),
                answer: secret.clone(),
                custom_question: None,
            },
        ];
        let transaction: wire::Transaction = serde_json::from_str(&format!(
            r#"{{"stateToken":"{SECRET}","sessionToken":"{SECRET}","status":"MFA_ENROLL_ACTIVATE",
                "_embedded":{{"factor":{{"factorType":"token:software:totp",
                "_embedded":{{"activation":{{"sharedSecret":"{SECRET}",
                "_links":{{"qrcode":{{"href":"https://acme.okta.com/api/v1/users/00u1/factors/opf1/qr/{SECRET}"}}}}}}}}}}}}}}"#
        ))
        .unwrap();

        assert_hidden("Secret", format!("{secret:?} {secret}"));
        assert_hidden("SecretBytes", format!("{:?}", qr.original_png));
        assert_hidden("SessionHandoff", format!("{session:?}"));
        assert_hidden(
            "SessionHandoff json",
            serde_json::to_string(&session).unwrap(),
        );
        assert_hidden("SignInRequest", format!("{request:?}"));
        assert_hidden("EnrollQr", format!("{qr:?}"));
        assert_hidden("Stage", format!("{:?}", Stage::EnrollQr(qr)));
        assert_hidden("Stage::Success", format!("{success:?}"));
        assert_hidden("Stage json", serde_json::to_string(&success).unwrap());
        assert_hidden("Command", format!("{commands:?}"));
        assert_hidden("Transaction", format!("{transaction:?}"));
        let url = session.browser_url(None).unwrap();
        assert_hidden("browser URL", format!("{url:?} {url}"));
        assert!(url.expose().contains(SECRET));
    }
}
