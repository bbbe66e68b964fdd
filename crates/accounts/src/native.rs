//! How each platform's native store is asked for OktaDesk's items, and what it can hold.
//!
//! Each platform's keychain runs only on that platform, and the Linux machines the tests run
//! on have none but the Secret Service. So what differs per platform is spelled here as plain
//! functions, compiled on every system and tested on every system; `keychain.rs` uses the
//! ones of the platform it is built for. The spellings follow what each keyring-core store
//! accepts (its `parse_attributes` lists), which a wrong key turns into an error at run time.

use std::collections::HashMap;

/// The Secret Service (Linux, BSDs): `dbus-secret-service-keyring-store`.
#[cfg_attr(
    not(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )),
    allow(dead_code)
)]
pub(crate) mod secret_service {
    use super::*;

    pub(crate) fn search_spec(service: &str) -> HashMap<&'static str, String> {
        HashMap::from([("service", service.to_owned())])
    }

    /// Seahorse and KWallet show an item's label; name ours.
    pub(crate) fn creation_modifiers(label: &str) -> Option<HashMap<&'static str, &str>> {
        Some(HashMap::from([("label", label)]))
    }
}

/// The macOS login keychain: `apple-native-keyring-store`'s `keychain` store. Each account is
/// a generic password item: service [`crate::SERVICE`], account the [`crate::AccountId`],
/// data the JSON record. The store searches by `service` and `user` only, takes no creation
/// modifier but `keychain`, and refuses an empty service or account (an empty attribute
/// would match every item).
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub(crate) mod macos {
    use super::*;

    /// The search keys `apple-native-keyring-store` 1.x accepts.
    #[cfg(test)]
    pub(crate) const SEARCH_KEYS: &[&str] = &["service", "user"];

    pub(crate) fn search_spec(service: &str) -> HashMap<&'static str, String> {
        HashMap::from([("service", service.to_owned())])
    }

    /// The default (login) keychain, so none.
    pub(crate) fn creation_modifiers(_label: &str) -> Option<HashMap<&'static str, &str>> {
        None
    }
}

/// Windows Credential Manager: `windows-native-keyring-store`. An item is a generic
/// credential whose target name is `{account id}.{service}` and whose user name is the
/// account id; the store checks Windows' limits in UTF-8 bytes before it calls Windows.
#[cfg_attr(not(target_os = "windows"), allow(dead_code))]
pub(crate) mod windows {
    use super::*;

    /// `CRED_MAX_USERNAME_LENGTH`: the account id, in the bytes the store counts.
    pub(crate) const MAX_USER_BYTES: usize = 513;
    /// `CRED_MAX_CREDENTIAL_BLOB_SIZE`: the record.
    pub(crate) const MAX_SECRET_BYTES: usize = 5 * 512;
    /// `CRED_MAX_GENERIC_TARGET_NAME_LENGTH`: `{id}.{service}`.
    pub(crate) const MAX_TARGET_BYTES: usize = 32_767;

    /// The credential's target name, as the store makes it (default delimiters).
    pub(crate) fn target_name(id: &str, service: &str) -> String {
        format!("{id}.{service}")
    }

