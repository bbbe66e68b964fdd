//! What `doctor` found, as it is shown: one line per check (JSON with `--json`), then a
//! summary, and the exit code the failures add up to.

use serde::Serialize;
use serde_json::json;

use oktadesk_core::OrgUrl;

use crate::exit::Exit;
use crate::output::{self, BAD, DIM, GOOD, WARN};

/// The checks, in the order they are reported. The JSON name of each is stable: scripts
/// branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) enum CheckName {
    Dns,
    Tcp,
    Tls,
    AuthnApi,
    Clock,
    Engine,
    Proxy,
    Keychain,
    Notifications,
}

impl CheckName {
    fn label(self) -> &'static str {
        match self {
            Self::Dns => "DNS",
            Self::Tcp => "TCP",
            Self::Tls => "TLS",
            Self::AuthnApi => "Okta API",
            Self::Clock => "Clock",
            Self::Engine => "Engine",
            Self::Proxy => "Proxy",
            Self::Keychain => "Keychain",
            Self::Notifications => "Notifications",
        }
    }

    /// Checks of the way to the org fail with exit 5; checks of this computer with 1.
    fn scope(self) -> Scope {
        match self {
            Self::Dns | Self::Tcp | Self::Tls | Self::AuthnApi | Self::Engine | Self::Proxy => {
                Scope::Org
            }
            Self::Clock | Self::Keychain | Self::Notifications => Scope::Local,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Org,
    Local,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Check {
    pub(super) check: CheckName,
    pub(super) status: Status,
    pub(super) detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) advice: Option<String>,
}

impl Check {
    pub(super) fn new(check: CheckName, status: Status, detail: impl Into<String>) -> Self {
        Self {
            check,
            status,
            detail: detail.into(),
            advice: None,
        }
    }

    pub(super) fn advice(mut self, advice: impl Into<String>) -> Self {
        self.advice = Some(advice.into());
        self
    }
}

/// The checks so far, each shown as soon as it is added.
pub(super) struct Report {
    json: bool,
    checks: Vec<Check>,
}

impl Report {
    pub(super) fn new(json: bool) -> Self {
        Self {
            json,
            checks: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, check: Check) {
        if self.json {
            output::json_line(&serde_json::to_value(&check).unwrap_or_default());
        } else {
            let (mark, style) = match check.status {
                Status::Pass => ("✔", GOOD),
                Status::Warn => ("!", WARN),
                Status::Fail => ("✘", BAD),
                Status::Skip => ("-", DIM),
            };
            output::say(&format!(
                "{} {:<14} {}",
                output::styled(style, mark),
                check.check.label(),
                check.detail
            ));
            if let Some(advice) = &check.advice {
                output::say(&format!("  {:<14} {}", "", output::styled(DIM, advice)));
            }
        }
        self.checks.push(check);
    }

    /// The status `check` was reported with, if it was.
    pub(super) fn status_of(&self, check: CheckName) -> Option<Status> {
        self.checks
            .iter()
            .find(|reported| reported.check == check)
            .map(|reported| reported.status)
    }

    /// Shows the summary and returns the exit code: 5 when a check of the way to the org
    /// failed, 1 when only checks of this computer did, 0 otherwise.
    pub(super) fn finish(&self, org: &OrgUrl) -> Exit {
        let failed = |scope| {
            self.checks
                .iter()
                .filter(|check| check.status == Status::Fail && check.check.scope() == scope)
                .count()
        };
        let (org_failures, local_failures) = (failed(Scope::Org), failed(Scope::Local));
        let exit = if org_failures > 0 {
            Exit::Network
        } else if local_failures > 0 {
            Exit::Other
        } else {
            Exit::Success
        };
        let count = |status| self.checks.iter().filter(|c| c.status == status).count();
        if self.json {
            output::json_line(&json!({
                "result": if exit == Exit::Success { "passed" } else { "failed" },
                "exitCode": exit.code(),
                "org": org,
                "passed": count(Status::Pass),
                "warnings": count(Status::Warn),
                "failed": count(Status::Fail),
                "skipped": count(Status::Skip),
            }));
        } else {
            output::say(&match exit {
                Exit::Success => format!(
                    "{} Everything needed to sign in is in place.",
                    output::styled(GOOD, "✔")
                ),
                _ => format!(
                    "{} {} check(s) failed: see what to do above.",
                    output::styled(BAD, "✘"),
                    org_failures + local_failures
                ),
            });
        }
        exit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_keep_their_json_names() {
        let names: Vec<String> = [
            CheckName::Dns,
            CheckName::Tcp,
            CheckName::Tls,
            CheckName::AuthnApi,
            CheckName::Clock,
            CheckName::Engine,
            CheckName::Proxy,
            CheckName::Keychain,
            CheckName::Notifications,
        ]
        .into_iter()
        .map(|name| {
            serde_json::to_value(name)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
        assert_eq!(
            names,
            [
                "dns",
                "tcp",
                "tls",
                "authnApi",
                "clock",
                "engine",
                "proxy",
                "keychain",
                "notifications"
            ]
        );
    }
}
