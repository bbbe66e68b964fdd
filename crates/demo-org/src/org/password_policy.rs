//! The org's password policy, one for both engines: how long and how varied a new password
//! must be, that it leaves out the username, and that it is none of the last few. Self-service
//! password reset enforces all of it; the Classic `PASSWORD_RESET` answer shows it as
//! `_embedded.policy` and the Identity Engine `reset-authenticator` as the password
//! authenticator's `settings`. Changing an expired or expiring password (both engines) checks
//! Okta's default policy instead ([`password_problem`]).

use serde_json::{Value, json};
use zeroize::Zeroizing;

/// The shortest new password an expired or expiring one may be changed to.
const MIN_PASSWORD_LENGTH: usize = 8;

/// The demo org's password policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PasswordPolicy {
    pub min_length: u32,
    pub min_lower_case: u32,
    pub min_upper_case: u32,
    pub min_number: u32,
    pub min_symbol: u32,
    pub exclude_username: bool,
    pub min_age_minutes: u32,
    /// How many passwords back a new one may not repeat (the current one included).
    pub history_count: u32,
}

/// What the org's policy says; Okta's default policy plus a history of four.
pub(crate) const ORG_POLICY: PasswordPolicy = PasswordPolicy {
    min_length: 8,
    min_lower_case: 1,
    min_upper_case: 1,
    min_number: 1,
    min_symbol: 0,
    exclude_username: true,
    min_age_minutes: 0,
    history_count: 4,
};

/// A new password the policy refuses: the sentence Okta puts in the error's cause (Classic
/// `errorCauses[0].errorSummary`, IDX the message on the password input) and the
/// requirements alone (the IDX message's `i18n.params[0]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PolicyRefusal {
    pub cause: String,
    pub requirements: String,
}

impl PasswordPolicy {
    /// Checks `new_password` for the user `login`, whose current password is `current` and
    /// whose earlier ones are `history` (oldest first).
    pub(crate) fn check(
        &self,
        new_password: &str,
        login: &str,
        current: &str,
        history: &[Zeroizing<String>],
    ) -> Result<(), PolicyRefusal> {
        let count = |test: fn(&char) -> bool| new_password.chars().filter(test).count();
        let too_plain = count_below(new_password.chars().count(), self.min_length)
            || count_below(count(char::is_ascii_lowercase), self.min_lower_case)
            || count_below(count(char::is_ascii_uppercase), self.min_upper_case)
            || count_below(count(char::is_ascii_digit), self.min_number)
            || count_below(
                count(|c| !c.is_ascii_alphanumeric() && !c.is_whitespace()),
                self.min_symbol,
            );
        let local_part = login
            .split('@')
            .next()
            .unwrap_or(login)
            .to_ascii_lowercase();
        let has_username = self.exclude_username
            && !local_part.is_empty()
            && new_password.to_ascii_lowercase().contains(&local_part);
        let earlier = usize::try_from(self.history_count.saturating_sub(1)).unwrap_or(0);
        let reused = self.history_count > 0
            && (new_password == current
                || history
                    .iter()
                    .rev()
                    .take(earlier)
                    .any(|old| old.as_str() == new_password));
        if too_plain || has_username || reused {
            let requirements = self.requirements();
            return Err(PolicyRefusal {
                cause: format!("Password requirements were not met. {requirements}"),
                requirements,
            });
        }
        Ok(())
    }

    /// The requirements in a sentence, as Okta lists them.
    pub(crate) fn requirements(&self) -> String {
        let mut parts = vec![format!("at least {} characters", self.min_length)];
        for (minimum, what) in [
            (self.min_lower_case, "a lowercase letter"),
            (self.min_upper_case, "an uppercase letter"),
            (self.min_number, "a number"),
            (self.min_symbol, "a symbol"),
        ] {
            if minimum > 0 {
                parts.push(what.to_owned());
            }
        }
        if self.exclude_username {
            parts.push("no parts of your username".to_owned());
        }
        let mut sentence = format!("Password requirements: {}.", parts.join(", "));
        if self.history_count > 0 {
            sentence.push_str(&format!(
                " Your password cannot be any of your last {} passwords.",
                self.history_count
            ));
        }
        sentence
    }

    /// The policy as the Identity Engine password authenticator's `settings`.
    pub(crate) fn idx_settings(&self) -> Value {
        json!({
            "complexity": {
                "minLength": self.min_length,
                "minLowerCase": self.min_lower_case,
                "minUpperCase": self.min_upper_case,
                "minNumber": self.min_number,
                "minSymbol": self.min_symbol,
                "excludeUsername": self.exclude_username,
                "excludeAttributes": [],
            },
            "age": { "minAgeMinutes": self.min_age_minutes, "historyCount": self.history_count },
        })
    }
}

fn count_below(count: usize, minimum: u32) -> bool {
    u32::try_from(count).unwrap_or(u32::MAX) < minimum
}

/// Keeps `old` among the user's earlier passwords, as many as the policy remembers.
pub(crate) fn remember(history: &mut Vec<Zeroizing<String>>, old: Zeroizing<String>) {
    history.push(old);
    let keep = usize::try_from(ORG_POLICY.history_count).unwrap_or(0);
    let over = history.len().saturating_sub(keep);
    history.drain(..over);
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

    fn check(new: &str, history: &[&str]) -> Result<(), PolicyRefusal> {
        let history: Vec<_> = history
            .iter()
            .map(|old| Zeroizing::new((*old).to_owned()))
            .collect();
        ORG_POLICY.check(new, "forgot@demo.test", "Current-Pa55", &history)
    }

    #[test]
    fn each_rule_refuses_with_the_whole_list() {
        for weak in [
            "Sh0rt",
            "nouppercase1",
            "NOLOWERCASE1",
            "NoNumbersHere",
            "Forgot-Pa55word",
        ] {
            let refusal = check(weak, &[]).unwrap_err();
            assert!(
                refusal
                    .cause
                    .starts_with("Password requirements were not met. ")
            );
            assert!(refusal.cause.ends_with(&refusal.requirements));
        }
        assert_eq!(
            ORG_POLICY.requirements(),
            "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords."
        );
    }

    #[test]
    fn the_last_four_passwords_may_not_come_back() {
        assert!(check("Current-Pa55", &[]).is_err(), "the current one");
        assert!(check("Older-Pa55", &["Oldest-Pa55", "Older-Pa55"]).is_err());
        assert!(
            check(
                "Oldest-Pa55",
                &["Oldest-Pa55", "A-Pa55x", "B-Pa55x", "C-Pa55x"]
            )
            .is_ok()
        );
        assert!(check("Fresh-Pa55word", &[]).is_ok());
    }

    #[test]
    fn history_keeps_what_the_policy_remembers() {
        let mut history = Vec::new();
        for n in 0..6 {
            remember(&mut history, Zeroizing::new(format!("P{n}")));
        }
        assert_eq!(history.len(), 4);
        assert_eq!(history[0].as_str(), "P2");
    }

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
