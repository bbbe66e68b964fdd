//! A small IDX client for the tests: interact with PKCE, introspect, and post to the
//! remediation forms the org offers, by name, as an IDX SDK does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, DEMO_REDIRECT_URI, DemoEngine};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{self, Harness, Reply};

/// A PKCE verifier: 43+ characters of the RFC 7636 alphabet.
pub const VERIFIER: &str = "demo-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";

pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

pub async fn start() -> Harness {
    common::start_with(oktadesk_demo_org::DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..common::unlimited()
    })
    .await
}

impl Harness {
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let response = self
            .http
            .post(self.url(path))
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            )
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

    /// `/interact` on the default authorization server with the test PKCE pair.
    pub async fn interact_with(&self, extra: &[(&str, &str)]) -> Reply {
        let challenge = challenge_of(VERIFIER);
        let mut pairs = vec![
            ("client_id", DEMO_OIDC_CLIENT_ID),
            ("scope", "openid profile email"),
            ("redirect_uri", DEMO_REDIRECT_URI),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("state", "test-state"),
        ];
        for (name, value) in extra {
            pairs.retain(|(known, _)| known != name);
            pairs.push((name, value));
        }
        self.post_form("/oauth2/default/v1/interact", &pairs).await
    }

    /// Interacts and introspects: the first IDX response.
    pub async fn idx_begin(&self) -> Value {
        let interact = self.interact_with(&[]).await;
        assert_eq!(interact.status, StatusCode::OK, "{}", interact.json);
        let handle = interact.json["interaction_handle"]
            .as_str()
            .expect("handle");
        let reply = self
            .post(
                "/idp/idx/introspect",
                json!({ "interactionHandle": handle }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
        reply.json
    }

    /// Posts `values` plus the state handle to the remediation `name` of `response`.
    pub async fn remediate(&self, response: &Value, name: &str, values: Value) -> Reply {
        let form = remediation(response, name);
        let mut body = json!({ "stateHandle": response["stateHandle"] });
        if let (Some(body), Some(values)) = (body.as_object_mut(), values.as_object()) {
            body.extend(values.clone());
        }
        self.post(&common::href(form), body).await
    }

    /// Like `remediate`, asserting 200.
    pub async fn proceed(&self, response: &Value, name: &str, values: Value) -> Value {
        let reply = self.remediate(response, name, values).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.json);
        reply.json
    }

    /// Identify and password: the response after the first factor.
    pub async fn idx_sign_in(&self, login: &str) -> Value {
        let start = self.idx_begin().await;
        let password = self
            .proceed(&start, "identify", json!({ "identifier": login }))
            .await;
        self.proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await
    }

    /// Signs `login` in and picks `key` (with `method`) to verify: the answer of that step.
    pub async fn verify_with(&self, login: &str, key: &str, method: Option<&str>) -> Value {
        let select = self.idx_sign_in(login).await;
        self.choose(&select, "select-authenticator-authenticate", key, method)
            .await
            .json
    }

    /// Chooses `key`'s authenticator (and method) in the select form `form_name`.
    pub async fn choose(
        &self,
        response: &Value,
        form_name: &str,
        key: &str,
        method: Option<&str>,
    ) -> Reply {
        let id = option_id(response, form_name, key);
        let mut authenticator = json!({ "id": id });
        if let Some(method) = method {
            authenticator["methodType"] = json!(method);
        }
        self.remediate(
            response,
            form_name,
            json!({ "authenticator": authenticator }),
        )
        .await
    }

    /// Exchanges the interaction code of a success response.
    pub async fn exchange(&self, success: &Value, verifier: &str) -> Reply {
        let issue = &success["successWithInteractionCode"];
        let href = common::href(issue);
        let code = issue["value"]
            .as_array()
            .expect("issue fields")
            .iter()
            .find(|field| field["name"] == "interaction_code")
            .and_then(|field| field["value"].as_str())
            .expect("an interaction code")
            .to_owned();
        let path = href
            .strip_prefix(&self.base)
            .expect("same origin")
            .to_owned();
        self.post_form(
            &path,
            &[
                ("grant_type", "interaction_code"),
                ("interaction_code", &code),
                ("client_id", DEMO_OIDC_CLIENT_ID),
                ("code_verifier", verifier),
            ],
        )
        .await
    }
}

pub fn names(response: &Value) -> Vec<String> {
    response["remediation"]["value"]
        .as_array()
        .map(|forms| {
            forms
                .iter()
                .filter_map(|form| form["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn remediation<'r>(response: &'r Value, name: &str) -> &'r Value {
    response["remediation"]["value"]
        .as_array()
        .and_then(|forms| forms.iter().find(|form| form["name"] == name))
        .unwrap_or_else(|| panic!("no {name} remediation in {response}"))
}

/// Resolves a `$.a.b.value[i]` relatesTo path.
pub fn resolve<'r>(response: &'r Value, path: &str) -> &'r Value {
    let mut node = response;
    for part in path.trim_start_matches("$.").split('.') {
        match part.split_once('[') {
            Some((name, index)) => {
                let index: usize = index.trim_end_matches(']').parse().expect("index");
                node = &node[name][index];
            }
            None => node = &node[part],
        }
    }
    node
}

/// The authenticator id of the option whose related authenticator has `key`.
pub fn option_id(response: &Value, form_name: &str, key: &str) -> String {
    let form = remediation(response, form_name);
    let options = form["value"][0]["options"].as_array().expect("options");
    let option = options
        .iter()
        .find(|option| {
            let related = resolve(response, option["relatesTo"].as_str().expect("relatesTo"));
            related["key"] == key
        })
        .unwrap_or_else(|| panic!("no {key} option in {form}"));
    option["value"]["form"]["value"][0]["value"]
        .as_str()
        .expect("id")
        .to_owned()
}

pub fn message_key(response: &Value) -> String {
    response["messages"]["value"][0]["i18n"]["key"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The key of the message on the first form's credentials input (`passcode`, `totp`), where
/// Okta says a code was wrong; asserts nothing is said at the top, as Okta does.
pub fn input_message_key(response: &Value) -> String {
    assert!(response["messages"].is_null(), "{response}");
    let forms = response["remediation"]["value"].as_array().expect("forms");
    forms
        .iter()
        .filter_map(|form| form["value"].as_array())
        .flatten()
        .find(|field| field["name"] == "credentials")
        .map(|credentials| &credentials["form"]["value"][0]["messages"]["value"][0]["i18n"]["key"])
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Decodes a JWT's claims (no signature check; `idx_tokens` checks signatures).
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}
