//! Running commands: echoed first, failures as errors that name the command.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::thread;

use crate::error::Error;

/// `cargo`, the same one that runs xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    remove_package_env(&mut command);
    command
}

/// Drops the package variables `cargo run` set for xtask itself. Build scripts that watch
/// them (ring's does) would see xtask's values, so builds started by xtask and builds started
/// from a shell would keep rebuilding each other's dependencies.
pub fn remove_package_env(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let inherited = name.to_str().is_some_and(|name| {
            matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            ) || name.starts_with("CARGO_PKG_")
        });
        if inherited {
            command.env_remove(name);
        }
    }
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
    let status = command.status().map_err(Error::not_started(&description))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::command_failed(&description, &status.to_string()))
    }
}

/// Runs a test command, passing its output through, and appends to `summaries` one line per
/// test binary: its `Running ...`/`Doc-tests ...` name with the runner's `test result:` line.
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
        .map_err(Error::not_started(&description))?;
    // Cargo names each test binary on stderr and the binary reports on stdout; the two pipes
    // are read apart, so pair them by order rather than by arrival time.
    let binaries = tee(child.stderr.take().expect("piped"), true, |line| {
        line.starts_with("Running ") || line.starts_with("Doc-tests ")
    });
    let results = tee(child.stdout.take().expect("piped"), false, |line| {
        line.starts_with("test result:")
    });
    let status = child.wait().map_err(Error::not_started(&description))?;
    let binaries = binaries.join().unwrap_or_default();
    let mut results = results.join().unwrap_or_default().into_iter();
    for binary in binaries {
        let result = results
            .next()
            .unwrap_or_else(|| "no test result (the binary crashed or did not run)".into());
        summaries.push(format!("{binary}\n    {result}"));
    }
    if status.success() {
        Ok(())
    } else {
        Err(Error::command_failed(&description, &status.to_string()))
    }
}

/// Runs `command` with its output passed through, and appends to `lines` the (trimmed) lines
/// of its stdout that `keep` selects: a checker's own per-case result lines.
pub fn run_collecting_lines(
    command: &mut Command,
    keep: fn(&str) -> bool,
    lines: &mut Vec<String>,
) -> Result<(), Error> {
    let description = describe(command);
    println!("\n$ {description}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::not_started(&description))?;
    let kept = tee(child.stdout.take().expect("piped"), false, keep);
    let status = child.wait().map_err(Error::not_started(&description))?;
    lines.extend(kept.join().unwrap_or_default());
    if status.success() {
        Ok(())
    } else {
        Err(Error::command_failed(&description, &status.to_string()))
    }
}

/// Copies `source` to our stdout or stderr line by line, returning the lines `keep` selects.
fn tee(
    source: impl Read + Send + 'static,
    to_stderr: bool,
    keep: fn(&str) -> bool,
) -> thread::JoinHandle<Vec<String>> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut reader = BufReader::new(source);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            if to_stderr {
                let _ = std::io::stderr().write_all(&line);
            } else {
                let _ = std::io::stdout().write_all(&line);
            }
            let text = String::from_utf8_lossy(&line);
            if keep(text.trim()) {
                kept.push(text.trim().to_owned());
            }
            line.clear();
        }
        kept
    })
}
