//! What the scripted Okta answers, in order: each step names the request it expects (method
//! and path) and the answer it gives.

use serde_json::Value;

use crate::corpus::{self, Fixture};

/// One answer: a status, headers and a JSON (or other) body, strings templated as in
/// [`corpus`].
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// Sent as is (HTML where JSON was due, a truncated document).
    Bytes(Vec<u8>),
}

impl Answer {
    /// The corpus fixture `name` (`idx/identify-unknown-user`), as recorded.
    pub fn recorded(name: &str) -> Self {
        Self::from(corpus::load(name))
    }

    /// `value` as JSON with `status`.
    pub fn json(status: u16, value: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Json(value),
        }
    }

    /// `text` as is, typed `content_type`.
    pub fn text(status: u16, content_type: &str, text: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Sets (or replaces) a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(key, _)| *key != name);
        self.headers.push((name, value.into()));
        self
    }

    /// The body changed by `edit` (a variant Okta also sends: a string boolean, a `null`).
    pub fn edit(mut self, edit: impl FnOnce(&mut Value)) -> Self {
        if let Body::Json(value) = &mut self.body {
            edit(value);
        }
        self
    }
}

impl From<Fixture> for Answer {
    fn from(fixture: Fixture) -> Self {
        Self {
            status: fixture.status,
            headers: fixture.headers,
            body: Body::Json(fixture.body),
        }
    }
}

/// One step of a script.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub method: String,
    pub path: String,
    pub answer: Answer,
}

/// The answers, in the order the client is expected to ask for them.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub(crate) steps: Vec<Step>,
}

impl Script {
    pub fn new() -> Self {
        Self::default()
    }

    /// Then a `method` request to `path` (no query) gets `answer`.
    pub fn then(mut self, method: &str, path: &str, answer: impl Into<Answer>) -> Self {
        self.steps.push(Step {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            answer: answer.into(),
        });
        self
    }

    /// `POST path` answered with the fixture `name`: the usual step of a replay.
    pub fn post(self, path: &str, name: &str) -> Self {
        self.then("POST", path, Answer::recorded(name))
    }

    /// The same step `times` times over (a poll that keeps waiting).
    pub fn repeat(mut self, times: usize) -> Self {
        if let Some(last) = self.steps.last().cloned() {
            for _ in 1..times {
                self.steps.push(last.clone());
            }
        }
        self
    }
}
