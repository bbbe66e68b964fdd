//! The crate's error type.

use std::net::SocketAddr;

/// Everything that can go wrong starting a demo org or driving its virtual phone.
#[derive(Debug, thiserror::Error)]
pub enum DemoOrgError {
    #[error(
        "could not listen on {addr}: {source}. Choose another port or stop the program using it."
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the demo org setting `{setting}` is invalid: {reason}")]
    InvalidConfig {
        setting: &'static str,
        reason: String,
    },
    #[error(
        "the demo org has no user `{login}`. Use one of the seeded users (see `seeded_users`)."
    )]
    UnknownUser { login: String },
    #[error("{login}'s phone has no push waiting. Start a push verification first.")]
    NoPendingPush { login: String },
    #[error(
        "the push to {login} shows a number challenge. Approve it with the number the desktop shows."
    )]
    NumberRequired { login: String },
    #[error(
        "the phone could not read a QR code in that image: {reason}. Send the PNG served at the qrcode link."
    )]
    QrUnreadable { reason: String },
    #[error("the phone refused the QR code: {reason}")]
    QrRejected { reason: String },
}

impl DemoOrgError {
    /// A stable machine-readable name for the `/_demo` JSON error body.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Bind { .. } => "bind",
            Self::InvalidConfig { .. } => "invalid_config",
            Self::UnknownUser { .. } => "unknown_user",
            Self::NoPendingPush { .. } => "no_pending_push",
            Self::NumberRequired { .. } => "number_required",
            Self::QrUnreadable { .. } => "qr_unreadable",
            Self::QrRejected { .. } => "qr_rejected",
        }
    }
}
