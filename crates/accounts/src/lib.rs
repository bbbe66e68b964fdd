//! Remembered accounts in the OS keychain.
