//! The org's engine as the CLI tells it: asked while the password is typed, shown before the
//! sign-in starts, passed to the flow for its transcript and remembered with the account.

use std::time::Duration;

use oktadesk_core::{Engine, EngineReport, OktaClient, OrgUrl};
use serde_json::json;
use tokio::task::JoinHandle;

use crate::output::{self, DIM, WARN};

/// What an Identity Engine org means for a sign-in today (the core's one wording).
pub(crate) const IDENTITY_ENGINE_NOTE: &str = match Engine::IdentityEngine.sign_in_note() {
    Some(note) => note,
    None => "",
};

/// The longest a sign-in waits for the answer once the password is in. Without it the
/// sign-in goes as the account last knew the org (or through /api/v1/authn), so it never
/// waits out a slow org for this.
const WAIT_AFTER_PASSWORD: Duration = Duration::from_secs(3);

/// The engine check started before the password prompt, so a person typing pays nothing.
pub(crate) struct PendingEngine(JoinHandle<EngineReport>);

impl PendingEngine {
    pub(crate) fn start(client: &OktaClient, org: &OrgUrl) -> Self {
        let (client, org) = (client.clone(), org.clone());
        Self(tokio::spawn(
            async move { client.detect_engine(&org).await },
        ))
    }

    /// The report, or `None` when it did not come in time (the check is then dropped).
    pub(crate) async fn finish(self) -> Option<EngineReport> {
        let mut task = self.0;
        match tokio::time::timeout(WAIT_AFTER_PASSWORD, &mut task).await {
            Ok(Ok(report)) => Some(report),
            Ok(Err(_)) => None,
            Err(_) => {
                task.abort();
                None
            }
        }
    }
}

/// Tells the person (or, with `--json`, the script) which engine the org runs and which API
/// the sign-in goes through (`through_idx`: the org's OktaDesk app is known).
pub(crate) fn announce(org: &OrgUrl, report: Option<&EngineReport>, through_idx: bool, json: bool) {
    let (through, through_words) = if through_idx {
        ("idx", "IDX")
    } else {
        ("/api/v1/authn", "/api/v1/authn")
    };
    if json {
        let mut line = match report {
            Some(report) => serde_json::to_value(report).unwrap_or_default(),
            None => json!({
                "engine": null,
                "unknownReason": "the org did not answer in time",
            }),
        };
        if let Some(object) = line.as_object_mut() {
            object.insert("signsInThrough".into(), json!(through));
            if !through_idx
                && report.and_then(|report| report.engine) == Some(Engine::IdentityEngine)
            {
                object.insert("note".into(), json!(IDENTITY_ENGINE_NOTE));
            }
        }
        output::json_line(&line);
        return;
    }
    match report.and_then(|report| report.engine) {
        Some(Engine::IdentityEngine) if through_idx => output::say(&output::styled(
            DIM,
            &format!(
                "{} runs {}: signing in through IDX with its OktaDesk app.",
                org.host(),
                Engine::IdentityEngine
            ),
        )),
        Some(Engine::IdentityEngine) => {
            output::say(&format!(
                "{} {} runs {}.",
                output::styled(WARN, "note:"),
                org.host(),
                Engine::IdentityEngine
            ));
            output::say(&output::styled(DIM, IDENTITY_ENGINE_NOTE));
        }
        Some(Engine::Classic) => output::say(&output::styled(
            DIM,
            &format!("{} runs {}.", org.host(), Engine::Classic),
        )),
        None => output::say(&output::styled(
            DIM,
            &format!(
                "Could not tell which engine {} runs: {} Signing in through {through_words}.",
                org.host(),
                report
                    .and_then(|report| report.unknown_reason.as_deref())
                    .unwrap_or("it did not answer in time.")
            ),
        )),
    }
}
