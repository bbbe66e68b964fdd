//! Accounts in the OS keychain through keyring-core and the platform's native store.
//!
//! One keychain item per account: service [`SERVICE`] (`dev.oktadesk.desktop`), account
//! name = the [`AccountId`], contents = the account's JSON record (org URL, username, label,
//! preferences; nothing secret). Listing searches for the service, so no separate index can
//! drift out of date. Items saved under the old service name `OktaDesk` move to the new one
//! when the keychain is opened.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use crate::account::{Account, AccountId};
use crate::error::{AccountsError, Result};
use crate::service_name::{LEGACY_SERVICE, SERVICE};
use crate::store::{self, AccountList, AccountStore, Backend, RawItem};

/// Accounts in the platform keychain: macOS Keychain, Windows Credential Manager, or the
/// Secret Service (GNOME Keyring, KWallet, …) on Linux.
///
/// Blocking, like every [`AccountStore`]; see there.
pub struct KeychainStore {
    backend: KeyringBackend,
}

impl std::fmt::Debug for KeychainStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeychainStore")
            .field("store", &self.backend.store)
            .finish()
    }
}

impl KeychainStore {
    /// Connects to the platform keychain. Blocks.
    ///
    /// On Linux this reads `DBUS_SESSION_BUS_ADDRESS` and opens a Secret Service session
    /// now, so "no keychain" is reported here ([`AccountsError::NoKeychain`]) rather than
    /// on first use. Open it again later to retry after the user started their keyring.
    ///
    /// Items saved under [`LEGACY_SERVICE`] move to [`SERVICE`] here, once: each is
    /// written under the new name before the old one is deleted, an account already saved
    /// under the new name wins, and an item whose data cannot be read stays where it is.
    pub fn open() -> Result<Self> {
        let store = platform::open().map_err(platform::classify)?;
        let backend = KeyringBackend { store };
        let moved = backend.move_legacy_items()?;
        if moved > 0 {
            tracing::info!(
                moved,
                "moved accounts saved under the old keychain service name"
            );
        }
        Ok(Self { backend })
    }
}

impl AccountStore for KeychainStore {
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

struct KeyringBackend {
    store: Arc<CredentialStore>,
}

impl KeyringBackend {
    fn entry(&self, id: &str) -> Result<Entry> {
        self.entry_in(SERVICE, id)
    }

    fn entry_in(&self, service: &str, id: &str) -> Result<Entry> {
        let label = format!("OktaDesk account {id}");
        let modifiers = platform::creation_modifiers(&label);
        self.store
            .build(service, id, modifiers.as_ref())
            .map_err(platform::classify)
    }

    /// Moves every readable item from [`LEGACY_SERVICE`] to [`SERVICE`]; returns how many.
    fn move_legacy_items(&self) -> Result<usize> {
        let mut moved = 0;
        for item in self.search(LEGACY_SERVICE)? {
            let Ok(bytes) = item.contents else {
                continue;
            };
            if self.read(&item.id)?.is_none() {
                self.write(&item.id, &bytes)?;
            }
            match self.entry_in(LEGACY_SERVICE, &item.id)?.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => moved += 1,
                Err(error) => return Err(platform::classify(error)),
            }
        }
        Ok(moved)
    }

    /// The items of `service`, with their data or why it cannot be read.
    fn search(&self, service: &str) -> Result<Vec<RawItem>> {
        let spec = platform::search_spec(service);
        let spec: HashMap<&str, &str> = spec
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect();
        let found = self.store.search(&spec).map_err(platform::classify)?;
        let mut items = Vec::with_capacity(found.len());
        for entry in found {
            // Searches can be broader than one service (Windows matches a pattern), and an
            // item without specifiers is not one OktaDesk wrote.
            let Some((found_service, id)) = entry.get_specifiers() else {
                continue;
            };
            if found_service != service {
                continue;
            }
            let contents = match entry.get_secret() {
                Ok(bytes) => Ok(bytes),
                // Forgotten by another process between the search and the read.
                Err(KeyringError::NoEntry) => continue,
                Err(KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..)) => {
                    Err("the keychain item's data is malformed".to_owned())
                }
                Err(error) => return Err(platform::classify(error)),
            };
            items.push(RawItem { id, contents });
        }
        Ok(items)
    }
}

impl Backend for KeyringBackend {
    fn list(&self) -> Result<Vec<RawItem>> {
        self.search(SERVICE)
    }

