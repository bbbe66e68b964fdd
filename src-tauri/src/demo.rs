//! The demo org: started inside the app's process by `--demo`, or one already running that
//! `--demo-org-url` points at, plus the demo phone panel that drives its virtual phone.
//!
//! The phone always goes through the org's `/_demo` HTTP controls, in-process org or not, so
//! the panel behaves the same in `cargo xtask run` and in end-to-end tests that start their
//! own org.
//!
//! All of it is the `demo` cargo feature, which release builds leave out ([`crate::demo_mode`]
//! says what `--demo` does there). The in-process org (an HTTP server, a PNG codec, a QR
//! decoder) is the `demo-org` feature on top: without it `--demo` explains how to run
//! `oktadesk-cli demo-org` and connect to it with `--demo-org-url`.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oktadesk_core::OrgUrl;
use oktadesk_demo_org::{
    DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, PhoneView, PushAnswer, ScanOutcome, seeded_users,
};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::{DemoStatus, DemoUser};

/// How a user gets a demo org in this build.
#[cfg(feature = "demo-org")]
const START_ONE: &str = "Start one with `oktadesk --demo`, or run `oktadesk-cli demo-org` and \
     start OktaDesk with `--demo-org-url URL`.";
#[cfg(not(feature = "demo-org"))]
const START_ONE: &str = "Run `oktadesk-cli demo-org` and start OktaDesk with `--demo-org-url URL`, using the URL \
     it prints.";

/// Longest login the phone commands accept; the seeded logins are far shorter.
const MAX_LOGIN_CHARS: usize = 256;
/// Answers from `/_demo` are small JSON documents; anything bigger is not the demo org.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The demo org serving inside this process, held so it lives as long as the app.
#[cfg(feature = "demo-org")]
type Embedded = oktadesk_demo_org::DemoOrg;
/// Nothing: this build has no in-process demo org.
#[cfg(not(feature = "demo-org"))]
type Embedded = std::convert::Infallible;

/// Keeps the demo orgs serving (when they run in this process) and their phones reachable:
/// the Classic one, and with `--demo` an Identity Engine one beside it.
#[derive(Debug)]
pub struct Demo {
    status: DemoStatus,
    /// One virtual phone per demo org, the Classic one first.
    phones: Vec<DemoPhone>,
    _embedded: Vec<Embedded>,
}

impl Demo {
    /// Starts the demo org inside this process, on a free loopback port. A demo org that
    /// fails to start leaves the app usable with real orgs, so the failure becomes a status
    /// the first screen shows rather than an exit.
    #[cfg(feature = "demo-org")]
    pub fn start_embedded() -> Self {
        use oktadesk_demo_org::{DemoEngine, DemoOrg, DemoOrgConfig};
        // locked@demo.test is there to show the locked-out screen, so these orgs reveal
        // lockout (real orgs hide it by default and answer as for a wrong password).
        let config = DemoOrgConfig {
            reveal_lockout: true,
            ..DemoOrgConfig::default()
        };
        let identity_engine = DemoOrgConfig {
            engine: DemoEngine::IdentityEngine,
            ..config.clone()
        };
        match tauri::async_runtime::block_on(DemoOrg::start(config)) {
            Ok(org) => {
                let mut demo = Self::connect(org.base_url().as_str());
                demo._embedded.push(org);
                // The Identity Engine org is a second way to try OktaDesk: without it the
                // Classic one still serves.
                match tauri::async_runtime::block_on(DemoOrg::start(identity_engine)) {
                    Ok(idx) => {
                        demo.add_identity_engine_org(idx.base_url().as_str());
                        demo._embedded.push(idx);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the Identity Engine demo organization did not start");
                    }
                }
                demo
            }
            Err(error) => {
                tracing::warn!(%error, "the demo organization did not start");
                Self::unavailable(format!(
                    "The demo organization could not start ({error}). Enter your own \
                     organization's address to continue."
                ))
            }
        }
    }

