//! The embedded demo org that `--demo` starts inside the app's process.

use crate::models::DemoStatus;

/// Keeps the demo org serving for as long as the app runs.
#[derive(Debug)]
pub struct DemoOrg {
    status: DemoStatus,
}

impl DemoOrg {
    /// Starts the demo org. A demo org that fails to start leaves the app usable with real orgs,
    /// so the failure becomes a status the first screen shows rather than an exit.
    pub fn start() -> Self {
        // The demo org server (crates/demo-org) is not part of this build yet.
        let status = DemoStatus::Unavailable {
            message: "The demo organization is not included in this version of OktaDesk. \
                      Enter your own organization's address to continue."
                .to_owned(),
        };
        tracing::warn!("--demo was given but this build has no demo organization");
        Self { status }
    }

    pub fn status(&self) -> &DemoStatus {
        &self.status
    }
}
