//! IDX's messages for the person (an error on what was sent, or information, with Okta's key),
//! and Ion's `{"type": ..., "value": ...}` wrapper they come in.

use serde::Deserialize;

use super::lenient;

/// Ion's `{"type": ..., "value": ...}` wrapper.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Collection<T> {
    pub value: T,
}

/// A message for the person: an error on what was sent, or information.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Message {
    #[serde(default, deserialize_with = "lenient::text")]
    pub message: String,
    #[serde(default)]
    pub i18n: Option<MessageKey>,
    #[serde(default)]
    pub class: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MessageKey {
    #[serde(default, deserialize_with = "lenient::code")]
    pub key: String,
}

impl Message {
    pub fn is_error(&self) -> bool {
        self.class.as_deref().is_none_or(|class| class == "ERROR")
    }

    pub fn key(&self) -> &str {
        self.i18n.as_ref().map_or("", |i18n| i18n.key.as_str())
    }
}
