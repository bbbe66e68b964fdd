//! A started demo org plus a small HTTP client that follows the org's own links.

use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct Harness {
    pub org: DemoOrg,
    pub http: reqwest::Client,
    pub base: String,
}

/// The default org, rate limiting off so multi-step flows never trip it (one suite tests
/// the limit itself).
pub fn unlimited() -> DemoOrgConfig {
    DemoOrgConfig {
        rate_limit_per_second: 0,
        ..DemoOrgConfig::default()
    }
}

pub async fn start() -> Harness {
    start_with(unlimited()).await
}

pub async fn start_with(config: DemoOrgConfig) -> Harness {
    let org = DemoOrg::start(config).await.expect("demo org starts");
    let base = org.base_url().as_str().trim_end_matches('/').to_owned();
    // Under `cargo test --workspace`, reqwest's features are unified with the core's
    // `rustls-no-provider`, so a crypto provider must be chosen before a client is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    Harness { org, http, base }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POSTs JSON to an absolute URL or an org path.
    pub async fn post(&self, url_or_path: &str, body: Value) -> Reply {
        let url = if url_or_path.starts_with("http") {
            url_or_path.to_owned()
        } else {
            self.url(url_or_path)
        };
        let response = self
            .http
            .post(url)
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body read");
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            headers,
            json,
        }
    }

    pub async fn get_json(&self, path: &str) -> Reply {
        let response = self
            .http
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let json = response.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
        }
    }

    /// Primary authentication; asserts 200 and returns the transaction.
    pub async fn sign_in(&self, login: &str) -> Value {
        self.sign_in_with(login, json!({})).await
    }

    pub async fn sign_in_with(&self, login: &str, options: Value) -> Value {
        let reply = self
            .post(
                "/api/v1/authn",
                json!({"username": login, "password": DEMO_PASSWORD, "options": options}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign-in of {login}: {}",
            reply.json
        );
        reply.json
    }

    /// POSTs `{stateToken, ..extra}` to a link of the transaction.
    pub async fn follow(&self, tx: &Value, href: &str, extra: Value) -> Reply {
        let mut body = json!({"stateToken": state_token(tx)});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post(href, body).await
    }

    /// Follows `_links.next` and asserts 200.
    pub async fn next(&self, tx: &Value, extra: Value) -> Value {
        let reply = self.follow(tx, &href(&tx["_links"]["next"]), extra).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
        reply.json
    }

    /// Follows `_links.next` and returns whatever came back.
    pub async fn next_raw(&self, tx: &Value, extra: Value) -> Reply {
        self.follow(tx, &href(&tx["_links"]["next"]), extra).await
    }

    pub async fn advance(&self, seconds: u64) {
        let reply = self
            .post("/_demo/clock/advance", json!({"seconds": seconds}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    }

    pub async fn phone(&self, login: &str) -> Value {
        let reply = self.get_json(&format!("/_demo/phone/{login}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
        reply.json
    }

    pub async fn approve(&self, login: &str, number: Option<u64>) -> Reply {
        let body = number.map_or(Value::Null, |n| json!({"number": n}));
        self.post(&format!("/_demo/phone/{login}/approve"), body)
            .await
    }

    pub async fn fetch_png(&self, href: &str) -> (StatusCode, Vec<u8>) {
        let response = self.http.get(href).send().await.expect("request sent");
        let status = response.status();
        (status, response.bytes().await.expect("body").to_vec())
    }

    pub async fn scan(&self, login: &str, png: Vec<u8>) -> Reply {
        let response = self
            .http
            .post(self.url(&format!("/_demo/phone/{login}/scan")))
            .header("content-type", "image/png")
            .body(png)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let json = response.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
        }
    }

    pub async fn inject(&self, rule: Value) {
        let reply = self.post("/_demo/faults", rule).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    }

    /// The verify link of the user's factor of this type in an MFA_REQUIRED transaction.
    pub fn verify_href(&self, tx: &Value, factor_type: &str) -> String {
        let factor = tx["_embedded"]["factors"]
            .as_array()
            .expect("factors array")
            .iter()
            .find(|factor| factor["factorType"] == factor_type)
            .unwrap_or_else(|| panic!("no {factor_type} factor in {tx}"));
        href(&factor["_links"]["verify"])
    }

    /// Signs in with push and returns the MFA_CHALLENGE transaction.
    pub async fn start_push(&self, login: &str) -> Value {
        let tx = self.sign_in(login).await;
        let verify = self.verify_href(&tx, "push");
        let reply = self.follow(&tx, &verify, json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
        assert_eq!(reply.json["status"], "MFA_CHALLENGE");
        reply.json
    }

    /// The current TOTP code the phone shows for `login`.
    pub async fn totp_code(&self, login: &str) -> String {
        let phone = self.phone(login).await;
        phone["codes"][0]["code"]
            .as_str()
            .expect("a code")
            .to_owned()
    }

    pub async fn shutdown(self) {
        self.org.shutdown().await;
    }
}

pub fn state_token(tx: &Value) -> String {
    tx["stateToken"].as_str().unwrap_or_default().to_owned()
}

pub fn href(link: &Value) -> String {
    link["href"]
        .as_str()
        .unwrap_or_else(|| panic!("no href in {link}"))
        .to_owned()
}

pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.json);
    assert_eq!(reply.json["errorCode"], code, "{}", reply.json);
    assert_eq!(reply.json["errorLink"], code);
    assert!(
        reply.json["errorSummary"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(reply.json["errorId"].is_string());
    assert!(reply.json["errorCauses"].is_array());
}
