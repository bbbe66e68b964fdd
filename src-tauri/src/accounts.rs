//! Remembered accounts through the OS keychain, off the UI thread and the async workers.
//!
//! Keychain calls block (D-Bus round trips, unlock prompts), so every call runs on Tauri's
//! blocking pool. A keychain that is missing or locked is not an app failure: callers turn
//! the error into a calm banner, and sign-in works on without it.

use std::sync::{Arc, Mutex};

use oktadesk_accounts::{Account, AccountId, AccountStore, AccountsError, KeychainStore};
use oktadesk_signin_setup::{Choices, SignInSetup};

use crate::error::{Error, Result};

type OpenStore = dyn Fn() -> Result<Arc<dyn AccountStore>, AccountsError> + Send + Sync;

/// The account store, opened on first use.
#[derive(Clone)]
pub struct Accounts {
    inner: Arc<Inner>,
}

struct Inner {
    open: Box<OpenStore>,
    store: Mutex<Option<Arc<dyn AccountStore>>>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = self.inner.store.lock().ok().and_then(|store| store.clone());
        f.debug_struct("Accounts").field("store", &store).finish()
    }
}

impl Accounts {
    /// The platform keychain. Opening it waits for the first call, on the blocking pool.
    pub fn keychain() -> Self {
        Self::opened_by(|| {
            KeychainStore::open().map(|store| Arc::new(store) as Arc<dyn AccountStore>)
        })
    }

    /// A given store, such as `MemoryStore` in tests or where no keychain can run.
    pub fn with_store(store: Arc<dyn AccountStore>) -> Self {
        Self::opened_by(move || Ok(store.clone()))
    }

    fn opened_by(
        open: impl Fn() -> Result<Arc<dyn AccountStore>, AccountsError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                open: Box::new(open),
                store: Mutex::new(None),
            }),
        }
    }

    /// Runs `operation` on the store on the blocking pool.
    pub async fn call<T, F>(&self, operation: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn AccountStore) -> Result<T, AccountsError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let store = inner.store()?;
            operation(store.as_ref()).map_err(Error::from)
        })
        .await
        .map_err(Error::internal)?
    }

    /// The remembered account `id`, if any. A keychain that cannot be read gives none: the
    /// sign-in then goes on with what the page said (as a new device, which costs an MFA).
    pub async fn stored(&self, id: AccountId) -> Option<Account> {
        match self.call(move |store| store.get(&id)).await {
            Ok(account) => account,
            Err(error) => {
                tracing::info!(
                    kind = error.kind(),
                    "the remembered account could not be read"
                );
                None
            }
        }
    }

    /// The setup of a sign-in to `typed` with `choices`, merged with what the keychain
    /// remembers of that account: the engine and OktaDesk app found when it was added, its
    /// preferences, and the device cookie an earlier sign-in left (so a device the person had
    /// remembered is recognised). Without a keychain it goes on with what the page said.
    pub async fn setup(&self, typed: Account, choices: Choices) -> Result<SignInSetup> {
        let stored = self.stored(typed.id().clone()).await;
        Ok(SignInSetup::new(typed, stored, choices)?)
    }

    /// Turns "send the push as soon as the password is accepted" on or off for an account.
    pub async fn set_auto_push(&self, id: AccountId, enabled: bool) -> Result<Account> {
        self.call(move |store| {
            let mut account = store
                .get(&id)?
                .ok_or_else(|| AccountsError::AccountNotFound { id: id.to_string() })?;
            account.auto_push = enabled;
            store.save(&account)?;
            Ok(account)
        })
        .await
    }
}

impl Inner {
    /// The open store. A failed open is not kept: the user may start their keyring and try
    /// again without restarting OktaDesk.
    fn store(&self) -> Result<Arc<dyn AccountStore>> {
        let mut slot = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = (self.open)()?;
        *slot = Some(store.clone());
        Ok(store)
    }
}
