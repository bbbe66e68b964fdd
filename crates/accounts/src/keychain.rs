//! Accounts in the OS keychain through keyring-core and the platform's native store.
//!
//! One keychain item per account: service `OktaDesk`, account name = the [`AccountId`],
//! contents = the account's JSON record (org URL, username, label, preferences; nothing
//! secret). Listing searches for the service, so no separate index can drift out of date.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use crate::account::{Account, AccountId};
use crate::error::{AccountsError, Result};
use crate::store::{self, AccountList, AccountStore, Backend, RawItem};

/// The keychain service name of every OktaDesk item.
pub const SERVICE: &str = "OktaDesk";

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
    pub fn open() -> Result<Self> {
        let store = platform::open().map_err(platform::classify)?;
        Ok(Self {
            backend: KeyringBackend { store },
        })
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
        let label = format!("{SERVICE} account {id}");
        let modifiers = platform::creation_modifiers(&label);
        self.store
            .build(SERVICE, id, modifiers.as_ref())
            .map_err(platform::classify)
    }
}

impl Backend for KeyringBackend {
    fn list(&self) -> Result<Vec<RawItem>> {
        let spec = platform::search_spec();
        let found = self.store.search(&spec).map_err(platform::classify)?;
        let mut items = Vec::with_capacity(found.len());
        for entry in found {
            // Searches can be broader than our service (Windows matches a pattern), and an
            // item without specifiers is not one OktaDesk wrote.
            let Some((service, id)) = entry.get_specifiers() else {
                continue;
            };
            if service != SERVICE {
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

        pub(in super::super) fn search_spec() -> HashMap<&'static str, &'static str> {
            HashMap::from([("service", SERVICE)])
        }

        /// The Secret Service shows item labels in Seahorse and KWallet; name ours.
        pub(in super::super) fn creation_modifiers(label: &str) -> Option<HashMap<&str, &str>> {
            Some(HashMap::from([("label", label)]))
        }

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

        pub(in super::super) fn search_spec() -> HashMap<&'static str, &'static str> {
            HashMap::from([("service", SERVICE)])
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

    #[cfg(target_os = "windows")]
    mod imp {
        use super::*;

        /// Credential Manager names items `{user}.{service}`; search by that suffix.
        const TARGET_SUFFIX_PATTERN: &str = r"\.OktaDesk$";

        pub(in super::super) fn open() -> keyring_core::Result<Arc<CredentialStore>> {
            let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
            Ok(store)
        }

        pub(in super::super) fn search_spec() -> HashMap<&'static str, &'static str> {
            HashMap::from([("pattern", TARGET_SUFFIX_PATTERN)])
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

        pub(in super::super) fn search_spec() -> HashMap<&'static str, &'static str> {
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
