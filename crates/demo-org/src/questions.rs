//! The security questions this org offers, as `GET /api/v1/users/{id}/factors/questions`
//! lists them (Okta's shape: `question`, its key, and `questionText`).

use serde::Serialize;

use crate::org::Org;
use crate::wire::ApiError;

/// Every question the org offers: Okta's key for it, and how a person reads it.
pub(crate) const ORG_QUESTIONS: [(&str, &str); 6] = [
    (
        "disliked_food",
        "What is the food you least liked as a child?",
    ),
    (
        "name_of_first_plush_toy",
        "What was your first stuffed toy called?",
    ),
    (
        "first_award",
        "What did you win your first prize or award for?",
    ),
    (
        "favorite_vacation_location",
        "Where did you spend your favorite holiday?",
    ),
    (
        "first_computer_game",
        "What was the first computer game you played?",
    ),
    (
        "childhood_dream_job",
        "What did you want to be when you grew up?",
    ),
];

/// A question as Okta lists it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QuestionBody {
    pub question: &'static str,
    pub question_text: &'static str,
}

/// The question and its text, if the org offers `key`.
pub(crate) fn find(key: &str) -> Option<(&'static str, &'static str)> {
    ORG_QUESTIONS
        .into_iter()
        .find(|(offered, _)| *offered == key)
}

/// Okta's rules for an answer: four characters at least, and not the question itself.
pub(crate) fn answer_problem(text: &str, answer: &str) -> Option<&'static str> {
    let answer = answer.trim();
    if answer.chars().count() < 4 {
        return Some("The security question answer must be at least 4 characters in length");
    }
    let answer = answer.to_ascii_lowercase();
    let question = text.to_ascii_lowercase();
    if question
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word.len() > 3 && answer.contains(word))
    {
        return Some(
            "The security question answer is too weak, answer must not be part of the question",
        );
    }
    None
}

impl Org {
    /// `GET /api/v1/users/{id}/factors/questions`.
    pub(crate) fn questions_for(&self, user_id: &str) -> Result<Vec<QuestionBody>, ApiError> {
        let state = self.lock();
        if !state.users.iter().any(|user| user.id == user_id) {
            return Err(ApiError::not_found(&format!("{user_id} (User)")));
        }
        Ok(ORG_QUESTIONS
            .into_iter()
            .map(|(question, question_text)| QuestionBody {
                question,
                question_text,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_follow_oktas_rules() {
        let text = ORG_QUESTIONS[0].1;
        assert!(answer_problem(text, "abc").unwrap().contains("at least 4"));
        assert!(
            answer_problem(text, "the food")
                .unwrap()
                .contains("too weak")
        );
        assert_eq!(answer_problem(text, "blue cheese"), None);
        assert_eq!(find("disliked_food").unwrap().0, "disliked_food");
        assert!(find("nope").is_none());
    }
}