    /// The store searches with a regular expression over target names: ours end in
    /// `.{service}`.
    pub(crate) fn search_spec(service: &str) -> HashMap<&'static str, String> {
        HashMap::from([("pattern", format!(r"\.{}$", service.replace('.', r"\.")))])
    }

    /// Credential Manager shows the target name; it takes no label.
    pub(crate) fn creation_modifiers(_label: &str) -> Option<HashMap<&'static str, &str>> {
        None
    }

    /// Why Credential Manager cannot hold `record` under `id`, in words for the person; the
    /// store would refuse it with a bare "too long".
    pub(crate) fn refusal(id: &str, service: &str, record: &[u8]) -> Option<String> {
        if id.len() > MAX_USER_BYTES {
            Some(format!(
                "Windows Credential Manager keeps at most {MAX_USER_BYTES} bytes of an item's \
                 name, and this username and organization address take {} together; sign-in \
                 still works without remembering it",
                id.len()
            ))
        } else if target_name(id, service).len() > MAX_TARGET_BYTES {
            Some(format!(
                "its name is longer than the {MAX_TARGET_BYTES} bytes Windows Credential \
                 Manager keeps"
            ))
        } else if record.len() > MAX_SECRET_BYTES {
            Some(format!(
                "its record takes {} bytes and Windows Credential Manager keeps at most \
                 {MAX_SECRET_BYTES}",
                record.len()
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use oktadesk_core::{Engine, FactorKind};

    use super::*;
    use crate::account::{Account, MAX_LABEL_CHARS, decode, encode};
    use crate::service_name::SERVICE;

    /// The longest org URL the core accepts: a 253-character host and a port.
    fn longest_org() -> String {
        let label = "a".repeat(63);
        format!(
            "https://{label}.{label}.{label}.{}.com:65535",
            "b".repeat(57)
        )
    }

    #[test]
    fn macos_items_are_searched_and_created_as_its_store_accepts() {
        let spec = macos::search_spec(SERVICE);
        assert!(spec.keys().all(|key| macos::SEARCH_KEYS.contains(key)));
        assert_eq!(spec["service"], "dev.oktadesk.desktop");
        assert!(macos::creation_modifiers("OktaDesk account x").is_none());
    }

    /// The item macOS keeps: service and account (the id, which the record repeats) are never
    /// empty, and the data is the versioned JSON record with these fields and no other.
    #[test]
    fn a_macos_item_is_the_service_the_account_id_and_the_record() {
        let account = Account::new("https://acme.okta.com", "jane@acme.com").unwrap();
        assert!(!SERVICE.is_empty());
        let id = account.id().as_str();
        assert_eq!(id, "jane@acme.com at https://acme.okta.com");
        let record: serde_json::Value = serde_json::from_slice(&encode(&account)).unwrap();
        let mut fields: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "auto_push",
                "engine",
                "format",
                "id",
                "label",
                "last_success",
                "org_url",
                "preferred_factor",
                "username"
            ]
        );
        assert_eq!(record["format"], 1);
        assert_eq!(record["id"], id);
    }

    #[test]
    fn the_windows_search_pattern_finds_exactly_oktadesk_items() {
        let pattern = regex::Regex::new(&windows::search_spec(SERVICE)["pattern"]).unwrap();
        let id = "jane@acme.com at https://acme.okta.com";
        assert!(pattern.is_match(&windows::target_name(id, SERVICE)));
        for other in [
            windows::target_name(id, "OktaDesk"),
            windows::target_name(id, "dev.oktadesk.desktop.other"),
            format!("{id}.devXoktadeskXdesktop"),
            "git:https://github.com".to_owned(),
        ] {
            assert!(!pattern.is_match(&other), "{other}");
        }
        assert!(windows::creation_modifiers("label").is_none());
    }

    #[test]
    fn the_secret_service_names_its_items() {
        assert_eq!(secret_service::search_spec(SERVICE)["service"], SERVICE);
        let modifiers = secret_service::creation_modifiers("OktaDesk account x").unwrap();
        assert_eq!(modifiers["label"], "OktaDesk account x");
    }

    #[test]
    fn the_longest_plain_account_fits_windows_credential_manager() {
        let username = format!(
            "{}@acme.com",
            "j".repeat(oktadesk_core::MAX_USERNAME_CHARS - 9)
        );
        let account = Account::new(&longest_org(), &username).unwrap();
        let id = account.id().as_str();
        assert_eq!(windows::refusal(id, SERVICE, &encode(&account)), None);
    }

    /// The core allows 100 characters of username, and each may take four bytes: with a long
    /// org host the account id passes the store's 513-byte limit. Such an account is refused
    /// with a message that says why and that sign-in still works.
    #[test]
    fn a_name_too_long_for_windows_credential_manager_is_refused_with_a_reason() {
        let username = "𝄞".repeat(oktadesk_core::MAX_USERNAME_CHARS);
        let account = Account::new(&longest_org(), &username).unwrap();
        let id = account.id().as_str();
        assert!(id.len() > windows::MAX_USER_BYTES);
        let reason = windows::refusal(id, SERVICE, &encode(&account)).unwrap();
        assert!(reason.contains("513 bytes"), "{reason}");
        assert!(reason.contains("sign-in still works"), "{reason}");
    }

    #[test]
    fn a_record_larger_than_a_credential_blob_is_refused() {
        let record = vec![b'x'; windows::MAX_SECRET_BYTES + 1];
        let reason = windows::refusal("jane at https://acme.okta.com", SERVICE, &record).unwrap();
        assert!(reason.contains("2560"), "{reason}");
        let record = vec![b'x'; windows::MAX_SECRET_BYTES];
        assert_eq!(
            windows::refusal("jane at https://acme.okta.com", SERVICE, &record),
            None
        );
    }

    /// Windows Credential Manager keeps at most 2,560 bytes of secret per item; the record of
    /// the largest account the rules allow must fit with room to spare for what a record may
    /// gain (a device cookie is a few hundred bytes). Its 513-byte limit on the item's user
    /// name (the account id) is `native::windows::refusal`'s, tested there.
    #[test]
    fn the_largest_account_fits_every_keychain() {
        const CREDENTIAL_BLOB_BYTES: usize = windows::MAX_SECRET_BYTES;
        const ROOM_TO_SPARE: usize = 512;
        let label = "a".repeat(63);
        let host = format!("{label}.{label}.{label}.{}.com", "b".repeat(57));
        let org = format!("https://{host}:65535");
        // Four UTF-8 bytes a character, and quotes that JSON escapes: the costliest text.
        let username = "𝄞".repeat(oktadesk_core::MAX_USERNAME_CHARS);
        let mut account = Account::new(&org, &username).unwrap();
        account.set_label(&"\"".repeat(MAX_LABEL_CHARS)).unwrap();
        account.preferred_factor = Some(FactorKind::Totp);
        account.auto_push = true;
        account.last_success = Some(time::macros::datetime!(2026-11-28 09:00:00.123456789 UTC));
        account.engine = Some(Engine::IdentityEngine);
        let record = encode(&account);
        assert!(
            record.len() + ROOM_TO_SPARE <= CREDENTIAL_BLOB_BYTES,
            "the record takes {} bytes",
            record.len()
        );
        assert_eq!(decode(account.id().as_str(), &record).unwrap(), account);
    }
}
