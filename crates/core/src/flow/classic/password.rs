//! PASSWORD_WARN and PASSWORD_EXPIRED: change the password (or skip a warning).

use super::Classic;
use crate::client::Retry;
use crate::flow::command::Command;
use crate::flow::conversation::{Halt, NewPasswordAsk, Step};
use crate::okta_errors;
use crate::stage::Activity;
use crate::wire::{Status, StepBody, Transaction};

impl Classic {
    pub(super) async fn password(&mut self, tx: Transaction) -> Step<Transaction> {
        let warn = tx.status == Status::PasswordWarn;
        let can_skip = warn && tx.links.skip.is_some();
        let policy = tx.embedded.policy.clone().unwrap_or_default();
        let last_error = self.factor.pending_error.take();
        let command = self
            .io
            .ask_new_password(NewPasswordAsk {
                warn,
                expire_days: policy.expiration.and_then(|e| e.password_expire_days),
                complexity: policy.complexity,
                can_skip,
                last_error,
            })
            .await?;
        let Command::ChangePassword {
            old_password,
            new_password,
        } = command
        else {
            return self.skip_step(&tx).await;
        };
        self.io.working(Activity::ChangingPassword).await?;
        let url = self.next_link(&tx, "changePassword")?;
        let body = StepBody::ChangePassword {
            old_password: &old_password,
            new_password: &new_password,
        };
        match self.post_state(&url, body, Retry::Never).await {
            Err(Halt::Error(error)) => match okta_errors::password_change_refusal(&error) {
                // The step still stands: ask again, saying why.
                Some(refusal) => {
                    self.factor.pending_error = Some(refusal.info());
                    Ok(tx)
                }
                None => Err(error.into()),
            },
            other => other,
        }
    }
}
