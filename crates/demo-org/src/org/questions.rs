//! The security questions this org offers (Okta's key for each and its text), and Okta's
//! rules for an answer, for both engines' question factors and the Classic recovery question.

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
