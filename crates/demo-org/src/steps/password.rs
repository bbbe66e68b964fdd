//! Changing an expired or expiring password, under Okta's default password policy.

use zeroize::Zeroizing;

use crate::org::Org;
use crate::transaction::Stage;
use crate::transitions::advance;
use crate::users::PasswordState;
use crate::wire::{ApiError, TransactionBody};

const MIN_PASSWORD_LENGTH: usize = 8;

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

/// What Okta's default password policy would say about a new password, if anything.
pub(crate) fn password_problem(
    new_password: &str,
    old_password: &str,
    login: &str,
) -> Option<String> {
    let local_part = login.split('@').next().unwrap_or(login);
    if new_password.chars().count() < MIN_PASSWORD_LENGTH
        || !new_password.chars().any(|c| c.is_ascii_lowercase())
        || !new_password.chars().any(|c| c.is_ascii_uppercase())
        || !new_password.chars().any(|c| c.is_ascii_digit())
    {
        return Some(
            "Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number."
                .into(),
        );
    }
    if new_password == old_password {
        return Some("Password cannot be your current password.".into());
    }
    if !local_part.is_empty()
        && new_password
            .to_ascii_lowercase()
            .contains(&local_part.to_ascii_lowercase())
    {
        return Some(
            "Password requirements were not met. Password cannot contain part of your username."
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_explain_themselves() {
        assert!(password_problem("short", "old", "a@b").is_some());
        assert!(password_problem("Fresh-Pa55word!", "Fresh-Pa55word!", "a@b").is_some());
        assert!(password_problem("Nomfa-Pa55word", "old", "nomfa@demo.test").is_some());
        assert_eq!(
            password_problem("Fresh-Pa55word!", "old", "nomfa@demo.test"),
            None
        );
    }
}
