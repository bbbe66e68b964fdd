//! The IDX driver end to end against a tiny loopback server that answers as Okta's IDX
//! does (answers written here, shaped after Okta's recorded ones): the stages a person sees,
//! the requests Okta receives, and no secret in any stage, error or transcript line.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::shapes_tests::{STATE, select_authenticate, state_field};
use crate::client::{ClientConfig, OktaClient};
use crate::engine::Engine;
use crate::error::ErrorKind;
use crate::flow::{FlowHandle, SignIn, Stages};
use crate::oidc_client::OidcClient;
use crate::org_url::OrgUrl;
use crate::secret::Secret;
use crate::stage::{Activity, FlowOptions, LinkChannel, SignInRequest, Stage};
use crate::username::Username;

const PASSWORD: &str = "pa55-SECRET";
const HANDLE: &str = "InteractHandleSECRET";
const CODE: &str = "InteractionCodeSECRET";
const ION: &str = "application/ion+json; okta-version=1.0.0";

/// One request the server received.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    content_type: String,
    accept: String,
    body: String,
}

type Reply = (u16, &'static str, String);
type Handler = Box<dyn Fn(&Seen, &str) -> Reply + Send + Sync>;

/// A loopback HTTP/1.1 server: every request goes to `handler` with the server's origin.
struct Server {
    origin: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(handler: Handler) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let (log, at) = (seen.clone(), origin.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (handler, log, at) = (handler.clone(), log.clone(), at.clone());
                tokio::spawn(async move {
                    while let Some(request) = read_request(&mut socket).await {
                        log.lock().unwrap().push(request.clone());
                        let (status, content_type, body) = handler(&request, &at);
                        let answer = format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { origin, seen }
    }

    fn seen(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    fn count(&self, path: &str) -> usize {
        self.seen(path).len()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.lines();
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let header = |name: &str| {
        head.lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Seen {
        path,
        content_type: header("content-type"),
        accept: header("accept"),
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

fn ion(status: u16, body: String) -> Reply {
    (status, ION, body)
}

fn interact(seen: &Seen) -> Reply {
    assert_eq!(seen.content_type, "application/x-www-form-urlencoded");
    for part in [
        "client_id=0oaDesk",
        "scope=openid+profile+email",
        "redirect_uri=com.oktadesk.app%3A%2Fcallback",
        "code_challenge_method=S256",
    ] {
        assert!(seen.body.contains(part), "{part} in {}", seen.body);
    }
    (
        200,
        "application/json",
        format!(r#"{{"interaction_handle":"{HANDLE}"}}"#),
    )
}

fn introspected(seen: &Seen) {
    assert_eq!(seen.content_type, ION);
    assert_eq!(seen.accept, ION);
    assert_eq!(seen.body, format!(r#"{{"interactionHandle":"{HANDLE}"}}"#));
}

fn identify(origin: &str, with_password: bool) -> String {
    let credentials = if with_password {
        r#",{"name":"credentials","type":"object","form":{"value":[{"name":"passcode","label":"Password","secret":true}]},"required":true}"#
    } else {
        ""
    };
    let state = state_field();
    format!(
        r#"{{"version":"1.0.0","stateHandle":"{STATE}","remediation":{{"type":"array","value":[{{"rel":["create-form"],"name":"identify","href":"{origin}/idp/idx/identify","method":"POST","accepts":"application/json; okta-version=1.0.0",
          "value":[{{"name":"identifier","label":"Username"}}{credentials},{state}]}}]}},
        "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","accepts":"application/json; okta-version=1.0.0","value":[{state}]}}}}"#
    )
}

fn success(origin: &str) -> String {
    let state = state_field();
    format!(
        r#"{{"version":"1.0.0","user":{{"type":"object","value":{{"id":"00uAda","identifier":"ada@acme.com"}}}},
        "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","value":[{state}]}},
        "successWithInteractionCode":{{"rel":["create-form"],"name":"issue","href":"{origin}/oauth2/default/v1/token","method":"POST",
          "value":[{{"name":"grant_type","required":true,"value":"interaction_code"}},{{"name":"interaction_code","required":true,"value":"{CODE}"}},
                   {{"name":"client_id","required":true,"value":"0oaDesk"}},{{"name":"code_verifier","required":true}}],
          "accepts":"application/x-www-form-urlencoded"}}}}"#
    )
}

