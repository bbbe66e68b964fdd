//! Desktop notifications while a sign-in waits on the phone: one per change of state, only
//! when the window is in the background (unless `--notify-always`), never with a secret.

use oktadesk_core::Stage;

/// A notification to show: a title and one line of body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub body: String,
}

impl Note {
    /// The body as the desktop's notification server reads it. Servers on Linux and the
    /// BSDs parse a markup subset in bodies (`<a href>`, `<img>`, `<b>`), so text from Okta
    /// (a device named `<a href=...>`) is escaped there; elsewhere a body is plain text.
    pub fn body_for_desktop(&self) -> std::borrow::Cow<'_, str> {
        if cfg!(all(unix, not(any(target_os = "macos", target_os = "ios")))) {
            escape_markup(&self.body).into()
        } else {
            self.body.as_str().into()
        }
    }
}

/// `text` as markup that shows exactly `text`.
fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// When a sign-in's notifications show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotifyWhen {
    /// Only while the window is in the background: while it has focus, it already shows
    /// everything a notification would say.
    #[default]
    WindowInBackground,
    /// Every time (`--notify-always`): kiosks, and end-to-end tests, where the window always
    /// has focus.
    Always,
}

impl NotifyWhen {
    pub fn from_notify_always(always: bool) -> Self {
        if always {
            Self::Always
        } else {
            Self::WindowInBackground
        }
    }

    /// Whether to show a notification now; asks about the window's focus only when that
    /// decides it.
    pub fn allows(self, window_focused: impl FnOnce() -> bool) -> bool {
        match self {
            Self::Always => true,
            Self::WindowInBackground => !window_focused(),
        }
    }
}

/// What the flow was doing, to tell an approval or a finished enrollment from a plain success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    #[default]
    Other,
    Enrolling,
    WaitingForPush,
}

/// Turns one sign-in's stages into notifications, one per change.
#[derive(Debug, Default)]
pub struct StageNotes {
    phase: Phase,
    last: Option<Note>,
}

impl StageNotes {
    /// The notification `stage` calls for, if any. Repeats of the same notification (a
    /// number challenge seen on every poll) come back as `None`.
    pub fn note_for(&mut self, stage: &Stage, display_name: Option<&str>) -> Option<Note> {
        let previous = self.phase;
        let note = match stage {
            Stage::EnrollQr(_) | Stage::ActivationLinkSent { .. } => {
                self.phase = Phase::Enrolling;
                None
            }
            Stage::NeedsCode { .. }
            | Stage::Working { .. }
            | Stage::ActivationExpired { .. }
            | Stage::CommandFailed { .. } => None,
            Stage::PushSent { device_name, .. } => {
                self.phase = Phase::WaitingForPush;
                Some(Note {
                    title: "Push sent".into(),
                    body: match device_name {
                        Some(device) => format!("Approve the sign-in in Okta Verify on {device}."),
                        None => "Approve the sign-in in Okta Verify on your phone.".into(),
                    },
                })
            }
            Stage::NumberChallenge { number, .. } => {
                self.phase = Phase::WaitingForPush;
                Some(Note {
                    title: format!("Tap {number} in Okta Verify"),
                    body: format!("Okta Verify shows three numbers: tap {number} to approve."),
                })
            }
            Stage::PushRejected { .. } => {
                self.phase = Phase::Other;
                Some(Note {
                    title: "Push rejected".into(),
                    body: "The sign-in was denied on your phone. Open OktaDesk to send a new push."
                        .into(),
                })
            }
            Stage::PushTimedOut { .. } => {
                self.phase = Phase::Other;
                Some(Note {
                    title: "Push timed out".into(),
                    body: "The push was not answered in time. Open OktaDesk to send a new one."
                        .into(),
                })
            }
            other => {
                self.phase = Phase::Other;
                let who = display_name.unwrap_or("you");
                match (previous, other) {
                    (Phase::Enrolling, Stage::Failed { .. } | Stage::LockedOut { .. }) => None,
                    (Phase::Enrolling, Stage::Success { .. }) => Some(Note {
                        title: "Enrollment complete".into(),
                        body: format!("Okta Verify is set up and {who} signed in."),
                    }),
                    (Phase::Enrolling, _) => Some(Note {
                        title: "Enrollment complete".into(),
                        body: "Okta Verify is set up. Open OktaDesk to finish signing in.".into(),
                    }),
                    (Phase::WaitingForPush, Stage::Success { .. }) => Some(Note {
                        title: "Push approved".into(),
                        body: format!("Signed in as {who}."),
                    }),
                    (Phase::WaitingForPush, Stage::Failed { message, .. }) => Some(Note {
                        title: "Sign-in stopped".into(),
                        body: message.clone(),
                    }),
                    _ => None,
                }
            }
        };
        let note = note?;
        if self.last.as_ref() == Some(&note) {
            return None;
        }
        self.last = Some(note.clone());
        Some(note)
    }
}

#[cfg(test)]
mod tests {
    use oktadesk_core::ErrorKind;

    use super::*;

    #[test]
    fn a_device_name_cannot_put_markup_in_a_notification() {
        let note = Note {
            title: "Push sent".into(),
            body: "Approve it on <a href=\"https://evil.example\">Ada's & Bo's</a>.".into(),
        };
        let body = note.body_for_desktop();
        if cfg!(target_os = "linux") {
            assert_eq!(
                body,
                "Approve it on &lt;a href=&quot;https://evil.example&quot;&gt;Ada&apos;s &amp; Bo&apos;s&lt;/a&gt;."
            );
        } else if cfg!(any(target_os = "macos", target_os = "windows")) {
            assert_eq!(body, note.body);
        }
    }

    fn challenge(number: u32) -> Stage {
        Stage::NumberChallenge {
            number,
            device_name: Some("Pixel".into()),
            remember_device: None,
        }
    }

    #[test]
    fn one_note_per_change_of_state() {
        let mut notes = StageNotes::default();
        let sent = notes
            .note_for(
                &Stage::PushSent {
                    device_name: Some("Pixel".into()),
                    remember_device: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(sent.title, "Push sent");
        assert!(sent.body.contains("Pixel"));
        assert_eq!(
            notes.note_for(&challenge(42), None).unwrap().title,
            "Tap 42 in Okta Verify"
        );
        assert_eq!(notes.note_for(&challenge(42), None), None, "no repeat");
        assert_eq!(
            notes.note_for(&challenge(17), None).unwrap().title,
            "Tap 17 in Okta Verify"
        );
    }

    #[test]
    fn stages_that_need_no_attention_stay_quiet() {
        let mut notes = StageNotes::default();
        let failed = Stage::Failed {
            kind: ErrorKind::Credentials,
            message: "wrong".into(),
        };
        assert_eq!(notes.note_for(&failed, None), None);
    }

    #[test]
    fn notifications_wait_for_the_window_to_lose_focus_unless_always() {
        let focused = || true;
        let background = || false;
        assert!(!NotifyWhen::WindowInBackground.allows(focused));
        assert!(NotifyWhen::WindowInBackground.allows(background));
        assert!(NotifyWhen::Always.allows(focused));
        assert!(NotifyWhen::Always.allows(|| unreachable!("focus does not matter")));
        assert_eq!(NotifyWhen::from_notify_always(true), NotifyWhen::Always);
        assert_eq!(NotifyWhen::default(), NotifyWhen::from_notify_always(false));
    }
}