    fn read(&self, id: &str) -> Result<Option<Vec<u8>>> {
        match self.entry(id)?.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(KeyringError::Ambiguous(duplicates)) => Err(store::corrupted(
                id,
                format!(
                    "{} keychain items have this name, so OktaDesk cannot tell which is right",
                    duplicates.len()
                ),
            )),
            Err(KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..)) => Err(
                store::corrupted(id, "the keychain item's data is malformed".to_owned()),
            ),
            Err(error) => Err(platform::classify(error)),
        }
    }

    fn write(&self, id: &str, bytes: &[u8]) -> Result<()> {
        // Credential Manager's limits, said in words before the store refuses with "too long".
        #[cfg(target_os = "windows")]
        if let Some(reason) = crate::native::windows::refusal(id, SERVICE, bytes) {
            return Err(AccountsError::InvalidAccount { reason });
        }
        self.entry(id)?
            .set_secret(bytes)
            .map_err(platform::classify)
    }

    fn delete(&self, id: &str) -> Result<bool> {
        match self.entry(id)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            // Forgetting is explicit, so every item with this name goes.
            Err(KeyringError::Ambiguous(duplicates)) => {
                for duplicate in duplicates {
                    match duplicate.delete_credential() {
                        Ok(()) | Err(KeyringError::NoEntry) => {}
                        Err(error) => return Err(platform::classify(error)),
                    }
                }
                Ok(true)
            }
            Err(error) => Err(platform::classify(error)),
        }
    }
}

/// What differs per platform: which native store, how to search it, how to read its errors.
mod platform {
    use super::*;

    /// Errors every platform reports the same way; platform-specific ones are passed in.
    pub(super) fn classify_common(
        error: KeyringError,
        platform_failure: impl FnOnce(keyring_core::error::PlatformError) -> AccountsError,
    ) -> AccountsError {
        match error {
            KeyringError::NoStorageAccess(source) => AccountsError::KeychainLocked {
                detail: source.to_string(),
            },
            KeyringError::PlatformFailure(source) => platform_failure(source),
            KeyringError::NoDefaultStore => AccountsError::NoKeychain {
                detail: error.to_string(),
            },
            other => AccountsError::Keychain {
                detail: other.to_string(),
            },
        }
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    mod imp {
        use super::*;
        use dbus_secret_service::Error as ServiceError;

        /// D-Bus errors that mean "there is no bus" or "nobody provides the Secret Service".
        const NO_SERVICE_ERRORS: &[&str] = &[
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NameHasNoOwner",
            "org.freedesktop.DBus.Error.NoServer",
            "org.freedesktop.DBus.Error.FileNotFound",
            "org.freedesktop.DBus.Error.NotSupported",
            "org.freedesktop.DBus.Error.BadAddress",
            "org.freedesktop.DBus.Error.Disconnected",
            "org.freedesktop.DBus.Error.AccessDenied",
            "org.freedesktop.DBus.Error.UnknownObject",
        ];

        pub(in super::super) fn open() -> keyring_core::Result<Arc<CredentialStore>> {
            let store: Arc<CredentialStore> = dbus_secret_service_keyring_store::Store::new()?;
            Ok(store)
        }

        pub(in super::super) use crate::native::secret_service::{creation_modifiers, search_spec};

        pub(in super::super) fn classify(error: KeyringError) -> AccountsError {
            classify_common(error, |source| {
                let detail = source.to_string();
                match source.downcast_ref::<ServiceError>() {
                    Some(ServiceError::Unavailable) => AccountsError::NoKeychain { detail },
                    Some(ServiceError::Locked | ServiceError::Prompt) => {
                        AccountsError::KeychainLocked { detail }
                    }
                    Some(ServiceError::Dbus(dbus_error))
                        if dbus_error.name().is_some_and(|name| {
                            NO_SERVICE_ERRORS.contains(&name)
                                || name.starts_with("org.freedesktop.DBus.Error.Spawn")
                        }) =>
                    {
                        AccountsError::NoKeychain { detail }
                    }
                    _ => AccountsError::Keychain { detail },
                }
            })
        }
    }

    #[cfg(target_os = "macos")]
    mod imp {
        use super::*;

        pub(in super::super) fn open() -> keyring_core::Result<Arc<CredentialStore>> {
            let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
            Ok(store)
        }

        pub(in super::super) use crate::native::macos::{creation_modifiers, search_spec};

        pub(in super::super) fn classify(error: KeyringError) -> AccountsError {
            classify_common(error, |source| AccountsError::Keychain {
                detail: source.to_string(),
            })
        }
    }

    #[cfg(target_os = "windows")]
    mod imp {
        use super::*;

        pub(in super::super) fn open() -> keyring_core::Result<Arc<CredentialStore>> {
            let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
            Ok(store)
        }

        pub(in super::super) use crate::native::windows::{creation_modifiers, search_spec};

        pub(in super::super) fn classify(error: KeyringError) -> AccountsError {
            classify_common(error, |source| AccountsError::Keychain {
                detail: source.to_string(),
            })
        }
    }

    #[cfg(not(any(
        target_os = "macos",
        target_os = "windows",
        all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        )
    )))]
    mod imp {
        use super::*;

        pub(in super::super) fn open() -> keyring_core::Result<Arc<CredentialStore>> {
            Err(KeyringError::NoDefaultStore)
        }

        pub(in super::super) fn search_spec(_service: &str) -> HashMap<&str, String> {
            HashMap::new()
        }

        pub(in super::super) fn creation_modifiers(_label: &str) -> Option<HashMap<&str, &str>> {
            None
        }

        pub(in super::super) fn classify(error: KeyringError) -> AccountsError {
            classify_common(error, |source| AccountsError::Keychain {
                detail: source.to_string(),
            })
        }
    }

    pub(super) use imp::{classify, creation_modifiers, open, search_spec};
}
