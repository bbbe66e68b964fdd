//! Enrolling a security question: `enroll-authenticator` offers the org's questions (the
//! `questionKey` options, and `contextualData.questions` / `questionKeys` on the
//! authenticator) and takes `credentials.questionKey` and `answer`. The demo org does not
//! allow questions of one's own (`questionKey: "custom"`), as an org may choose; answers
//! follow Okta's rules (`crate::questions`). The question is active as soon as it is set.

use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::flow::{StepEnv, user_of};
use super::messages::IdxError;
use super::policy::second_factor_done;
use super::request::Credentials;
use super::store::{IdxTransaction, Stage};
use crate::factors::{Factor, FactorKind, FactorStatus, QuestionAnswer};
use crate::questions::ORG_QUESTIONS;
use crate::users::User;

/// `enroll-authenticator` for the security question.
pub(super) fn answer(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    if tx.stage != Stage::EnrollQuestion {
        return Err(IdxError::wrong_step());
    }
    let user = user_of(tx, users)?;
    let credentials = credentials.ok_or_else(|| IdxError::blank("credentials"))?;
    let key = credentials
        .question_key
        .as_deref()
        .filter(|key| !key.trim().is_empty())
        .ok_or_else(|| IdxError::blank("credentials.questionKey"))?;
    if key == "custom" {
        return Err(IdxError::not_offered("A question of your own"));
    }
    let (key, text) =
        crate::questions::find(key).ok_or_else(|| IdxError::not_offered("That question"))?;
    let answer = credentials
        .answer
        .as_deref()
        .filter(|answer| !answer.trim().is_empty())
        .ok_or_else(|| IdxError::blank("credentials.answer"))?;
    if let Some(problem) = crate::questions::answer_problem(text, answer) {
        return Err(IdxError::answer_rejected(problem));
    }
    user.factors
        .retain(|factor| factor.is_active() || factor.kind != FactorKind::Question);
    let mut factor = Factor::new(FactorKind::Question);
    factor.question = Some(QuestionAnswer {
        key,
        text,
        answer: Zeroizing::new(answer.trim().to_owned()),
    });
    factor.status = FactorStatus::Active;
    user.factors.push(factor);
    second_factor_done(tx, user, FactorKind::Question, env.now);
    Ok(())
}

/// The `credentials` field: one option, a question of the org's and its answer.
pub(super) fn credentials_field() -> Value {
    let questions: Vec<Value> = ORG_QUESTIONS
        .iter()
        .map(|(key, text)| json!({ "label": text, "value": key }))
        .collect();
    json!({
        "name": "credentials",
        "type": "object",
        "required": true,
        "options": [{
            "label": "Choose a security question",
            "value": { "form": { "value": [
                { "name": "questionKey", "type": "string", "label": "Choose a security question", "required": true, "options": questions },
                { "name": "answer", "label": "Answer", "required": true, "secret": true },
            ] } },
        }],
    })
}

/// `currentAuthenticator.value.contextualData`: the questions the org offers.
pub(super) fn contextual_data() -> Value {
    json!({
        "questionKeys": ORG_QUESTIONS.iter().map(|(key, _)| *key).collect::<Vec<_>>(),
        "questions": ORG_QUESTIONS
            .iter()
            .map(|(key, text)| json!({ "questionKey": key, "question": text }))
            .collect::<Vec<_>>(),
    })
}
