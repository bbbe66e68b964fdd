//! The keychain service names OktaDesk's items are saved under. Their own file because the
//! keychain store and each platform's spelling of a search (`native.rs`) both need them.

/// The keychain service name of every OktaDesk item: the app's reverse-DNS identifier, so
/// it cannot collide with another program's "OktaDesk" and reads as the app in keychain
/// viewers' access lists.
pub const SERVICE: &str = "dev.oktadesk.desktop";

/// The service name OktaDesk 0.1 saved items under; `KeychainStore::open` moves them.
pub const LEGACY_SERVICE: &str = "OktaDesk";
