//! Desktop notifications while a sign-in waits on the phone: one per change of state, only
//! when the window is in the background (unless `--notify-always`), never with a secret.

use std::sync::Mutex;

use oktadesk_core::Stage;

/// A notification to show: a title and one line of body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub body: String,
}

/// Where notifications go: the OS (through tauri-plugin-notification) or, in tests, a list.
pub trait Notifier: Send + Sync {
    fn notify(&self, note: &Note);
}

/// The OS notification centre, through tauri-plugin-notification.
pub struct PluginNotifier<R: tauri::Runtime>(pub tauri::AppHandle<R>);

impl<R: tauri::Runtime> Notifier for PluginNotifier<R> {
    fn notify(&self, note: &Note) {
        use tauri_plugin_notification::NotificationExt;
        let shown = self
            .0
            .notification()
            .builder()
            .title(&note.title)
            .body(&note.body)
            .show();
        if let Err(error) = shown {
            // A desktop without a notification server still has the window, which says it all.
            tracing::info!(%error, "could not show a desktop notification");
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

/// Turns a sign-in's stages into notifications, one per change.
#[derive(Debug, Default)]
pub struct StageNotes {
    state: Mutex<NotesState>,
}

#[derive(Debug, Default)]
struct NotesState {
    phase: Phase,
    last: Option<Note>,
}

impl StageNotes {
    /// Starts afresh for a new sign-in.
    pub fn reset(&self) {
        *self.lock() = NotesState::default();
    }

    /// The notification `stage` calls for, if any. Repeats of the same notification (a
    /// number challenge seen on every poll) come back as `None`.
    pub fn note_for(&self, stage: &Stage, display_name: Option<&str>) -> Option<Note> {
        let mut state = self.lock();
        let previous = state.phase;
        let note = match stage {
            Stage::EnrollQr(_) | Stage::ActivationLinkSent { .. } => {
                state.phase = Phase::Enrolling;
                None
            }
            Stage::NeedsCode { .. }
            | Stage::Working { .. }
            | Stage::ActivationExpired { .. }
            | Stage::CommandFailed { .. } => None,
            Stage::PushSent { device_name } => {
                state.phase = Phase::WaitingForPush;
                Some(Note {
                    title: "Push sent".into(),
                    body: match device_name {
                        Some(device) => format!("Approve the sign-in in Okta Verify on {device}."),
                        None => "Approve the sign-in in Okta Verify on your phone.".into(),
                    },
                })
            }
            Stage::NumberChallenge { number, .. } => {
                state.phase = Phase::WaitingForPush;
                Some(Note {
                    title: format!("Tap {number} in Okta Verify"),
                    body: format!("Okta Verify shows three numbers: tap {number} to approve."),
                })
            }
            Stage::PushRejected { .. } => {
                state.phase = Phase::Other;
                Some(Note {
                    title: "Push rejected".into(),
                    body: "The sign-in was denied on your phone. Open OktaDesk to send a new push."
                        .into(),
                })
            }
            Stage::PushTimedOut { .. } => {
                state.phase = Phase::Other;
                Some(Note {
                    title: "Push timed out".into(),
                    body: "The push was not answered in time. Open OktaDesk to send a new one."
                        .into(),
                })
            }
            other => {
                state.phase = Phase::Other;
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
        if state.last.as_ref() == Some(&note) {
            return None;
        }
        state.last = Some(note.clone());
        Some(note)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NotesState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use oktadesk_core::ErrorKind;

    use super::*;

    fn challenge(number: u32) -> Stage {
        Stage::NumberChallenge {
            number,
            device_name: Some("Pixel".into()),
        }
    }

    #[test]
    fn one_note_per_change_of_state() {
        let notes = StageNotes::default();
        let sent = notes
            .note_for(
                &Stage::PushSent {
                    device_name: Some("Pixel".into()),
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
        let notes = StageNotes::default();
        let failed = Stage::Failed {
            kind: ErrorKind::Credentials,
            message: "wrong".into(),
        };
        assert_eq!(notes.note_for(&failed, None), None);
    }
}
