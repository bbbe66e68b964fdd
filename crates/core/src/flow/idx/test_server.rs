//! A loopback HTTP/1.1 server that answers as Okta's IDX does, for the driver tests: the
//! OAuth ends (`interact`, `token`, checking PKCE), the answers every scenario shares, and
//! the checks that nothing shown carries a secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::shapes_tests::{STATE, state_field};
use crate::client::{ClientConfig, OktaClient};
use crate::engine::Engine;
use crate::flow::{FlowHandle, SignIn, Stages};
use crate::oidc_client::OidcClient;
use crate::org_url::OrgUrl;
use crate::secret::Secret;
use crate::stage::{FlowOptions, SignInRequest, Stage};
use crate::username::Username;

pub(super) const PASSWORD: &str = "pa55-SECRET";
const HANDLE: &str = "InteractHandleSECRET";
const CODE: &str = "InteractionCodeSECRET";
pub(super) const ION: &str = "application/ion+json; okta-version=1.0.0";

/// One request the server received.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub(super) path: String,
    pub(super) host: String,
    pub(super) content_type: String,
    pub(super) accept: String,
    pub(super) body: String,
}

pub(super) type Reply = (u16, &'static str, String);
pub(super) type Handler = Box<dyn Fn(&Seen, &str) -> Reply + Send + Sync>;

/// A loopback HTTP/1.1 server: every request goes to `handler` with the server's origin.
pub(super) struct Server {
    pub(super) origin: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub(super) async fn start(handler: Handler) -> Self {
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

    pub(super) fn seen(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    pub(super) fn count(&self, path: &str) -> usize {
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
        host: header("host"),
        content_type: header("content-type"),
        accept: header("accept"),
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

pub(super) fn ion(status: u16, body: String) -> Reply {
    (status, ION, body)
}

pub(super) fn interact(seen: &Seen) -> Reply {
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

pub(super) fn introspected(seen: &Seen) {
    assert_eq!(seen.content_type, ION);
    assert_eq!(seen.accept, ION);
    assert_eq!(seen.body, format!(r#"{{"interactionHandle":"{HANDLE}"}}"#));
}

pub(super) fn identify(origin: &str, with_password: bool) -> String {
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

pub(super) fn success(origin: &str) -> String {
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

/// The token endpoint: checks the verifier against the challenge `interact` received
/// ([`challenge_of`]), and answers an ID token that passes the driver's checks (issuer,
/// audience, times, the nonce `interact` received).
pub(super) fn tokens(seen: &Seen, interact_asked: &str) -> Reply {
    let (challenge, nonce) = interact_asked
        .split_once(' ')
        .unwrap_or((interact_asked, ""));
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
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = URL_SAFE_NO_PAD.encode(
        serde_json::json!({
            "sub": "00uAda", "preferred_username": "ada@acme.com", "given_name": "Ada",
            "family_name": "Lovelace", "name": "Ada Lovelace",
            "iss": format!("http://{}/oauth2/default", seen.host), "aud": "0oaDesk",
            "iat": now, "exp": now + 3600, "nonce": nonce,
        })
        .to_string(),
    );
    (
        200,
        "application/json",
        format!(
            r#"{{"token_type":"Bearer","expires_in":3600,"access_token":"AccessSECRET","id_token":"eyJhbGciOiJSUzI1NiJ9.{claims}.SigSECRET","refresh_token":"RefreshSECRET","scope":"openid profile email"}}"#
        ),
    )
}

/// What `interact` was asked for that the token endpoint checks and echoes: the PKCE
/// challenge and the nonce, space-separated (see [`tokens`]).
pub(super) fn challenge_of(server_seen: &[Seen]) -> String {
    let interact = server_seen.first().unwrap();
    let value = |wanted: &str| {
        url::form_urlencoded::parse(interact.body.as_bytes())
            .find(|(name, _)| name == wanted)
            .unwrap()
            .1
            .into_owned()
    };
    format!("{} {}", value("code_challenge"), value("nonce"))
}

pub(super) fn start(server: &Server) -> (FlowHandle, Stages) {
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
pub(super) async fn next(stages: &mut Stages, shown: &mut Vec<String>) -> Stage {
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

pub(super) fn assert_no_secret(flow: &FlowHandle, shown: &[String]) {
    let transcript = format!("{}", flow.transcript());
    for text in shown.iter().chain([&transcript]) {
        for secret in ["SECRET", STATE, PASSWORD, HANDLE, CODE, "123456", "111111"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
    }
}
