//! The embedded demo org.
