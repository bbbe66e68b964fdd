//! Changing an expired or expiring password (`PASSWORD_EXPIRED`, `PASSWORD_WARN`), under
//! Okta's default password policy.

use zeroize::Zeroizing;

use crate::classic::transaction::Stage;
use crate::classic::transitions::advance;
use crate::org::password_policy::password_problem;
use crate::org::users::PasswordState;
use crate::state::Org;
use crate::wire::{ApiError, TransactionBody};

impl Org {
    pub(crate) fn change_password(
        &self,
        state_token: &str,
        old_password: &str,
        new_password: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            if !matches!(tx.stage, Stage::PasswordExpired | Stage::PasswordWarn) {
                return Err(ApiError::wrong_state());
            }
            if user.password.as_str() != old_password {
                return Err(ApiError::credential_update_failed(
                    "oldPassword: The credentials provided were incorrect.",
                ));
            }
            if let Some(problem) = password_problem(new_password, old_password, &user.login) {
                return Err(ApiError::credential_update_failed(problem));
            }
            user.password = Zeroizing::new(new_password.to_owned());
            user.password_state = PasswordState::Current;
            user.password_changed_at = now;
            tx.password_settled = true;
            advance(tx, user);
            Ok(())
        })
    }
}
