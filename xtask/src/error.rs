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
    /// A Rust source file could not be read or parsed while checking imports.
    #[error("{what}: {detail}")]
    Source { what: String, detail: String },
    #[error(
        "{0} import circle(s) between files (listed above): move what both sides need into a \
         file of its own, below both"
    )]
    ImportCircles(usize),
    #[error(
        "{0} file(s) or folder(s) named in README.md's layout table or ARCHITECTURE.md do not \
         exist (listed above): update the docs to the tree as it is"
    )]
    DocPaths(usize),
    #[error("these steps failed: {}", .0.join(", "))]
    StepsFailed(Vec<String>),
    /// The private desktop the bench measures in, or a program run in it, failed.
    #[error(transparent)]
    TestEnv(#[from] oktadesk_testenv::TestEnvError),
}

impl Error {
    /// For `map_err` on spawning or waiting for `command`: it could not be run.
    pub fn not_started(command: &str) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::CommandNotStarted {
            command: command.to_owned(),
            source,
        }
    }

    /// `command` ran but did not do its job; `status` says how.
    pub fn command_failed(command: &str, status: &str) -> Self {
        Self::CommandFailed {
            command: command.to_owned(),
            status: status.to_owned(),
        }
    }
}
