use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{command}` failed ({status})")]
    CommandFailed { command: String, status: String },
    #[error("could not start `{command}`: {source}. Check that it is installed and on PATH.")]
    CommandNotStarted {
        command: String,
        source: std::io::Error,
    },
    #[error("{what} is missing: {fix}")]
    Missing { what: String, fix: String },
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Icon(String),
    #[error("these steps failed: {}", .0.join(", "))]
    StepsFailed(Vec<String>),
}
