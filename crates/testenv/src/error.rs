use std::io;
use std::process::ExitStatus;
use std::time::Duration;

/// Everything that can go wrong while starting or querying the test services.
///
/// Messages are written for the person reading a failed CI log: they say which program
/// misbehaved, include the tail of its log, and say how to fix the machine when that is the
/// cause.
#[derive(Debug, thiserror::Error)]
pub enum TestEnvError {
    #[error(
        "`{program}` is not installed, so the isolated test services cannot start; \
         install it with `apt-get install {package}`"
    )]
    MissingProgram {
        program: String,
        package: &'static str,
    },

    #[error("could not start `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: io::Error,
    },

    #[error("`{program}` exited before it was ready ({status}); its log ends with:\n{log}")]
    ExitedEarly {
        program: String,
        status: ExitStatus,
        log: String,
    },

    #[error(
        "{what} was not ready after {waited:?}; the machine may be overloaded or the \
         service broken. Its log ends with:\n{log}"
    )]
    NotReady {
        what: String,
        waited: Duration,
        log: String,
    },

    #[error(
        "`{program}` did not quit within {} s of its stdin closing, so it was killed; \
         something keeps it from exiting when asked to",
        waited.as_secs_f64()
    )]
    DidNotQuit { program: String, waited: Duration },

    #[error("`{command}` failed ({status}): {output}")]
    CommandFailed {
        command: String,
        status: ExitStatus,
        output: String,
    },

    #[error("`{program}` printed something the test environment cannot read: {detail}")]
    UnexpectedOutput { program: String, detail: String },

    #[error("could not prepare the temporary files of the test environment: {0}")]
    Io(#[from] io::Error),
}

pub type Result<T, E = TestEnvError> = std::result::Result<T, E>;
