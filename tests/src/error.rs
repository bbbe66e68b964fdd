use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("could not start {program}: {source}. {hint}")]
    Spawn {
        program: String,
        hint: &'static str,
        source: std::io::Error,
    },
    #[error("{what} not found: {hint}")]
    NotFound { what: String, hint: String },
    #[error(transparent)]
    TestEnv(#[from] oktadesk_testenv::TestEnvError),
    #[error("could not open a WebDriver session on the app: {0}")]
    NewSession(#[from] fantoccini::error::NewSessionError),
    #[error("WebDriver command failed: {0}")]
    WebDriver(#[from] fantoccini::error::CmdError),
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the screenshot {} looks blank: {reason}", path.display())]
    BlankScreenshot { path: PathBuf, reason: String },
    #[error("the screenshot is not a readable PNG: {0}")]
    BadPng(#[from] png::DecodingError),
}

pub type Result<T, E = HarnessError> = std::result::Result<T, E>;