    /// This build has no demo org inside it: the first screen says how to run one beside it.
    #[cfg(not(feature = "demo-org"))]
    pub fn start_embedded() -> Self {
        Self::unavailable(
            "This build of OktaDesk has no built-in demo organization. Run \
             `oktadesk-cli demo-org`, then start OktaDesk with `--demo-org-url URL`, using the \
             URL it prints. Or enter your own organization's address to continue."
                .to_owned(),
        )
    }

    /// Uses a demo org already running at `url` on this computer.
    pub fn connect(url: &str) -> Self {
        let org = match OrgUrl::parse(url) {
            Ok(org) if org.is_loopback() => org,
            Ok(org) => {
                return Self::unavailable(format!(
                    "{org} is not on this computer, and a demo organization must be. {START_ONE} \
                     Or enter your own organization's address."
                ));
            }
            Err(error) => return Self::unavailable(error.to_string()),
        };
        let users = seeded_users()
            .iter()
            .map(|user| DemoUser {
                login: user.login,
                display_name: user.display_name,
                demonstrates: user.demonstrates,
            })
            .collect();
        Self {
            status: DemoStatus::Running {
                org_url: org.clone(),
                identity_engine_org_url: None,
                password: DEMO_PASSWORD,
                client_id: DEMO_OIDC_CLIENT_ID,
                users,
            },
            phones: vec![DemoPhone::new(org)],
            _embedded: Vec::new(),
        }
    }

    /// Offers a second demo org, running Identity Engine, beside the first.
    #[cfg(feature = "demo-org")]
    fn add_identity_engine_org(&mut self, url: &str) {
        let Ok(org) = OrgUrl::parse(url) else { return };
        if let DemoStatus::Running {
            identity_engine_org_url,
            ..
        } = &mut self.status
        {
            *identity_engine_org_url = Some(org.clone());
            self.phones.push(DemoPhone::new(org));
        }
    }

    fn unavailable(message: String) -> Self {
        Self {
            status: DemoStatus::Unavailable { message },
            phones: Vec::new(),
            _embedded: Vec::new(),
        }
    }

    pub fn status(&self) -> &DemoStatus {
        &self.status
    }

    /// The phone of the demo org at `org`, or of the first demo org when none is named. A
    /// name that is not one of the demo orgs is refused: the phone never talks to a real org.
    pub fn phone(&self, org: Option<&str>) -> Result<&DemoPhone> {
        match org {
            None => self.phones.first(),
            Some(org) => {
                let org = OrgUrl::parse(org).map_err(|_| Error::NotDemo)?;
                self.phones.iter().find(|phone| phone.org() == &org)
            }
        }
        .ok_or(Error::NotDemo)
    }
}

/// A seeded user's virtual Okta Verify phone, over the demo org's `/_demo` controls.
#[derive(Clone)]
pub struct DemoPhone {
    org: OrgUrl,
    http: Client<HttpConnector, Full<Bytes>>,
}

impl std::fmt::Debug for DemoPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoPhone").field("org", &self.org).finish()
    }
}

