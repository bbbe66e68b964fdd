//! Okta's error bodies (`errorCode`, `errorSummary`, `errorCauses`).

use serde::Deserialize;

/// An Okta error body (`errorCode`, `errorSummary`, `errorCauses`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaErrorBody {
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_code")]
    pub error_code: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize")]
    pub error_summary: String,
    #[serde(default)]
    pub error_link: Option<String>,
    #[serde(default)]
    pub error_id: Option<String>,
    #[serde(default)]
    pub error_causes: Vec<ErrorCause>,
}

impl OktaErrorBody {
    /// The summary plus its causes, which carry the useful part for password rules.
    pub fn full_summary(&self) -> String {
        let mut text = self.error_summary.trim().to_owned();
        for cause in &self.error_causes {
            let cause = cause.error_summary.trim();
            if !cause.is_empty() && !text.contains(cause) {
                if !text.is_empty() && !text.ends_with(['.', ':']) {
                    text.push(':');
                }
                text.push(' ');
                text.push_str(cause);
            }
        }
        if !text.is_empty() && !text.ends_with('.') {
            text.push('.');
        }
        text
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCause {
    #[serde(default, deserialize_with = "crate::plain_text::deserialize")]
    pub error_summary: String,
}
