//! Security questions, checked the same way on both engines before anything reaches Okta:
//! the question chosen must be one on offer (or one's own, where the org takes it), and an
//! answer is sent without surrounding spaces, never empty.

use crate::flow::command::Command;
use crate::flow::conversation::Fit;
use crate::secret::Secret;
use crate::stage::SecurityQuestion;

/// Okta's `questionKey` for a question of the person's own.
pub(crate) const CUSTOM_QUESTION_KEY: &str = "custom";

/// Whether `command` is a question to enroll that fits the offer: `questions` from the org,
/// and one's own when `can_write_own`. `None` for any other command.
pub(crate) fn question_fits(
    command: &Command,
    questions: &[SecurityQuestion],
    can_write_own: bool,
) -> Option<Fit> {
    let Command::EnrollQuestion {
        question,
        custom_question,
        ..
    } = command
    else {
        return None;
    };
    Some(match custom_question {
        Some(_) if can_write_own => Ok(()),
        Some(_) => Err("this org takes only its own questions".into()),
        None if questions.iter().any(|offered| offered.key == *question) => Ok(()),
        None => Err(format!(
            "\"{question}\" is not one of the questions offered"
        )),
    })
}

/// The answer without surrounding spaces; `None` when nothing is left.
pub(crate) fn trimmed(answer: &Secret) -> Option<Secret> {
    let answer = answer.expose().trim();
    (!answer.is_empty()).then(|| Secret::new(answer))
}
