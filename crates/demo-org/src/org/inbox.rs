//! The inbox each seeded user has for what the org sends (texts, voice calls, emails), which
//! `/_demo` shows so a person trying the demo, and a test, can read the codes and links.

use serde::{Deserialize, Serialize};

/// Messages an inbox keeps; older ones go.
const INBOX_SIZE: usize = 20;

/// A message the org sent: a text, what a voice call said, an email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboxMessage {
    /// `sms`, `call` or `email`.
    pub channel: String,
    /// The phone number or email address it went to, in full.
    pub to: String,
    /// The one-time code it carries.
    pub code: String,
    /// The message as the person gets it.
    pub text: String,
    pub sent_at: String,
    /// The activation link an Okta Verify enrollment message carries, which the phone opens
    /// (`POST /_demo/phone/{login}/open`); absent for codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Files a message in an inbox, keeping the newest [`INBOX_SIZE`].
pub(crate) fn deliver(inbox: &mut Vec<InboxMessage>, message: InboxMessage) {
    inbox.push(message);
    let over = inbox.len().saturating_sub(INBOX_SIZE);
    inbox.drain(..over);
}
