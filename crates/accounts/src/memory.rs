//! An in-memory store: the stand-in where no platform keychain can run, and for tests of
//! code that uses a store.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use crate::account::{Account, AccountId};
use crate::error::{AccountsError, Result};
use crate::store::{self, AccountList, AccountStore, Backend, RawItem};

/// A failure [`MemoryStore`] can be told to report, to test how callers handle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SimulatedFailure {
    NoKeychain,
    KeychainLocked,
    Keychain,
}

impl SimulatedFailure {
    fn to_error(self) -> AccountsError {
        let detail = "simulated by MemoryStore".to_owned();
        match self {
            Self::NoKeychain => AccountsError::NoKeychain { detail },
            Self::KeychainLocked => AccountsError::KeychainLocked { detail },
            Self::Keychain => AccountsError::Keychain { detail },
        }
    }
}

/// Accounts kept in process memory, with the same semantics as the keychain store
/// (stored form, corruption handling, ordering). Forgotten when the process exits.
#[derive(Debug, Default)]
pub struct MemoryStore {
    backend: MemoryBackend,
}

#[derive(Debug, Default)]
struct MemoryBackend {
    items: Mutex<BTreeMap<String, Vec<u8>>>,
    failure: Mutex<Option<SimulatedFailure>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every following call fail with `failure`, or work again with `None`.
    pub fn simulate_failure(&self, failure: Option<SimulatedFailure>) {
        *lock(&self.backend.failure) = failure;
    }

    /// Stores raw bytes under `id`, bypassing validation: how tests plant a corrupted item.
    pub fn insert_raw(&self, id: &AccountId, bytes: impl Into<Vec<u8>>) {
        lock(&self.backend.items).insert(id.as_str().to_owned(), bytes.into());
    }

    /// The raw bytes stored under `id`, to check that an item was left untouched.
    pub fn raw(&self, id: &AccountId) -> Option<Vec<u8>> {
        lock(&self.backend.items).get(id.as_str()).cloned()
    }
}

impl MemoryBackend {
    fn check(&self) -> Result<()> {
        match *lock(&self.failure) {
            Some(failure) => Err(failure.to_error()),
            None => Ok(()),
        }
    }
}

// A panic while holding the lock cannot leave the map half-updated (every update is a single
// insert or remove), so a poisoned lock is still safe to use.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Backend for MemoryBackend {
    fn list(&self) -> Result<Vec<RawItem>> {
        self.check()?;
        Ok(lock(&self.items)
            .iter()
            .map(|(id, bytes)| RawItem {
                id: id.clone(),
                contents: Ok(bytes.clone()),
            })
            .collect())
    }

    fn read(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.check()?;
        Ok(lock(&self.items).get(id).cloned())
    }

    fn write(&self, id: &str, bytes: &[u8]) -> Result<()> {
        self.check()?;
        lock(&self.items).insert(id.to_owned(), bytes.to_vec());
        Ok(())
    }

    fn delete(&self, id: &str) -> Result<bool> {
        self.check()?;
        Ok(lock(&self.items).remove(id).is_some())
    }
}

impl AccountStore for MemoryStore {
    fn list(&self) -> Result<AccountList> {
        store::list(&self.backend)
    }

    fn get(&self, id: &AccountId) -> Result<Option<Account>> {
        store::get(&self.backend, id)
    }

    fn save(&self, account: &Account) -> Result<()> {
        store::save(&self.backend, account)
    }

    fn forget(&self, id: &AccountId) -> Result<bool> {
        self.backend.delete(id.as_str())
    }

