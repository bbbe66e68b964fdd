//! Enrolling a security question: `enroll-authenticator` offers the org's questions (the
//! `questionKey` options, and `contextualData.questions` / `questionKeys` on the
//! authenticator) and takes `credentials.questionKey` and `answer`. With
//! `IdxOptions::custom_security_questions`, a second option offers a question of one's own
//! (`questionKey` fixed to `custom`, `question`, `answer`), as okta-signin-widget's
//! `authenticator-enroll-security-question.json` records it; without, `custom` is refused as
//! not offered, as an org may choose. Refusals are said on the field as Okta's recordings
//! do: an answer too short or too weak on `answer`, a question left blank, too long or with
//! HTML on `question`. The question is active as soon as it is set.

use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::messages::IdxError;
use super::policy::second_factor_done;
use super::request::Credentials;
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use crate::org::factors::{Factor, FactorKind, FactorStatus, QuestionAnswer};
use crate::org::questions::ORG_QUESTIONS;
use crate::org::users::User;

/// Okta's `questionKey` for a question of one's own.
const CUSTOM: &str = "custom";

/// How long a question of one's own may be.
const MAX_OWN_QUESTION_CHARS: usize = 100;

/// A question of one's own, as the org takes it: not blank, not too long, no HTML.
fn own_question(question: Option<&str>) -> Result<String, IdxError> {
    let question = question.map(str::trim).unwrap_or_default();
    if question.is_empty() {
        return Err(IdxError::own_question_blank());
    }
    if question.chars().count() > MAX_OWN_QUESTION_CHARS {
        return Err(IdxError::own_question_too_long(MAX_OWN_QUESTION_CHARS));
    }
    if question.contains('<') && question.contains('>') {
        return Err(IdxError::own_question_tags());
    }
    Ok(question.to_owned())
}

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
    let (key, text) = if key == CUSTOM {
        if !env.org.config.idx.custom_security_questions {
            return Err(IdxError::not_offered("A question of your own"));
        }
        (CUSTOM, own_question(credentials.question.as_deref())?)
    } else {
        let (key, text) = crate::org::questions::find(key)
            .ok_or_else(|| IdxError::not_offered("That question"))?;
        (key, text.to_owned())
    };
    let answer = credentials
        .answer
        .as_deref()
        .filter(|answer| !answer.trim().is_empty())
        .ok_or_else(|| IdxError::blank("credentials.answer"))?;
    if let Some(problem) = crate::org::questions::answer_problem(&text, answer) {
        let key = if problem.contains("at least") {
            "securityQuestion.answer.tooShort.arg"
        } else {
            "errors.E0000001"
        };
        return Err(IdxError::answer_refused_on_field(key, problem));
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

/// The `credentials` field: a question of the org's and its answer; with `own`, a second
/// option for a question of one's own.
pub(super) fn credentials_field(own: bool) -> Value {
    let questions: Vec<Value> = ORG_QUESTIONS
        .iter()
        .map(|(key, text)| json!({ "label": text, "value": key }))
        .collect();
    let mut options = vec![json!({
        "label": "Choose a security question",
        "value": { "form": { "value": [
            { "name": "questionKey", "type": "string", "label": "Choose a security question", "required": true, "options": questions },
            { "name": "answer", "label": "Answer", "required": true, "secret": true },
        ] } },
    })];
    if own {
        options.push(json!({
            "label": "Create my own security question",
            "value": { "form": { "value": [
                { "name": "questionKey", "required": true, "value": CUSTOM, "mutable": false },
                { "name": "question", "label": "Create a security question", "required": true },
                { "name": "answer", "label": "Answer", "required": true, "secret": true },
            ] } },
        }));
    }
    json!({
        "name": "credentials",
        "type": "object",
        "required": true,
        "options": options,
    })
}

/// `currentAuthenticator.value.contextualData`: the questions the org offers (`custom`
/// among the keys where one's own is allowed, as Okta lists it).
pub(super) fn contextual_data(own: bool) -> Value {
    let mut keys: Vec<&str> = ORG_QUESTIONS.iter().map(|(key, _)| *key).collect();
    if own {
        keys.push(CUSTOM);
    }
    json!({
        "questionKeys": keys,
        "questions": ORG_QUESTIONS
            .iter()
            .map(|(key, text)| json!({ "questionKey": key, "question": text }))
            .collect::<Vec<_>>(),
    })
}