/// The token endpoint: checks the verifier against the challenge `interact` received.
fn tokens(seen: &Seen, challenge: &str) -> Reply {
    assert_eq!(seen.content_type, "application/x-www-form-urlencoded");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(seen.body.as_bytes())
        .into_owned()
        .collect();
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(value("grant_type"), "interaction_code");
    assert_eq!(value("interaction_code"), CODE);
    assert_eq!(value("client_id"), "0oaDesk");
    let verifier = value("code_verifier");
    let hashed = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    assert_eq!(URL_SAFE_NO_PAD.encode(hashed.as_ref()), challenge);
    let claims = URL_SAFE_NO_PAD.encode(
        r#"{"sub":"00uAda","preferred_username":"ada@acme.com","given_name":"Ada","family_name":"Lovelace","name":"Ada Lovelace"}"#,
    );
    (
        200,
        "application/json",
        format!(
            r#"{{"token_type":"Bearer","expires_in":3600,"access_token":"AccessSECRET","id_token":"eyJhbGciOiJSUzI1NiJ9.{claims}.SigSECRET","refresh_token":"RefreshSECRET","scope":"openid profile email"}}"#
        ),
    )
}

fn challenge_of(server_seen: &[Seen]) -> String {
    let interact = server_seen.first().unwrap();
    url::form_urlencoded::parse(interact.body.as_bytes())
        .find(|(name, _)| name == "code_challenge")
        .unwrap()
        .1
        .into_owned()
}

fn start(server: &Server) -> (FlowHandle, Stages) {
    let client = OktaClient::new(ClientConfig {
        poll_interval: Duration::from_millis(20),
        code_resend_after: Duration::from_millis(10),
        ..ClientConfig::default()
    })
    .unwrap();
    SignIn::start(
        &client,
        SignInRequest {
            org: OrgUrl::parse(&server.origin).unwrap(),
            username: Username::parse("ada@acme.com").unwrap(),
            password: Secret::new(PASSWORD),
            options: FlowOptions {
                engine: Some(Engine::IdentityEngine),
                oidc_client: Some(OidcClient::new("0oaDesk")),
                ..FlowOptions::default()
            },
        },
    )
}

/// The next stage that is not a spinner, with everything shown checked for secrets.
async fn next(stages: &mut Stages, shown: &mut Vec<String>) -> Stage {
    loop {
        let stage = tokio::time::timeout(Duration::from_secs(20), stages.next())
            .await
            .expect("a stage in time")
            .expect("the flow still runs");
        shown.push(format!(
            "{stage:?} {}",
            serde_json::to_string(&stage).unwrap()
        ));
        if !matches!(stage, Stage::Working { .. }) {
            return stage;
        }
    }
}

fn assert_no_secret(flow: &FlowHandle, shown: &[String]) {
    let transcript = format!("{}", flow.transcript());
    for text in shown.iter().chain([&transcript]) {
        for secret in ["SECRET", STATE, PASSWORD, HANDLE, CODE, "123456", "111111"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
    }
}

#[tokio::test]
async fn a_push_with_a_number_challenge_ends_with_who_signed_in_and_no_browser_session() {
    let polls = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (p, c) = (polls.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| {
        let state = state_field();
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => {
                let reply = interact(seen);
                *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
                reply
            }
            "/idp/idx/introspect" => {
                introspected(seen);
                ion(200, identify(origin, true))
            }
            "/idp/idx/identify" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(body["identifier"], "ada@acme.com");
                assert_eq!(body["credentials"]["passcode"], PASSWORD);
                assert_eq!(body["stateHandle"], STATE);
                ion(200, select_authenticate(origin))
            }
            "/idp/idx/challenge" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(
                    body["authenticator"],
                    serde_json::json!({"id": "autOV1", "methodType": "push"})
                );
                assert_eq!(seen.content_type, "application/json; okta-version=1.0.0");
                ion(200, push_poll(origin, &state))
            }
            "/idp/idx/authenticators/poll" => {
                let mut polls = p.lock().unwrap();
                *polls += 1;
                if *polls < 2 {
                    ion(200, push_poll(origin, &state))
                } else {
                    ion(200, success(origin))
                }
            }
            "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::NeedsFactorChoice { factors, .. } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert!(
        factors.iter().all(|f| f.label != "Okta password"),
        "the password is OktaDesk's to send"
    );
    flow.choose_factor("autOV1:push").await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::PushSent { .. }
    ));
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::NumberChallenge { number: 42, .. }
    ));
    let Stage::Success { user, session } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(user.id, "00uAda");
    assert_eq!(user.login, "ada@acme.com");
    assert_eq!(user.display_name(), "Ada Lovelace");
    assert!(!session.has_browser_session());
    assert_eq!(*polls.lock().unwrap(), 2);
    assert!(
        shown
            .iter()
            .any(|s| s.contains(r#""activity":"sendingPush""#))
    );
    let transcript = flow.transcript().entries();
    assert!(
        transcript.iter().any(|e| e.path == "/idp/idx/identify"
            && e.okta_status.as_deref() == Some("select-authenticator-authenticate")),
        "{transcript:?}"
    );
    assert_no_secret(&flow, &shown);
}

fn push_poll(origin: &str, state: &str) -> String {
    format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-poll","href":"{origin}/idp/idx/authenticators/poll","method":"POST","refresh":30,"accepts":"application/json; okta-version=1.0.0","value":[{state}]}}]}},
        "currentAuthenticator":{{"type":"object","value":{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}}],"contextualData":{{"correctAnswer":"42"}}}}}},
        "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","value":[{state}]}}}}"#
    )
}

