//! Running commands: echoed first, failures as errors that name the command.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::error::Error;

/// `cargo`, the same one that runs xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(command: &mut Command) -> Result<(), Error> {
    let description = describe(command);
    println!("\n$ {description}");
    let status = command
        .status()
        .map_err(|source| Error::CommandNotStarted {
            command: description.clone(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::CommandFailed {
            command: description,
            status: status.to_string(),
        })
    }
}

/// Runs a test command, passing its output through while keeping the lines that name a test
/// binary (`Running ...`, `Doc-tests ...`) and the runners' `test result:` summaries.
pub fn run_collecting_summaries(
    command: &mut Command,
    summaries: &mut Vec<String>,
) -> Result<(), Error> {
    let description = describe(command);
    println!("\n$ {description}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| Error::CommandNotStarted {
            command: description.clone(),
            source,
        })?;
    let collected = Arc::new(Mutex::new(Vec::new()));
    let stdout = tee(
        child.stdout.take().expect("piped"),
        false,
        collected.clone(),
    );
    let stderr = tee(child.stderr.take().expect("piped"), true, collected.clone());
    let status = child.wait().map_err(|source| Error::CommandNotStarted {
        command: description.clone(),
        source,
    })?;
    let _ = stdout.join();
    let _ = stderr.join();
    summaries.extend(
        collected
            .lock()
            .expect("tee threads do not panic")
            .drain(..),
    );
    if status.success() {
        Ok(())
    } else {
        Err(Error::CommandFailed {
            command: description,
            status: status.to_string(),
        })
    }
}

fn tee(
    source: impl Read + Send + 'static,
    to_stderr: bool,
    collected: Arc<Mutex<Vec<String>>>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut reader = BufReader::new(source);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            if to_stderr {
                let _ = std::io::stderr().write_all(&line);
            } else {
                let _ = std::io::stdout().write_all(&line);
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.starts_with("Running ")
                || text.starts_with("Doc-tests ")
                || text.starts_with("test result:")
            {
                collected
                    .lock()
                    .expect("no panics while holding the lock")
                    .push(text.to_owned());
            }
            line.clear();
        }
    })
}
