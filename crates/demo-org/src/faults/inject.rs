//! Applying injected faults around the router: the answers a fault replaces a response
//! with, and the ways it spoils a response after the router gave it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use serde_json::Value;
use tower::ServiceExt;

use super::rules::Fault;
use crate::app::App;
use crate::wire::ApiError;

/// Returned to hyper to close a connection without answering (the `drop` fault).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose by an injected fault")]
pub(crate) struct DroppedOnPurpose;

/// Answers a request through the router, unless a queued fault says otherwise: some faults
/// replace the answer, some spoil it afterwards, `drop` refuses to answer at all.
pub(crate) async fn answer_with_faults(
    mut request: Request<Incoming>,
    peer: SocketAddr,
    router: axum::Router,
    app: Arc<App>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    request.extensions_mut().insert(ConnectInfo(peer));
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let fault = app.faults.take(&method, &path);
    if let Some(fault) = &fault {
        tracing::debug!(?fault, %method, %path, "injecting fault");
    }
    let rewrite = match fault {
        None => None,
        Some(Fault::Drop) => return Err(DroppedOnPurpose),
        Some(Fault::Delay { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            None
        }
        Some(Fault::Status {
            status,
            error_code,
            error_summary,
        }) => return Ok(status_fault(&path, status, error_code, error_summary)),
        Some(Fault::Html { status }) => return Ok(html_fault(status)),
        Some(Fault::Oversized { bytes }) => return Ok(oversized_fault(bytes)),
        Some(Fault::RateLimitBurst) => return Ok(rate_limit_fault(app.org.clock.now())),
        Some(Fault::UnreadableQr) => return Ok(unreadable_qr_fault()),
        Some(Fault::RateLimitHeaders { reset, date }) => {
            return Ok(rate_limit_headers_fault(&reset, date.as_deref()));
        }
        Some(Fault::SetCookie { cookie }) => {
            let mut response = match router.oneshot(request.map(Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            return Ok(response);
        }
        Some(Fault::Redirect { location }) => {
            let location = location.unwrap_or_else(|| format!("http://redirected.invalid{path}"));
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return Ok(response);
        }
        Some(rewrite) => Some(rewrite),
    };
    let response = match router.oneshot(request.map(Body::new)).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    match rewrite {
        None => Ok(response),
        Some(fault) => Ok(rewrite_response(response, fault, &app.org.origin).await),
    }
}

fn status_fault(
    path: &str,
    status: u16,
    error_code: Option<String>,
    error_summary: Option<String>,
) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // The OAuth endpoints answer their own errors as RFC 6749 says (`invalid_grant`), not
    // with Okta's `E0000…` body.
    if path.starts_with("/oauth2/")
        && let Some(code) = error_code
            .as_deref()
            .filter(|code| is_oauth_error_code(code))
    {
        let body = serde_json::json!({
            "error": code,
            "error_description": error_summary.unwrap_or_else(|| code.replace('_', " ")),
        });
        return json_response(status, body.to_string().into_bytes());
    }
    let body = serde_json::json!({
        "errorCode": error_code.clone().unwrap_or_else(|| "E0000009".into()),
        "errorSummary": error_summary.unwrap_or_else(|| "Internal Server Error".into()),
        "errorLink": error_code.unwrap_or_else(|| "E0000009".into()),
        "errorId": crate::org::ids::object_id("oae"),
        "errorCauses": [],
    });
    json_response(status, body.to_string().into_bytes())
}

/// `invalid_grant`, `server_error`: RFC 6749's codes are lower-case words joined by `_`.
fn is_oauth_error_code(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

fn html_fault(status: u16) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(
        "<!doctype html><html><head><title>Service unavailable</title></head>\
         <body><h1>We'll be right back</h1><p>This site is under maintenance.</p></body></html>",
    ));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn oversized_fault(bytes: usize) -> Response<Body> {
    let prefix = br#"{"status":"MFA_REQUIRED","padding":""#;
    let suffix = br#""}"#;
    let padding = bytes.saturating_sub(prefix.len() + suffix.len());
    let mut body = Vec::with_capacity(bytes.max(prefix.len() + suffix.len()));
    body.extend_from_slice(prefix);
    body.resize(prefix.len() + padding, b'x');
    body.extend_from_slice(suffix);
    json_response(StatusCode::OK, body)
}

fn unreadable_qr_fault() -> Response<Body> {
    let mut response = Response::new(Body::from(crate::org::qr::blank_png()));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    response
}

fn rate_limit_fault(now: time::OffsetDateTime) -> Response<Body> {
    let mut response = ApiError::rate_limited().into_response_body();
    let reset = crate::rate_limit::reset_epoch_seconds(now);
    let headers = response.headers_mut();
    headers.insert("x-rate-limit-limit", HeaderValue::from(600u32));
    headers.insert("x-rate-limit-remaining", HeaderValue::from(0u32));
    headers.insert("x-rate-limit-reset", HeaderValue::from(reset));
    response
}

fn rate_limit_headers_fault(reset: &str, date: Option<&str>) -> Response<Body> {
    let mut response = ApiError::rate_limited().into_response_body();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(reset) {
        headers.insert("x-rate-limit-reset", value);
    }
    if let Some(value) = date.and_then(|date| HeaderValue::from_str(date).ok()) {
        headers.insert(header::DATE, value);
    }
    response
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Faults that answer normally first and then spoil the answer.
async fn rewrite_response(
    response: Response<Body>,
    fault: Fault,
    own_origin: &str,
) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let new_body: Vec<u8> = match fault {
        Fault::TruncatedJson => bytes[..bytes.len() / 2].to_vec(),
        other => match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut json) => {
                match other {
                    Fault::ForeignLink { origin } => {
                        let foreign = origin.unwrap_or_else(|| "http://foreign.invalid".into());
                        rewrite_hrefs(&mut json, own_origin, foreign.trim_end_matches('/'));
                    }
                    Fault::UnknownStatus { status } => {
                        if let Some(object) = json.as_object_mut() {
                            object.insert(
                                "status".into(),
                                Value::String(status.unwrap_or_else(|| "SOMETHING_NEW".into())),
                            );
                        }
                    }
                    Fault::UnknownFactorResult { factor_result } => {
                        if let Some(object) = json.as_object_mut() {
                            object.insert(
                                "factorResult".into(),
                                Value::String(
                                    factor_result.unwrap_or_else(|| "SOMETHING_NEW".into()),
                                ),
                            );
                        }
                    }
                    Fault::UnknownRemediation { name } => {
                        if let Some(step) = json
                            .pointer_mut("/remediation/value/0")
                            .and_then(Value::as_object_mut)
                        {
                            step.insert(
                                "name".into(),
                                Value::String(name.unwrap_or_else(|| "something-new".into())),
                            );
                        }
                    }
                    _ => {}
                }
                json.to_string().into_bytes()
            }
            Err(_) => bytes.to_vec(),
        },
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(new_body.len()));
    Response::from_parts(parts, Body::from(new_body))
}