    fn forget_all(&self) -> Result<usize> {
        store::forget_all(&self.backend)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use oktadesk_core::FactorKind;

    const ACME: &str = "https://acme.okta.com";
    const GLOBEX: &str = "https://globex.okta.com";

    #[test]
    fn remembers_several_accounts_most_recent_first() {
        let store = MemoryStore::new();
        store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-01 10:00 UTC),
            )
            .unwrap();
        store
            .remember_sign_in(
                Account::new(ACME, "joe").unwrap(),
                datetime!(2026-11-03 10:00 UTC),
            )
            .unwrap();
        store
            .remember_sign_in(
                Account::new(GLOBEX, "jane").unwrap(),
                datetime!(2026-11-02 10:00 UTC),
            )
            .unwrap();
        let list = store.list().unwrap();
        let order: Vec<(String, &str)> = list
            .accounts
            .iter()
            .map(|a| (a.org().to_string(), a.username().as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (ACME.to_owned(), "joe"),
                (GLOBEX.to_owned(), "jane"),
                (ACME.to_owned(), "jane")
            ]
        );
        assert!(list.unreadable.is_empty());
    }

    #[test]
    fn signing_in_again_keeps_label_and_preferences() {
        let store = MemoryStore::new();
        let first = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-01 10:00 UTC),
            )
            .unwrap();
        let mut account = store.rename_label(first.id(), "Work").unwrap();
        account.preferred_factor = Some(FactorKind::Push);
        account.auto_push = true;
        store.save(&account).unwrap();

        let again = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-05 10:00 UTC),
            )
            .unwrap();
        assert_eq!(again.label, "Work");
        assert!(again.auto_push);
        assert_eq!(again.preferred_factor, Some(FactorKind::Push));
        assert_eq!(again.last_success, Some(datetime!(2026-11-05 10:00 UTC)));
        assert_eq!(store.list().unwrap().accounts, [again]);
    }

    #[test]
    fn the_engine_a_sign_in_found_is_remembered_and_an_unknown_one_keeps_the_last() {
        use oktadesk_core::Engine;
        let store = MemoryStore::new();
        let mut signed_in = Account::new(ACME, "jane").unwrap();
        signed_in.engine = Some(Engine::Classic);
        let first = store
            .remember_sign_in(signed_in, datetime!(2026-11-01 10:00 UTC))
            .unwrap();
        assert_eq!(first.engine, Some(Engine::Classic));
        let unknown = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-02 10:00 UTC),
            )
            .unwrap();
        assert_eq!(unknown.engine, Some(Engine::Classic));
        let mut upgraded = Account::new(ACME, "jane").unwrap();
        upgraded.engine = Some(Engine::IdentityEngine);
        let again = store
            .remember_sign_in(upgraded, datetime!(2026-11-03 10:00 UTC))
            .unwrap();
        assert_eq!(again.engine, Some(Engine::IdentityEngine));
        let rechecked = store.record_engine(again.id(), None).unwrap();
        assert_eq!(store.get(rechecked.id()).unwrap().unwrap().engine, None);
    }

    #[test]
    fn the_device_cookie_a_sign_in_left_replaces_the_last_and_none_keeps_it() {
        use oktadesk_core::DeviceToken;
        let store = MemoryStore::new();
        let mut signed_in = Account::new(ACME, "jane").unwrap();
        signed_in.set_device_token(DeviceToken::parse("first"));
        store
            .remember_sign_in(signed_in, datetime!(2026-11-01 10:00 UTC))
            .unwrap();
        let kept = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-02 10:00 UTC),
            )
            .unwrap();
        assert_eq!(kept.device_token().unwrap().expose(), "first");
        let mut renewed = Account::new(ACME, "jane").unwrap();
        renewed.set_device_token(DeviceToken::parse("second"));
        let account = store
            .remember_sign_in(renewed, datetime!(2026-11-03 10:00 UTC))
            .unwrap();
        let stored = store.get(account.id()).unwrap().unwrap();
        assert_eq!(stored.device_token().unwrap().expose(), "second");
    }

    #[test]
    fn a_new_account_is_remembered_with_the_choices_it_signed_in_with() {
        let store = MemoryStore::new();
        let mut signed_in = Account::new(ACME, "jane").unwrap();
        signed_in.auto_push = true;
        let remembered = store
            .remember_sign_in(signed_in, datetime!(2026-11-01 10:00 UTC))
            .unwrap();
        assert!(remembered.auto_push);
        assert!(store.get(remembered.id()).unwrap().unwrap().auto_push);
        // Once remembered, the stored choices stand: they change through the account itself.
        let again = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-02 10:00 UTC),
            )
            .unwrap();
        assert!(again.auto_push);
        assert_eq!(
            again.flow_options().preferred_factor,
            Some(FactorKind::Push)
        );
    }

    #[test]
    fn forget_one_and_forget_all() {
        let store = MemoryStore::new();
        let jane = Account::new(ACME, "jane").unwrap();
        let joe = Account::new(ACME, "joe").unwrap();
        store.save(&jane).unwrap();
        store.save(&joe).unwrap();
        assert!(store.forget(jane.id()).unwrap());
        assert!(!store.forget(jane.id()).unwrap());
        assert_eq!(store.list().unwrap().accounts, [joe]);
        store.insert_raw(&AccountId::from_string("broken"), "garbage");
        assert_eq!(store.forget_all().unwrap(), 2);
        assert_eq!(store.list().unwrap(), AccountList::default());
    }

    #[test]
    fn corrupted_item_is_reported_and_never_overwritten() {
        let store = MemoryStore::new();
        let good = Account::new(GLOBEX, "ann").unwrap();
        store.save(&good).unwrap();
        let account = Account::new(ACME, "jane").unwrap();
        store.insert_raw(account.id(), "{not json");

        let list = store.list().unwrap();
        assert_eq!(list.accounts, [good]);
        assert_eq!(list.unreadable.len(), 1);
        assert_eq!(list.unreadable[0].entry, account.id().as_str());

        let error = store.save(&account).unwrap_err();
        assert_eq!(error.kind(), "corrupted_entry");
        let error = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-05 10:00 UTC),
            )
            .unwrap_err();
        assert_eq!(error.kind(), "corrupted_entry");
        assert_eq!(
            store.get(account.id()).unwrap_err().kind(),
            "corrupted_entry"
        );
        assert_eq!(store.raw(account.id()).unwrap(), b"{not json");

        // Forgetting is the explicit way out.
        assert!(store.forget(account.id()).unwrap());
        store.save(&account).unwrap();
    }

    #[test]
    fn renaming_an_unknown_account_says_so() {
        let store = MemoryStore::new();
        let error = store
            .rename_label(&AccountId::from_string("nobody"), "x")
            .unwrap_err();
        assert_eq!(error.kind(), "account_not_found");
    }

    #[test]
    fn simulated_failures_surface_as_typed_errors() {
        let store = MemoryStore::new();
        store.simulate_failure(Some(SimulatedFailure::NoKeychain));
        assert_eq!(store.list().unwrap_err().kind(), "no_keychain");
        store.simulate_failure(Some(SimulatedFailure::KeychainLocked));
        let error = store
            .remember_sign_in(
                Account::new(ACME, "jane").unwrap(),
                datetime!(2026-11-05 10:00 UTC),
            )
            .unwrap_err();
        assert_eq!(error.kind(), "keychain_locked");
        store.simulate_failure(None);
        assert!(store.list().unwrap().accounts.is_empty());
    }
}
