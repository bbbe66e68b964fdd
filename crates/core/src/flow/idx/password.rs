//! Passwords that expire: `reenroll-authenticator` (expired: a new one is the only way on)
//! and `reenroll-authenticator-warning` (expiring soon: change it, or skip).

use super::form::Inputs;
use super::state::Idx;
use super::wire::IdxResponse;
use crate::client::Retry;
use crate::error::ErrorKind;
use crate::flow::command::Command;
use crate::flow::conversation::{NewPasswordAsk, Step};
use crate::stage::Activity;

impl Idx {
    pub(super) async fn new_password(&mut self, doc: IdxResponse, name: &str) -> Step<IdxResponse> {
        let form = self.form_of(&doc, name)?;
        let warn = name == "reenroll-authenticator-warning";
        let can_skip = warn && doc.form("skip").is_some();
        let settings = doc
            .current()
            .and_then(|current| current.settings.clone())
            .unwrap_or_default();
        let refused = self
            .refusal(&doc, ErrorKind::PasswordChangeRejected)
            .map(|(_, info)| info);
        let last_error = self.factor.pending_error.take().or(refused);
        let command = self
            .io
            .ask_new_password(NewPasswordAsk {
                warn,
                expire_days: settings.days_to_expiry,
                complexity: settings.complexity,
                can_skip,
                last_error,
            })
            .await?;
        self.fresh_input = true;
        match command {
            // IDX asks only for the new password: the current one was proved on the way here.
            Command::ChangePassword { new_password, .. } => {
                self.io.working(Activity::ChangingPassword).await?;
                let inputs = Inputs::new().text("credentials.passcode", new_password);
                self.submit(&form, inputs, Retry::Never).await
            }
            _ => {
                self.io.working(Activity::Skipping).await?;
                self.submit_named(&doc, "skip").await
            }
        }
    }
}
