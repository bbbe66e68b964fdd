//! The scripted Okta: a loopback HTTP/1.1 server that answers each request with the script's
//! next step and keeps every request, matched or not.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request as HttpRequest, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::corpus::with_origin;
use crate::script::{Answer, Body, Script, Step};

/// What the client sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Which step of the script answered it; `None` for a request the script did not expect
    /// there (answered `418`, so no client retries it).
    pub step: Option<usize>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`Value::Null` when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// A form-encoded body's field.
    pub fn form_value(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// `METHOD /path`, for assertions that read like the script.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

struct State {
    steps: Vec<Step>,
    next: usize,
    seen: Vec<Request>,
}

/// A running scripted Okta; stops when dropped.
pub struct Okta {
    origin: String,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Okta {
    /// Listens on a free loopback port and answers by `script`.
    pub async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the scripted Okta");
        let origin = format!("http://{}", listener.local_addr().expect("its address"));
        let state = Arc::new(Mutex::new(State {
            steps: script.steps,
            next: 0,
            seen: Vec::new(),
        }));
        let task = tokio::spawn(serve(listener, state.clone(), origin.clone()));
        Self {
            origin,
            state,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`: the org URL to sign in to.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().expect("replay state").seen.clone()
    }

    /// `METHOD /path` of every request, in order.
    pub fn lines(&self) -> Vec<String> {
        self.requests().iter().map(Request::line).collect()
    }

    /// The requests the script did not expect where they came.
    pub fn strays(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|request| request.step.is_none())
            .collect()
    }

    /// How many steps of the script are still unasked.
    pub fn left(&self) -> usize {
        let state = self.state.lock().expect("replay state");
        state.steps.len() - state.next
    }

    /// The requests sent to `path`.
    pub fn to(&self, path: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|request| request.path == path)
            .collect()
    }
}

impl Drop for Okta {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, origin: String) {
    while let Ok((stream, _)) = listener.accept().await {
        let (state, origin) = (state.clone(), origin.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (state, origin) = (state.clone(), origin.clone());
                async move { Ok::<_, Infallible>(answer(request, &state, &origin).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    request: HttpRequest<Incoming>,
    state: &Mutex<State>,
    origin: &str,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let mut seen = Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        step: None,
    };
    let mut state = state.lock().expect("replay state");
    let index = state.next;
    let step = state
        .steps
        .get(index)
        .filter(|step| step.method == seen.method && step.path == seen.path)
        .cloned();
    let response = match step {
        Some(step) => {
            state.next += 1;
            seen.step = Some(index);
            respond(&step.answer, origin)
        }
        None => {
            let expected = state
                .steps
                .get(index)
                .map_or("nothing more".to_owned(), |s| {
                    format!("{} {}", s.method, s.path)
                });
            respond(
                &Answer::text(
                    418,
                    "text/plain",
                    &format!(
                        "replay: {} came where the script expects {expected}",
                        seen.line()
                    ),
                ),
                origin,
            )
        }
    };
    state.seen.push(seen);
    response
}

fn respond(answer: &Answer, origin: &str) -> Response<Full<Bytes>> {
    let body = match &answer.body {
        Body::Json(value) => serde_json::to_vec(&with_origin(value, origin)).expect("JSON"),
        Body::Bytes(bytes) => bytes.clone(),
    };
    let mut response = Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        response = response.header(name.as_str(), header_value(value, origin));
    }
    response
        .body(Full::new(Bytes::from(body)))
        .expect("a valid scripted answer")
}

/// `{{origin}}` and `{{now+N}}` (Unix seconds) filled in.
fn header_value(template: &str, origin: &str) -> String {
    let value = template.replace("{{origin}}", origin);
    let Some(start) = value.find("{{now") else {
        return value;
    };
    let Some(end) = value[start..].find("}}").map(|end| start + end) else {
        return value;
    };
    let offset: i64 = value[start + 5..end]
        .trim_start_matches('+')
        .parse()
        .unwrap_or(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64);
    format!("{}{}{}", &value[..start], now + offset, &value[end + 2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_templates_fill_the_origin_and_the_time() {
        assert_eq!(header_value("{{origin}}/x", "http://h"), "http://h/x");
        let reset: i64 = header_value("{{now+5}}", "").parse().unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((now + 4..=now + 6).contains(&reset));
    }
}
