//! The step-by-step record of a sign-in, for help-desk staff who must see which step failed.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::org_url::OrgUrl;
use crate::plain_text::plain_text;

/// One HTTP exchange with the org. Holds no secret: paths are recorded without their query
/// and with single-use tokens in the path replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptEntry {
    /// Milliseconds since the flow started.
    pub at_ms: u64,
    pub method: String,
    pub path: String,
    /// `None` when no HTTP answer came (network error, timeout).
    pub http_status: Option<u16>,
    pub okta_status: Option<String>,
    pub factor_result: Option<String>,
    pub elapsed_ms: u64,
    pub error_code: Option<String>,
    /// What went wrong below HTTP, or what the client did about it ("retrying in 2 s").
    pub note: Option<String>,
}

/// A shared, append-only transcript. Clones see the same entries, so the UI can read it at any
/// time while the flow runs.
#[derive(Clone, Default)]
pub struct Transcript {
    entries: Arc<Mutex<Vec<TranscriptEntry>>>,
}

impl Transcript {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn entries(&self) -> Vec<TranscriptEntry> {
        self.lock().clone()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&*self.lock()).unwrap_or_default()
    }

    /// The transcript as help-desk staff receive it in a file, from the app's export and the
    /// CLI's `--transcript` alike: who signed in where and when it was saved, then one line
    /// per step. Holds no secret, as the transcript holds none.
    pub fn report(&self, about: &ReportHeader<'_>) -> String {
        // RFC 3339 cannot express every year `OffsetDateTime` can; the plain form still
        // tells staff when.
        let saved = about
            .saved_at
            .format(&Rfc3339)
            .unwrap_or_else(|_| about.saved_at.to_string());
        format!(
            "OktaDesk {} sign-in transcript\nOrganization: {}\nUsername: {}\nSaved: {saved}\n\n{self}",
            plain_text(about.app_version),
            plain_text(&about.org.to_string()),
            plain_text(about.username),
        )
    }

    pub(crate) fn push(&self, entry: TranscriptEntry) {
        tracing::debug!(
            method = %entry.method,
            path = %entry.path,
            http_status = ?entry.http_status,
            okta_status = ?entry.okta_status,
            factor_result = ?entry.factor_result,
            error_code = ?entry.error_code,
            elapsed_ms = entry.elapsed_ms,
            "okta request"
        );
        self.lock().push(entry);
    }

    fn lock(&self) -> MutexGuard<'_, Vec<TranscriptEntry>> {
        // A panic while holding the lock cannot leave a half-written Vec behind; keep going.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What heads a saved transcript ([`Transcript::report`]).
#[derive(Debug, Clone, Copy)]
pub struct ReportHeader<'a> {
    /// The version of the app or CLI that ran the sign-in.
    pub app_version: &'a str,
    pub org: &'a OrgUrl,
    pub username: &'a str,
    pub saved_at: OffsetDateTime,
}

impl Serialize for Transcript {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.lock().serialize(serializer)
    }
}

impl fmt::Debug for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lock().iter()).finish()
    }
}

/// Readable text, one line per step:
/// `+1234ms POST /api/v1/authn -> 200 MFA_REQUIRED (87 ms)`.
impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in self.lock().iter() {
            writeln!(f, "{entry}")?;
        }
        Ok(())
    }
}

/// Every text goes out without control characters, whatever the entry holds: a saved
/// transcript is read in a help desk's terminal, where an escape sequence from a server
/// would act.
impl fmt::Display for TranscriptEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "+{}ms {} {} ->",
            self.at_ms,
            plain_text(&self.method),
            plain_text(&self.path)
        )?;
        match self.http_status {
            Some(status) => write!(f, " {status}")?,
            None => f.write_str(" (no answer)")?,
        }
        for value in [&self.okta_status, &self.factor_result, &self.error_code]
            .into_iter()
            .flatten()
        {
            write!(f, " {}", plain_text(value))?;
        }
        write!(f, " ({} ms)", self.elapsed_ms)?;
        if let Some(note) = &self.note {
            write!(f, ": {}", plain_text(note))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_forms() {
        let transcript = Transcript::new();
        let reader = transcript.clone();
        transcript.push(TranscriptEntry {
            at_ms: 12,
            method: "POST".into(),
            path: "/api/v1/authn".into(),
            http_status: Some(200),
            okta_status: Some("MFA_REQUIRED".into()),
            factor_result: None,
            elapsed_ms: 87,
            error_code: None,
            note: None,
        });
        assert_eq!(reader.len(), 1);
        assert_eq!(
            reader.to_string(),
            "+12ms POST /api/v1/authn -> 200 MFA_REQUIRED (87 ms)\n"
        );
        let json = reader.to_json();
        assert_eq!(json[0]["httpStatus"], 200);
        assert_eq!(json[0]["oktaStatus"], "MFA_REQUIRED");
    }

    #[test]
    fn no_field_can_put_a_control_character_in_the_text_form() {
        let escape = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\n";
        let transcript = Transcript::new();
        transcript.push(TranscriptEntry {
            at_ms: 1,
            method: format!("POST{escape}"),
            path: format!("/api{escape}"),
            http_status: Some(400),
            okta_status: Some(format!("S{escape}")),
            factor_result: Some(format!("F{escape}")),
            elapsed_ms: 2,
            error_code: Some(format!("E{escape}")),
            note: Some(format!("N{escape}")),
        });
        let org = OrgUrl::parse("acme").unwrap();
        let report = transcript.report(&ReportHeader {
            app_version: "1",
            org: &org,
            username: &format!("ada{escape}"),
            saved_at: time::macros::datetime!(2025-03-04 05:06:07 UTC),
        });
        let steps = transcript.to_string();
        assert!(!steps.trim_end().contains(char::is_control), "{steps:?}");
        assert!(
            !report.replace('\n', "").contains(char::is_control),
            "{report:?}"
        );
    }

    #[test]
    fn the_report_names_who_signed_in_where_and_when_then_the_steps() {
        let transcript = Transcript::new();
        transcript.push(TranscriptEntry {
            at_ms: 3,
            method: "POST".into(),
            path: "/api/v1/authn".into(),
            http_status: None,
            okta_status: None,
            factor_result: None,
            elapsed_ms: 10,
            error_code: None,
            note: Some("connection refused".into()),
        });
        let org = OrgUrl::parse("acme").unwrap();
        let report = transcript.report(&ReportHeader {
            app_version: "1.2.3",
            org: &org,
            username: "ada@acme.com",
            saved_at: time::macros::datetime!(2025-03-04 05:06:07 UTC),
        });
        assert_eq!(
            report,
            "OktaDesk 1.2.3 sign-in transcript\n\
             Organization: https://acme.okta.com\n\
             Username: ada@acme.com\n\
             Saved: 2025-03-04T05:06:07Z\n\
             \n\
             +3ms POST /api/v1/authn -> (no answer) (10 ms): connection refused\n"
        );
    }
}
