//! IDX's answers as such: the `application/ion+json` media type every IDX exchange speaks,
//! and what the transcript shows of an answer in it (form names and message keys, never a
//! value). Both the request loop in `api.rs` and the IDX exchanges in `idx_api.rs` read it.

use serde::Deserialize;

use crate::transcript::TranscriptEntry;

/// IDX's media type, version 1.0.0: what OktaDesk accepts from IDX, and sends to
/// `introspect` and to every form that does not name a JSON type of its own.
pub(crate) const ION_JSON: &str = "application/ion+json; okta-version=1.0.0";

/// What the transcript shows of an IDX answer: the forms Okta offers next (`okta_status`) and
/// the key of its first message (`error_code`). Names only: no value ever leaves here.
pub(super) fn summarise(bytes: &[u8], entry: &mut TranscriptEntry) {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        #[serde(default)]
        remediation: Option<Named<Vec<Name>>>,
        #[serde(default)]
        success_with_interaction_code: Option<Name>,
        #[serde(default)]
        messages: Option<Named<Vec<Message>>>,
    }
    #[derive(Deserialize)]
    struct Named<T> {
        value: T,
    }
    #[derive(Deserialize)]
    struct Name {
        name: String,
    }
    #[derive(Deserialize)]
    struct Message {
        #[serde(default)]
        i18n: Option<Key>,
    }
    #[derive(Deserialize)]
    struct Key {
        key: String,
    }
    let Ok(summary) = serde_json::from_slice::<Summary>(bytes) else {
        return;
    };
    let mut names: Vec<String> = summary
        .remediation
        .map(|forms| forms.value.into_iter().map(|form| form.name).collect())
        .unwrap_or_default();
    if summary.success_with_interaction_code.is_some() {
        names.push("successWithInteractionCode".into());
    }
    if !names.is_empty() {
        let names: Vec<String> = names.iter().map(|name| crate::code_text(name)).collect();
        entry.okta_status = Some(names.join(", "));
    }
    entry.error_code = summary
        .messages
        .and_then(|messages| messages.value.into_iter().find_map(|m| m.i18n))
        .map(|key| crate::code_text(&key.key));
}