fn code_challenge(origin: &str, key: &str, error: bool) -> String {
    let state = state_field();
    let messages = if error {
        r#","messages":{"type":"array","value":[{"message":"Invalid code. Try again.","i18n":{"key":"api.authn.error.PASSCODE_INVALID"},"class":"ERROR"}]}"#
    } else {
        ""
    };
    format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-authenticator","href":"{origin}/idp/idx/challenge/answer","method":"POST","accepts":"application/json; okta-version=1.0.0",
          "value":[{{"name":"credentials","type":"object","form":{{"value":[{{"name":"passcode","label":"Enter code"{messages}}}]}},"required":true}},{state}]}}]}},
        "currentAuthenticatorEnrollment":{{"type":"object","value":{{"type":"app","key":"{key}","id":"aut1","displayName":"x","methods":[{{"type":"otp"}}]}}}}}}"#
    )
}

#[tokio::test]
async fn the_password_goes_where_asked_and_a_wrong_code_is_asked_again_with_why() {
    let answers = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (a, c) = (answers.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => {
            *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
            interact(seen)
        }
        "/idp/idx/introspect" => ion(200, identify(origin, false)),
        "/idp/idx/identify" => {
            assert!(!seen.body.contains(PASSWORD), "identifier first");
            ion(200, code_challenge(origin, "okta_password", false))
        }
        "/idp/idx/challenge/answer" => {
            let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
            let passcode = body["credentials"]["passcode"].as_str().unwrap().to_owned();
            let mut answers = a.lock().unwrap();
            *answers += 1;
            match (*answers, passcode.as_str()) {
                (1, PASSWORD) => ion(200, code_challenge(origin, "google_otp", false)),
                (2, "111111") => ion(401, code_challenge(origin, "google_otp", true)),
                (3, "123456") => ion(200, success(origin)),
                other => panic!("unexpected answer {other:?}"),
            }
        }
        "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
        other => panic!("unexpected request to {other}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::NeedsCode {
        factor,
        last_error: None,
        code_digits: 6,
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(factor.label, "Google Authenticator");
    // Malformed: refused here, never sent.
    flow.submit_code(Secret::new("12")).await.unwrap();
    let Stage::NeedsCode {
        last_error: Some(error),
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    flow.submit_code(Secret::new("111111")).await.unwrap();
    let Stage::NeedsCode {
        last_error: Some(error),
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    assert!(
        error.message.contains("authenticator app"),
        "{}",
        error.message
    );
    flow.submit_code(Secret::new("123456")).await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::Success { .. }
    ));
    assert_eq!(*answers.lock().unwrap(), 3);
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn an_unknown_step_leads_to_the_browser_and_cancel_ends_it_on_the_server() {
    let server = Server::start(Box::new(|seen, origin| {
        let state = state_field();
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => interact(seen),
            "/idp/idx/introspect" => ion(
                200,
                format!(
                    r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"device-assurance-grace-period","href":"{origin}/idp/idx/x","method":"POST","value":[{state}]}}]}},
                    "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","value":[{state}]}}}}"#
                ),
            ),
            "/idp/idx/cancel" => {
                assert_eq!(seen.body, format!(r#"{{"stateHandle":"{STATE}"}}"#));
                ion(200, r#"{"version":"1.0.0"}"#.into())
            }
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::ContinueInBrowser {
        message,
        url,
        can_choose_another,
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert!(
        message.contains("device-assurance-grace-period"),
        "{message}"
    );
    assert_eq!(url, server.origin);
    assert!(!can_choose_another);
    assert!(flow.choose_factor("anything").await.is_err());
    flow.cancel().await.unwrap();
    let Stage::Failed { kind, .. } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::Cancelled);
    assert_eq!(server.count("/idp/idx/cancel"), 1);
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn a_foreign_href_and_an_expired_state_handle_end_the_sign_in_plainly() {
    let server = Server::start(Box::new(|seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => interact(seen),
        "/idp/idx/introspect" => ion(200, identify("https://evil.example", true)),
        other => panic!("unexpected request to {other} at {origin}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::Failed { kind, message } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::ForeignOrigin);
    assert!(message.contains("https://evil.example"), "{message}");
    assert_no_secret(&flow, &shown);

    let server = Server::start(Box::new(|seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => interact(seen),
        "/idp/idx/introspect" => ion(200, identify(origin, true)),
        "/idp/idx/identify" => ion(
            401,
            r#"{"version":"1.0.0","messages":{"type":"array","value":[{"message":"You have been logged out due to inactivity.","i18n":{"key":"idx.session.expired"},"class":"ERROR"}]}}"#.into(),
        ),
        other => panic!("unexpected request to {other}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::Failed { kind, message } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::Expired);
    assert!(message.contains("Start again"), "{message}");
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn okta_verify_enrollment_shows_the_embedded_qr_once_and_polls_at_okta_s_pace() {
    let png = crate::qr::tests::qr_png(
        "oktaverify://ada@acme.com/?t=EnrollSECRET&f=aid1&s=https://acme.okta.com",
    );
    let data_uri = format!("data:image/png;base64,{}", STANDARD.encode(&png));
    let polls = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (p, c) = (polls.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| {
        let state = state_field();
        let enroll_poll = format!(
            r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[
              {{"name":"enroll-poll","href":"{origin}/idp/idx/challenge/poll","method":"POST","refresh":30,"value":[{state}]}},
              {{"name":"select-enrollment-channel","href":"{origin}/idp/idx/credential/enroll","method":"POST","value":[{{"name":"authenticator","type":"object","value":{{"form":{{"value":[
                {{"name":"id","required":true,"value":"autOV1"}},{{"name":"channel","required":true,"options":[{{"value":"qrcode","label":"QRCODE"}},{{"value":"email","label":"EMAIL"}},{{"value":"sms","label":"SMS"}}]}}]}}}}}},{state}]}}]}},
            "currentAuthenticator":{{"type":"object","value":{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify",
              "contextualData":{{"qrcode":{{"method":"embedded","href":"{data_uri}","type":"image/png"}},"selectedChannel":"qrcode"}}}}}}}}"#
        );
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => {
                *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
                interact(seen)
            }
            "/idp/idx/introspect" => ion(200, identify(origin, true)),
            "/idp/idx/identify" => ion(
                200,
                format!(
                    r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"select-authenticator-enroll","href":"{origin}/idp/idx/credential/enroll","method":"POST","value":[{{"name":"authenticator","type":"object","required":true,"options":[
                      {{"label":"Okta Verify","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autOV1"}},{{"name":"channel","required":false,"options":[{{"value":"qrcode","label":"QRCODE"}}]}}]}}}},"relatesTo":"$.authenticators.value[0]"}}]}},{state}]}}]}},
                    "authenticators":{{"type":"array","value":[{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}}]}}]}}}}"#
                ),
            ),
            "/idp/idx/credential/enroll" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(
                    body["authenticator"],
                    serde_json::json!({"id": "autOV1", "channel": "qrcode"})
                );
                ion(200, enroll_poll)
            }
            "/idp/idx/challenge/poll" => {
                let mut polls = p.lock().unwrap();
                *polls += 1;
                if *polls < 3 {
                    ion(200, enroll_poll)
                } else {
                    ion(200, success(origin))
                }
            }
            "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::EnrollQr(qr) = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(qr.uri_kind, crate::QrUriKind::OktaVerify);
    assert!(qr.svg.is_some());
    assert_eq!(qr.original_png.expose(), png.as_slice());
    assert_eq!(qr.link_channels, [LinkChannel::Email, LinkChannel::Sms]);
    // Polled three times; the QR shown once.
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::Success { .. }
    ));
    assert_eq!(*polls.lock().unwrap(), 3);
    assert!(
        shown
            .iter()
            .any(|s| s.contains(&format!("{:?}", Activity::Enrolling)))
    );
    assert_no_secret(&flow, &shown);
}
