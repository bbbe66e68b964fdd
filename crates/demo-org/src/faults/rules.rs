//! The faults an org can be told to inject, and the queue of rules `/_demo/faults` fills:
//! each rule names a path substring, a method and how many matching requests it spoils.

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// One way to misbehave. JSON: `{"kind": "status", "status": 503, ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Fault {
    /// An error status with an Okta error body.
    #[serde(rename_all = "camelCase")]
    Status {
        status: u16,
        #[serde(default)]
        error_code: Option<String>,
        #[serde(default)]
        error_summary: Option<String>,
    },
    /// Wait this long, then answer normally.
    Delay { millis: u64 },
    /// Close the connection without any response.
    Drop,
    /// Answer normally but cut the JSON body in half.
    TruncatedJson,
    /// An HTML page (a captive portal or proxy error page) where JSON was due.
    Html {
        #[serde(default = "ok_status")]
        status: u16,
    },
    /// A syntactically valid JSON body of this many bytes (10 MiB by default).
    Oversized {
        #[serde(default = "ten_mib")]
        bytes: usize,
    },
    /// 429 `E0000047` with rate limit headers, as when the org-wide limit is hit.
    RateLimitBurst,
    /// A 307 redirect to another host (`location` defaults to `http://redirected.invalid` plus
    /// the request path).
    Redirect {
        #[serde(default)]
        location: Option<String>,
    },
    /// Answer normally but point every `href` on the org's origin at another one: Classic's
    /// `_links`, and IDX's remediation forms (and their `cancel`, `resend`, `issue`).
    ForeignLink {
        #[serde(default)]
        origin: Option<String>,
    },
    /// Answer normally but with a transaction `status` this client has never seen.
    UnknownStatus {
        #[serde(default)]
        status: Option<String>,
    },
    /// A valid PNG image that holds no QR code, as a QR image mangled by a proxy or a broken
    /// renderer would be. Meant for the QR image path (`/qr/`).
    UnreadableQr,
    /// Answer normally but with a `factorResult` this client has never seen.
    #[serde(rename_all = "camelCase")]
    UnknownFactorResult {
        #[serde(default)]
        factor_result: Option<String>,
    },
    /// Answer an IDX request normally but name the step in play (the first remediation form)
    /// as one this client has never seen, as a new Identity Engine policy would.
    UnknownRemediation {
        #[serde(default)]
        name: Option<String>,
    },
    /// 429 `E0000047` with these rate-limit headers as sent (`X-Rate-Limit-Reset`, and a
    /// `Date` in place of the org's own when given), however absurd.
    RateLimitHeaders {
        reset: String,
        #[serde(default)]
        date: Option<String>,
    },
    /// Answer normally, with this `Set-Cookie` header added as sent.
    SetCookie { cookie: String },
}

fn ok_status() -> u16 {
    200
}

fn ten_mib() -> usize {
    10 * 1024 * 1024
}

fn one() -> u32 {
    1
}

/// `POST /_demo/faults` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Applies to requests whose path contains this (all paths when absent).
    #[serde(default)]
    pub path: Option<String>,
    /// Applies to this method only (any method when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// How many matching requests get the fault.
    #[serde(default = "one")]
    pub count: u32,
    pub fault: Fault,
}

#[derive(Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub(crate) fn add(&self, rule: FaultRule) {
        if rule.count > 0 {
            self.lock().push(rule);
        }
    }

    pub(crate) fn pending(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// The fault for this request, if any, counting it against its rule.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if path.starts_with("/_demo") {
            return None;
        }
        let mut rules = self.lock();
        let index = rules.iter().position(|rule| {
            rule.path
                .as_deref()
                .is_none_or(|wanted| path.contains(wanted))
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method))
        })?;
        let rule = &mut rules[index];
        rule.count -= 1;
        let fault = rule.fault.clone();
        if rule.count == 0 {
            rules.remove(index);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_matches_path_and_method() {
        let faults = Faults::default();
        faults.add(FaultRule {
            path: Some("/verify".into()),
            method: Some("POST".into()),
            count: 2,
            fault: Fault::Drop,
        });
        assert_eq!(faults.take("GET", "/api/v1/authn/factors/x/verify"), None);
        assert_eq!(faults.take("POST", "/api/v1/authn"), None);
        assert_eq!(
            faults.take("POST", "/api/v1/authn/factors/x/verify"),
            Some(Fault::Drop)
        );
        assert_eq!(
            faults.take("post", "/api/v1/authn/factors/x/verify"),
            Some(Fault::Drop)
        );
        assert_eq!(faults.take("POST", "/api/v1/authn/factors/x/verify"), None);
    }

    #[test]
    fn never_faults_the_control_api() {
        let faults = Faults::default();
        faults.add(FaultRule {
            path: None,
            method: None,
            count: 1,
            fault: Fault::Drop,
        });
        assert_eq!(faults.take("GET", "/_demo/phone/x"), None);
    }

    #[test]
    fn parses_the_documented_json() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"path": "/api/v1/authn", "count": 3, "fault": {"kind": "status", "status": 503, "errorCode": "E0000009"}}"#,
        )
        .unwrap();
        assert_eq!(rule.count, 3);
        assert!(matches!(rule.fault, Fault::Status { status: 503, .. }));
        let rule: FaultRule = serde_json::from_str(r#"{"fault": {"kind": "oversized"}}"#).unwrap();
        assert_eq!(
            rule.fault,
            Fault::Oversized {
                bytes: 10 * 1024 * 1024
            }
        );
    }
}
