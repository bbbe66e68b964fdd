//! Setting up a security question (`enroll-authenticator` for `security_question`): one of
//! the org's questions, or, where Okta offers "Create my own security question", one in the
//! person's own words.
//!
//! Okta's form has one `credentials` field with two options (okta-signin-widget
//! `authenticator-enroll-security-question.json`): the org's questions (`questionKey` with
//! options, `answer`), and one's own (`questionKey` fixed to `custom`, `question`, `answer`).
//! The option is picked by its fields, never by its place. Okta refuses on the field (an
//! answer too short, HTML in the question: `error-authenticator-enroll-security-question-*`)
//! with the form again; the person stays on the step with the refusal as `last_error`.

use super::form::Inputs;
use super::state::Idx;
use super::wire::{Form, IdxResponse};
use crate::client::Retry;
use crate::error::{Error, ErrorKind};
use crate::flow::command::Command;
use crate::flow::conversation::Step;
use crate::flow::steps::{self, CUSTOM_QUESTION_KEY, Reply, Switch, trimmed};
use crate::stage::{Activity, FactorChoice, SecurityQuestion, Stage};

/// How long a question of one's own may be here: longer is refused before it reaches Okta.
const MAX_QUESTION_CHARS: usize = 1000;

impl Idx {
    /// A security question to set up: one of the org's questions, picked and answered, or one
    /// of the person's own where Okta offers it.
    pub(super) async fn enroll_question(
        &mut self,
        doc: IdxResponse,
        form: &Form,
        choice: FactorChoice,
    ) -> Step<IdxResponse> {
        let questions: Vec<SecurityQuestion> = doc
            .current()
            .and_then(|c| c.contextual_data.as_ref())
            .map(|data| {
                data.questions
                    .iter()
                    .filter(|q| q.question_key != CUSTOM_QUESTION_KEY)
                    .map(|q| SecurityQuestion {
                        key: q.question_key.clone(),
                        text: q.question.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let own = own_question_option(form);
        let listed = org_questions_option(form);
        if questions.is_empty() && own.is_none() {
            return self.continue_in_browser(doc, Some(choice), None).await;
        }
        let refused = self
            .refusal(&doc, ErrorKind::OktaError)
            .map(|(_, info)| info);
        let last_error = self.factor.pending_error.take().or(refused);
        self.io
            .emit(Stage::NeedsQuestionChoice {
                factor: choice,
                questions: questions.clone(),
                can_write_own: own.is_some(),
                last_error,
            })
            .await?;
        let switch = self.switch_of(&doc, Switch::NoOther);
        let waiting = "the sign-in is waiting for a security question and its answer";
        let can_write_own = own.is_some();
        let reply = self
            .await_input(&switch, waiting, |command| {
                steps::question_fits(command, &questions, can_write_own)
            })
            .await?;
        let (question, answer, custom) = match reply {
            Reply::Input(Command::EnrollQuestion {
                question,
                answer,
                custom_question,
            }) => (question, answer, custom_question),
            Reply::Input(_) => unreachable!("filtered by await_input"),
            Reply::Switch(key) => return self.switch(doc, key).await,
        };
        let Some(answer) = trimmed(&answer) else {
            self.factor.pending_error = Some(Error::InvalidAnswer.info());
            return Ok(doc);
        };
        let mut inputs = Inputs::new();
        match custom {
            Some(text) => {
                let text = text.trim();
                if text.is_empty() || text.chars().count() > MAX_QUESTION_CHARS {
                    self.factor.pending_error = Some(crate::error::ErrorInfo {
                        kind: ErrorKind::OktaError,
                        message: format!(
                            "Write a question of 1 to {MAX_QUESTION_CHARS} characters."
                        ),
                    });
                    return Ok(doc);
                }
                if let Some(index) = own {
                    inputs = inputs.choice("credentials", index);
                }
                inputs = inputs.text("credentials.question", text);
            }
            None => {
                if let Some(index) = listed {
                    inputs = inputs.choice("credentials", index);
                }
                inputs = inputs.text("credentials.questionKey", question);
            }
        }
        let inputs = inputs.text("credentials.answer", answer);
        self.io.working(Activity::Enrolling).await?;
        self.submit(form, inputs, Retry::Never).await
    }
}

/// The place of the `credentials` option for one's own question: the one whose `questionKey`
/// is fixed to `custom` and that asks for the `question`.
fn own_question_option(form: &Form) -> Option<usize> {
    let credentials = form.value.iter().find(|f| f.name == "credentials")?;
    credentials.options.iter().position(|option| {
        option.nested().is_some_and(|nested| {
            nested.field("question").is_some()
                && nested.field("questionKey").is_some_and(|key| {
                    key.text()
                        .is_some_and(|value| value.expose() == CUSTOM_QUESTION_KEY)
                })
        })
    })
}

/// The place of the `credentials` option that lists the org's questions: the one whose
/// `questionKey` has options.
fn org_questions_option(form: &Form) -> Option<usize> {
    let credentials = form.value.iter().find(|f| f.name == "credentials")?;
    credentials.options.iter().position(|option| {
        option
            .nested()
            .and_then(|nested| nested.field("questionKey"))
            .is_some_and(|field| !field.options.is_empty())
    })
}
