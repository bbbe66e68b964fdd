//! `oktadesk-cli accounts list|forget`, and the keychain lookups `signin` makes, on the same
//! keychain store as the desktop app.

use clap::{Args, Subcommand};
use oktadesk_accounts::{Account, AccountId, AccountList, AccountStore, KeychainStore};
use oktadesk_signin_setup::SignedIn;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::exit::{CliError, Exit};
use crate::output::{self, DIM, STRONG, WARN};

#[derive(Debug, Args)]
pub(crate) struct AccountsArgs {
    #[command(subcommand)]
    command: AccountsCommand,
}

#[derive(Debug, Subcommand)]
enum AccountsCommand {
    /// List the remembered accounts (org URL and username; no secret is ever stored).
    List {
        /// One JSON object on stdout instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Forget a remembered account: its label, username or id (see `accounts list`).
    Forget {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        account: Option<String>,
        /// Forget every remembered OktaDesk account (nothing else in the keychain).
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
}

impl AccountsArgs {
    pub(crate) fn json(&self) -> bool {
        match &self.command {
            AccountsCommand::List { json } | AccountsCommand::Forget { json, .. } => *json,
        }
    }
}

pub(crate) async fn run(args: AccountsArgs) -> Result<(), CliError> {
    match args.command {
        AccountsCommand::List { json } => list(json).await,
        AccountsCommand::Forget { account, all, json } => forget(account, all, json).await,
    }
}

/// Runs a keychain call on a blocking thread: keychain calls wait on D-Bus or OS prompts.
pub(crate) async fn with_store<T: Send + 'static>(
    call: impl FnOnce(&KeychainStore) -> Result<T, CliError> + Send + 'static,
) -> Result<T, CliError> {
    tokio::task::spawn_blocking(move || {
        let store = KeychainStore::open()?;
        call(&store)
    })
    .await
    .map_err(|error| {
        CliError::new(
            Exit::Other,
            "keychain_error",
            format!("The keychain call stopped unexpectedly ({error}). Try again."),
        )
    })?
}

/// The one remembered account that `wanted` names: its label, username or id.
pub(crate) fn find(list: &AccountList, wanted: &str) -> Result<Account, CliError> {
    let wanted = wanted.trim();
    let by_id: Vec<&Account> = list
        .accounts
        .iter()
        .filter(|account| account.id().as_str() == wanted)
        .collect();
    let matches: Vec<&Account> = if by_id.is_empty() {
        list.accounts
            .iter()
            .filter(|account| {
                account.label.eq_ignore_ascii_case(wanted)
                    || account.username().as_str().eq_ignore_ascii_case(wanted)
            })
            .collect()
    } else {
        by_id
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(CliError::new(
            Exit::Usage,
            "account_not_found",
            format!(
                "No remembered account is called \"{wanted}\". Run `oktadesk-cli accounts list` to see them, or sign in with --org and --user."
            ),
        )),
        several => Err(CliError::new(
            Exit::Usage,
            "ambiguous_account",
            format!(
                "\"{wanted}\" matches {} remembered accounts ({}). Give the account id instead.",
                several.len(),
                several
                    .iter()
                    .map(|account| account.id().as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
    }
}

/// Remembers a successful sign-in (org URL, username and a new account's choices, Okta's
/// device cookie; never a secret).
pub(crate) async fn remember(signed_in: SignedIn) -> Result<Account, CliError> {
    with_store(move |store| Ok(signed_in.remember_in(store, OffsetDateTime::now_utc())?)).await
}

pub(crate) fn account_json(account: &Account) -> serde_json::Value {
    json!({
        "id": account.id(),
        "label": account.label,
        "org": account.org(),
        "username": account.username(),
        "preferredFactor": account.preferred_factor,
        "autoPush": account.auto_push,
        "engine": account.engine,
        "lastSuccess": account.last_success.and_then(|at| at.format(&Rfc3339).ok()),
    })
}

async fn list(json: bool) -> Result<(), CliError> {
    let list = with_store(|store| Ok(store.list()?)).await?;
    if json {
        output::json_line(&json!({
            "accounts": list.accounts.iter().map(account_json).collect::<Vec<_>>(),
            "unreadable": list.unreadable,
        }));
        return Ok(());
    }
    if list.accounts.is_empty() && list.unreadable.is_empty() {
        output::say(
            "No account is remembered. Sign in with `oktadesk-cli signin --remember` to remember one.",
        );
        return Ok(());
    }
    for account in &list.accounts {
        let last = account
            .last_success
            .and_then(|at| at.format(&Rfc3339).ok())
            .map(|at| format!("last signed in {at}"))
            .unwrap_or_else(|| "never signed in".into());
        output::say(&format!(
            "{}  {} at {}  {}",
            output::styled(STRONG, &account.label),
            account.username(),
            account.org(),
            output::styled(DIM, &last)
        ));
    }
    for unreadable in &list.unreadable {
        output::say(&format!(
            "{} {unreadable}",
            output::styled(WARN, "warning:")
        ));
    }
    Ok(())
}

async fn forget(account: Option<String>, all: bool, json: bool) -> Result<(), CliError> {
    if all {
        let forgotten = with_store(|store| Ok(store.forget_all()?)).await?;
        if json {
            output::json_line(&json!({ "forgotten": forgotten }));
        } else {
            output::say(&format!("Forgot {forgotten} remembered account(s)."));
        }
        return Ok(());
    }
    let wanted = account.unwrap_or_default();
    let forgotten = with_store(move |store| {
        let list = store.list()?;
        // An unreadable item can only be named by its id; forget it as asked.
        let id = match find(&list, &wanted) {
            Ok(account) => account.id().clone(),
            Err(_) if list.unreadable.iter().any(|entry| entry.entry == wanted) => {
                AccountId::from_string(wanted.clone())
            }
            Err(error) => return Err(error),
        };
        store.forget(&id)?;
        Ok(id)
    })
    .await?;
    if json {
        output::json_line(&json!({ "forgotten": 1, "id": forgotten }));
    } else {
        output::say(&format!("Forgot {forgotten}."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oktadesk_accounts::MemoryStore;
    use oktadesk_core::FactorKind;

    fn list() -> AccountList {
        let store = MemoryStore::new();
        let now = OffsetDateTime::now_utc();
        store
            .remember_sign_in(
                Account::new("https://acme.okta.com", "ada@acme.com").unwrap(),
                now,
            )
            .unwrap();
        store
            .remember_sign_in(
                Account::new("https://globex.okta.com", "ada@acme.com").unwrap(),
                now,
            )
            .unwrap();
        let mut work = store
            .remember_sign_in(
                Account::new("https://acme.okta.com", "bob@acme.com").unwrap(),
                now,
            )
            .unwrap();
        work.set_label("Work").unwrap();
        work.preferred_factor = Some(FactorKind::Push);
        store.save(&work).unwrap();
        store.list().unwrap()
    }

    #[test]
    fn finds_by_label_username_or_id() {
        let list = list();
        assert_eq!(find(&list, "work").unwrap().username(), "bob@acme.com");
        assert_eq!(find(&list, "bob@acme.com").unwrap().label, "Work");
        let by_id = find(&list, "ada@acme.com at https://globex.okta.com").unwrap();
        assert_eq!(by_id.org().to_string(), "https://globex.okta.com");
        let ambiguous = find(&list, "ada@acme.com").unwrap_err();
        assert_eq!(ambiguous.kind, "ambiguous_account");
        assert_eq!(find(&list, "nobody").unwrap_err().exit, Exit::Usage);
    }
}