impl DemoPhone {
    fn new(org: OrgUrl) -> Self {
        Self {
            org,
            http: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// The demo org this phone belongs to.
    pub fn org(&self) -> &OrgUrl {
        &self.org
    }

    /// What the phone shows: factors, a pending push with its numbers, TOTP codes.
    pub async fn view(&self, login: &str) -> Result<PhoneView> {
        self.call(Method::GET, login, "", Bytes::new()).await
    }

    /// Scans the enrollment QR code the app is showing (the PNG exactly as Okta served it).
    pub async fn scan(&self, login: &str, png: Bytes) -> Result<ScanOutcome> {
        self.call(Method::POST, login, "/scan", png).await
    }

    /// Approves the pending push; `number` answers a number challenge.
    pub async fn approve(&self, login: &str, number: Option<u8>) -> Result<PushAnswer> {
        let body = match number {
            Some(number) => serde_json::json!({ "number": number }).to_string(),
            None => "{}".to_owned(),
        };
        self.call(Method::POST, login, "/approve", Bytes::from(body))
            .await
            .map(|answer: AnswerBody| answer.result)
    }

    pub async fn reject(&self, login: &str) -> Result<PushAnswer> {
        self.call(Method::POST, login, "/reject", Bytes::new())
            .await
            .map(|answer: AnswerBody| answer.result)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        login: &str,
        action: &str,
        body: Bytes,
    ) -> Result<T> {
        let login = validate_login(login)?;
        let path = format!(
            "/_demo/phone/{}{action}",
            utf8_percent_encode(login, NON_ALPHANUMERIC)
        );
        let url = self.org.join(&path);
        let request = Request::builder()
            .method(method)
            .uri(url.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .map_err(Error::internal)?;
        let unreachable = |detail: String| Error::DemoPhone {
            message: format!(
                "The demo organization at {} is not answering ({detail}). {START_ONE}",
                self.org
            ),
        };
        let response = self.http.request(request).await.map_err(|error| {
            unreachable(if error.is_connect() {
                "nothing is listening there".to_owned()
            } else {
                error.to_string()
            })
        })?;
        let status = response.status();
        let bytes = http_body_util::Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|error| unreachable(error.to_string()))?
            .to_bytes();
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|error| unreachable(format!("its answer could not be read: {error}")));
        }
        Err(Error::DemoPhone {
            message: phone_refusal(status, &bytes),
        })
    }
}

#[derive(serde::Deserialize)]
struct AnswerBody {
    result: PushAnswer,
}

fn validate_login(login: &str) -> Result<&str> {
    let login = login.trim();
    if login.is_empty()
        || login.chars().count() > MAX_LOGIN_CHARS
        || login.contains(char::is_control)
    {
        return Err(Error::invalid(
            "login",
            "Choose one of the demo users listed beside the sign-in form.",
        ));
    }
    Ok(login)
}

/// The demo org's own message (`{"error", "message"}`), which already says what to do.
fn phone_refusal(status: StatusCode, body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| json["message"].as_str().map(capitalise))
        .unwrap_or_else(|| {
            format!("The demo phone refused the request (HTTP {status}). Try again.")
        })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "demo-org"))]
    #[test]
    fn a_build_without_the_demo_org_says_how_to_run_one() {
        let demo = Demo::start_embedded();
        let DemoStatus::Unavailable { message } = demo.status() else {
            panic!("{:?}", demo.status());
        };
        assert!(message.contains("oktadesk-cli demo-org"), "{message}");
        assert!(message.contains("--demo-org-url"), "{message}");
        assert!(matches!(demo.phone(None), Err(Error::NotDemo)));
    }

    #[test]
    fn refuses_an_org_that_is_not_on_this_computer() {
        let demo = Demo::connect("https://acme.okta.com");
        assert!(matches!(demo.status(), DemoStatus::Unavailable { .. }));
        assert!(matches!(demo.phone(None), Err(Error::NotDemo)));
    }

    #[test]
    fn lists_the_seeded_users_of_a_loopback_org() {
        let demo = Demo::connect("http://127.0.0.1:9");
        let DemoStatus::Running { users, org_url, .. } = demo.status() else {
            panic!("{:?}", demo.status());
        };
        assert_eq!(org_url.to_string(), "http://127.0.0.1:9");
        assert!(users.iter().any(|user| user.login == "enroll@demo.test"));
    }

    #[test]
    fn passes_on_the_demo_orgs_own_words() {
        let body = br#"{"error":"no_pending_push","message":"nora's phone has no push waiting."}"#;
        assert_eq!(
            phone_refusal(StatusCode::CONFLICT, body),
            "Nora's phone has no push waiting."
        );
        assert!(phone_refusal(StatusCode::BAD_GATEWAY, b"<html>").contains("HTTP 502"));
    }
}
