//! The store interface and the account semantics every backend shares.

use std::cmp::Reverse;

use oktadesk_core::Engine;
use time::OffsetDateTime;

use crate::account::{self, Account, AccountId};
use crate::error::{AccountsError, CorruptedEntry, Result};

/// Remembered accounts.
///
/// Every method **blocks**: a keychain call can wait on D-Bus, on an unlock prompt the OS
/// shows, or on a slow disk. Call it from a blocking thread (`tokio::task::spawn_blocking`,
/// `tauri::async_runtime::spawn_blocking`), never from the UI thread or an async worker.
///
/// No method ever overwrites or deletes an item it cannot read, except an explicit
/// [`forget`](Self::forget) or [`forget_all`](Self::forget_all).
pub trait AccountStore: Send + Sync + std::fmt::Debug {
    /// Every remembered account, most recently used first, plus the items that could not
    /// be read (reported, left in place).
    fn list(&self) -> Result<AccountList>;

    /// One account; `Ok(None)` if it is not remembered.
    fn get(&self, id: &AccountId) -> Result<Option<Account>>;

    /// Saves `account`, replacing the stored one with the same id. Refuses (with
    /// [`AccountsError::CorruptedEntry`]) to replace an item it cannot read.
    fn save(&self, account: &Account) -> Result<()>;

    /// Forgets one account, readable or not. Returns whether there was anything to forget.
    fn forget(&self, id: &AccountId) -> Result<bool>;

    /// Forgets every OktaDesk account, readable or not, and nothing else in the keychain.
    /// Returns how many items were removed.
    fn forget_all(&self) -> Result<usize>;

    /// Records a successful sign-in of `signed_in`: updates the remembered account's last
    /// success time, keeping its label and preferences, or remembers `signed_in` as it is,
    /// with the choices it signed in with (auto-push, preferred factor). Call it only after
    /// the sign-in succeeded, so a mistyped username is never remembered. An engine the
    /// sign-in found (`signed_in.engine`) replaces the remembered one, and so do the device
    /// cookie it left and the OktaDesk app it went through; not knowing them keeps what was
    /// known.
    fn remember_sign_in(&self, signed_in: Account, at: OffsetDateTime) -> Result<Account> {
        let found_engine = signed_in.engine;
        let device_token = signed_in.device_token().cloned();
        let oidc_client = signed_in.oidc_client.clone();
        let mut account = self.get(signed_in.id())?.unwrap_or(signed_in);
        account.last_success = Some(at);
        if found_engine.is_some() {
            account.engine = found_engine;
        }
        if device_token.is_some() {
            account.set_device_token(device_token);
        }
        if oidc_client.is_some() {
            account.oidc_client = oidc_client;
        }
        self.save(&account)?;
        Ok(account)
    }

    /// Records the engine the account's org was found to run (when the account is added, or
    /// re-checked after a sign-in failed) and returns the updated account.
    fn record_engine(&self, id: &AccountId, engine: Option<Engine>) -> Result<Account> {
        let mut account = self
            .get(id)?
            .ok_or_else(|| AccountsError::AccountNotFound { id: id.to_string() })?;
        account.engine = engine;
        self.save(&account)?;
        Ok(account)
    }

    /// Renames an account's label and returns the updated account.
    fn rename_label(&self, id: &AccountId, label: &str) -> Result<Account> {
        let mut account = self
            .get(id)?
            .ok_or_else(|| AccountsError::AccountNotFound { id: id.to_string() })?;
        account.set_label(label)?;
        self.save(&account)?;
        Ok(account)
    }
}

/// The result of [`AccountStore::list`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AccountList {
    /// Readable accounts, most recently signed in first, then by label.
    pub accounts: Vec<Account>,
    /// OktaDesk items that could not be read; show them, never drop them silently.
    pub unreadable: Vec<CorruptedEntry>,
}

/// One OktaDesk item as a backend found it.
pub(crate) struct RawItem {
    pub(crate) id: String,
    /// The stored bytes, or why the backend could not even get them.
    pub(crate) contents: std::result::Result<Vec<u8>, String>,
}

/// Where the bytes live; the account semantics on top are shared by every store.
pub(crate) trait Backend: Send + Sync {
    fn list(&self) -> Result<Vec<RawItem>>;
    fn read(&self, id: &str) -> Result<Option<Vec<u8>>>;
    fn write(&self, id: &str, bytes: &[u8]) -> Result<()>;
    fn delete(&self, id: &str) -> Result<bool>;
}

pub(crate) fn list(backend: &dyn Backend) -> Result<AccountList> {
    let mut list = AccountList::default();
    for item in backend.list()? {
        let decoded = item
            .contents
            .and_then(|bytes| account::decode(&item.id, &bytes));
        match decoded {
            Ok(account) => list.accounts.push(account),
            Err(reason) => list.unreadable.push(CorruptedEntry {
                entry: item.id,
                reason,
            }),
        }
    }
    list.accounts.sort_by(|a, b| {
        (Reverse(a.last_success), a.label.to_lowercase(), a.id()).cmp(&(
            Reverse(b.last_success),
            b.label.to_lowercase(),
            b.id(),
        ))
    });
    list.unreadable.sort_by(|a, b| a.entry.cmp(&b.entry));
    Ok(list)
}

pub(crate) fn get(backend: &dyn Backend, id: &AccountId) -> Result<Option<Account>> {
    match backend.read(id.as_str())? {
        None => Ok(None),
        Some(bytes) => account::decode(id.as_str(), &bytes)
            .map(Some)
            .map_err(|reason| corrupted(id.as_str(), reason)),
    }
}

pub(crate) fn save(backend: &dyn Backend, account: &Account) -> Result<()> {
    // Read first: an item we cannot read may hold something the user wants back (or a newer
    // OktaDesk's data), so it is reported instead of replaced.
    get(backend, account.id())?;
    backend.write(account.id().as_str(), &account::encode(account))
}

pub(crate) fn forget_all(backend: &dyn Backend) -> Result<usize> {
    let mut forgotten = 0;
    for item in backend.list()? {
        if backend.delete(&item.id)? {
            forgotten += 1;
        }
    }
    Ok(forgotten)
}

pub(crate) fn corrupted(entry: &str, reason: String) -> AccountsError {
    AccountsError::CorruptedEntry(CorruptedEntry {
        entry: entry.to_owned(),
        reason,
    })
}