fn rewrite_hrefs(value: &mut Value, own_origin: &str, foreign: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "href" {
                    if let Value::String(href) = child
                        && let Some(rest) = href.strip_prefix(own_origin)
                    {
                        *href = format!("{foreign}{rest}");
                    }
                } else {
                    rewrite_hrefs(child, own_origin, foreign);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_hrefs(item, own_origin, foreign)),
        _ => {}
    }
}

impl ApiError {
    fn into_response_body(self) -> Response<Body> {
        json_response(self.status, self.body_json().to_string().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn json_of(response: Response<Body>) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_status_fault_on_an_oauth_endpoint_answers_as_the_oauth_endpoints_do() {
        let summary = Some("The interaction code is invalid or has expired.".to_owned());
        let oauth = status_fault(
            "/oauth2/default/v1/token",
            400,
            Some("invalid_grant".into()),
            summary.clone(),
        );
        assert_eq!(oauth.status(), StatusCode::BAD_REQUEST);
        let json = json_of(oauth).await;
        assert_eq!(json["error"], "invalid_grant");
        assert_eq!(json["error_description"], summary.clone().unwrap());
        // Okta's own codes, and every other path, keep Okta's error body.
        for (path, code) in [
            ("/oauth2/default/v1/token", "E0000009"),
            ("/idp/idx/identify", "invalid_grant"),
        ] {
            let json = json_of(status_fault(path, 500, Some(code.into()), None)).await;
            assert_eq!(json["errorCode"], code, "{path}");
        }
    }

    #[tokio::test]
    async fn unknown_remediation_renames_only_the_step_in_play() {
        let answer = serde_json::json!({
            "version": "1.0.0",
            "remediation": {"type": "array", "value": [
                {"name": "identify", "href": "http://org/idp/idx/identify"},
                {"name": "select-enroll-profile", "href": "http://org/idp/idx/enroll"},
            ]},
        });
        let response = json_response(StatusCode::OK, answer.to_string().into_bytes());
        let fault = Fault::UnknownRemediation {
            name: Some("device-assurance".into()),
        };
        let json = json_of(rewrite_response(response, fault, "http://org").await).await;
        assert_eq!(json["remediation"]["value"][0]["name"], "device-assurance");
        assert_eq!(
            json["remediation"]["value"][1]["name"],
            "select-enroll-profile"
        );
    }
}
