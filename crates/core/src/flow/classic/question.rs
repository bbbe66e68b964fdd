//! Security questions: answering the one the account has (MFA_REQUIRED), and enrolling one
//! of the org's questions with its answer (MFA_ENROLL). Okta activates a question at once.

use url::Url;

use super::Classic;
use crate::client::Retry;
use crate::error::Error;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, Step};
use crate::flow::factors::{self, Offered};
use crate::flow::steps::{self, Reply, Switch, trimmed};
use crate::stage::{Activity, FactorChoice, FactorPurpose, SecurityQuestion, Stage};
use crate::wire::{EnrollProfile, Factor, Status, StepBody, Transaction};

impl Classic {
    /// MFA_REQUIRED, security question: show it, post the answer to the factor's `verify`
    /// link. Asked again after a wrong answer, it stays on this factor.
    pub(super) async fn answer_question(
        &mut self,
        tx: Transaction,
        url: &Url,
        factor: &Factor,
        offered: &[Offered],
    ) -> Step<Transaction> {
        let choice = factors::describe(factor, FactorPurpose::Verify);
        let profile = factor.profile.clone().unwrap_or_default();
        let question = profile
            .question_text
            .or(profile.question)
            .unwrap_or_else(|| "Your security question".to_owned());
        let last_error = self.factor.pending_error.take();
        self.io
            .emit(Stage::NeedsAnswer {
                factor: choice.clone(),
                question,
                last_error,
                remember_device: self.remember_offer(),
            })
            .await?;
        let switch = Switch::among_others(offered);
        let waiting = "the sign-in is waiting for the answer to the security question";
        let reply = steps::await_input(&mut self.io, &switch, waiting, |command| {
            matches!(command, Command::SubmitAnswer { .. }).then_some(Ok(()))
        })
        .await?;
        let answer = match reply {
            Reply::Input(Command::SubmitAnswer { answer }) => answer,
            Reply::Input(_) => unreachable!("filtered by await_input"),
            Reply::Switch(key) => {
                self.factor.pending_choice = Some(key);
                return Ok(tx);
            }
        };
        // Asked again after a wrong answer: stay on this factor.
        self.factor.pending_choice = Some(choice.key.clone());
        let Some(answer) = trimmed(&answer) else {
            self.factor.pending_error = Some(Error::InvalidAnswer.info());
            return Ok(tx);
        };
        self.io.working(Activity::VerifyingAnswer).await?;
        let url = self.remembering(url);
        match self
            .post_state(&url, StepBody::Answer { answer: &answer }, Retry::Never)
            .await
        {
            Ok(next) => {
                if next.status != Status::MfaRequired {
                    self.factor.pending_choice = None;
                }
                Ok(next)
            }
            Err(Halt::Error(Error::InvalidCode)) => {
                self.factor.pending_error = Some(Error::InvalidAnswer.info());
                Ok(tx)
            }
            Err(halt) => Err(halt),
        }
    }

    /// MFA_ENROLL, security question: the org's questions (from the factor's `questions`
    /// link), one picked and answered, enrolled. An answer Okta refuses (too short, say) is
    /// asked for again with Okta's reason.
    pub(super) async fn enroll_question(
        &mut self,
        tx: Transaction,
        url: &Url,
        factor: &Factor,
        choice: FactorChoice,
        offered: &[Offered],
    ) -> Step<Transaction> {
        let questions = self.org_questions(factor).await?;
        let last_error = self.factor.pending_error.take();
        self.io
            .emit(Stage::NeedsQuestionChoice {
                factor: choice.clone(),
                questions: questions.clone(),
                // Classic's enrollment takes only the org's questions.
                can_write_own: false,
                last_error,
            })
            .await?;
        let switch = Switch::among_others(offered);
        let waiting = "the sign-in is waiting for a security question and its answer";
        let reply = steps::await_input(&mut self.io, &switch, waiting, |command| {
            steps::question_fits(command, &questions, false)
        })
        .await?;
        let (question, answer) = match reply {
            Reply::Input(Command::EnrollQuestion {
                question, answer, ..
            }) => (question, answer),
            Reply::Input(_) => unreachable!("filtered by await_input"),
            Reply::Switch(key) => {
                self.factor.pending_choice = Some(key);
                return Ok(tx);
            }
        };
        // Asked again after a refusal: stay on this factor.
        self.factor.pending_choice = Some(choice.key.clone());
        let Some(answer) = trimmed(&answer) else {
            self.factor.pending_error = Some(Error::InvalidAnswer.info());
            return Ok(tx);
        };
        self.io.working(Activity::Enrolling).await?;
        let body = StepBody::Enroll {
            factor_type: &factor.factor_type,
            provider: &factor.provider,
            profile: Some(EnrollProfile::Question {
                question: &question,
                answer: &answer,
            }),
            pass_code: None,
        };
        match self.post_state(url, body, Retry::Never).await {
            Ok(next) => {
                self.factor.pending_choice = None;
                Ok(next)
            }
            Err(Halt::Error(error)) if steps::recoverable(&error) => {
                self.factor.pending_error = Some(error.info());
                Ok(tx)
            }
            Err(halt) => Err(halt),
        }
    }

    /// The questions the org offers, from the factor's `questions` link.
    async fn org_questions(&mut self, factor: &Factor) -> Step<Vec<SecurityQuestion>> {
        let link = factor.links.questions.as_ref().ok_or_else(|| {
            self.api
                .unexpected_step("a security question to enroll without its questions")
        })?;
        let url = self.api.resolve(link.href.expose())?;
        self.io.working(Activity::LoadingQuestions).await?;
        let questions: Vec<SecurityQuestion> = self.api.get_json(&url).await?;
        if questions.is_empty() {
            return Err(self
                .api
                .unexpected_step("an empty list of security questions")
                .into());
        }
        Ok(questions)
    }
}
