//! `cargo xtask fuzz --seconds N`: every cargo-fuzz target in `fuzz/` for N seconds each, and
//! the short smoke of each that `cargo xtask test` runs.
//!
//! The fuzz crate is its own workspace (nightly, sanitizers); its build directory sits beside
//! the shared one so the two never invalidate each other.

use std::path::PathBuf;
use std::process::Command;

use crate::error::Error;
use crate::{process, tools, workspace};

const TARGETS: &[&str] = &[
    "wire_transaction",
    "wire_error",
    "org_url",
    "qr_png",
    "qr_uri",
    "code_input",
    "response_headers",
];

/// The smoke's bound per target: whichever comes first. The time bound keeps the slow
/// targets (the QR ones draw and decode an image per input) from stretching CI; the run
/// bound keeps the fast ones from spending time that finds nothing new.
const SMOKE_SECONDS: u64 = 10;
const SMOKE_RUNS: u64 = 50_000;

/// The smoke builds unoptimised and without a sanitizer: about half the CPU time of the
/// release+ASan build `cargo xtask fuzz` uses (measured cold on 2 cores: ~5 against ~9 CPU
/// minutes), which matters on CI. The targets are safe Rust and the smoke looks for panics;
/// the QR targets run few inputs this way, so deep fuzzing stays with `cargo xtask fuzz`.
const SMOKE_BUILD: &[&str] = &["--dev", "--sanitizer", "none"];

pub fn run(seconds: u64) -> Result<(), Error> {
    let nightly = ensure_toolchain()?;
    for target in TARGETS {
        // The corpus grows in fuzz/corpus/ (git-ignored) from the checked-in seeds. A crash
        // fails the run; cargo-fuzz leaves the input under fuzz/artifacts/ to be turned into
        // a regression test.
        let corpus = workspace::root().join("fuzz").join("corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|source| Error::File {
            path: corpus.clone(),
            source,
        })?;
        let mut command = fuzz_command(&nightly);
        command.args(["run", target]).arg(&corpus);
        with_seeds(&mut command, target);
        process::run(command.arg("--").arg(format!("-max_total_time={seconds}")))?;
    }
    Ok(())
}

/// Each target briefly, from the checked-in seeds in `fuzz/seeds/` and a fresh corpus, so
/// the targets keep building and a shallow crash fails CI.
pub fn smoke() -> Result<(), Error> {
    let nightly = ensure_toolchain()?;
    // One build of every target first: `fuzz run` would otherwise build them one by one.
    process::run(fuzz_command(&nightly).arg("build").args(SMOKE_BUILD))?;
    let corpora = workspace::target_dir().join("fuzz-smoke-corpus");
    let mut failed = Vec::new();
    for target in TARGETS {
        let corpus = corpora.join(target);
        // A fresh corpus each time: the smoke's cost must not grow with past runs.
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(&corpus).map_err(|source| Error::File {
            path: corpus.clone(),
            source,
        })?;
        let mut command = fuzz_command(&nightly);
        command
            .arg("run")
            .args(SMOKE_BUILD)
            .arg(target)
            .arg(&corpus);
        with_seeds(&mut command, target);
        command
            .arg("--")
            .arg(format!("-max_total_time={SMOKE_SECONDS}"))
            .arg(format!("-runs={SMOKE_RUNS}"));
        if let Err(error) = process::run(&mut command) {
            eprintln!("xtask: fuzz smoke of {target}: {error}");
            failed.push(target.to_string());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::StepsFailed(
            failed
                .into_iter()
                .map(|target| {
                    format!("fuzz target {target} (its input is in fuzz/artifacts/{target}/)")
                })
                .collect(),
        ))
    }
}

/// Adds `fuzz/seeds/TARGET` as a read-only corpus (libFuzzer only writes to the first).
fn with_seeds(command: &mut Command, target: &str) {
    let seeds = workspace::root().join("fuzz").join("seeds").join(target);
    if seeds.is_dir() {
        command.arg(seeds);
    }
}

/// `cargo fuzz` on the nightly toolchain, in `fuzz/`, building beside the shared build dir.
fn fuzz_command(nightly: &Nightly) -> Command {
    let mut command = Command::new(&nightly.rustup);
    command
        .current_dir(workspace::root().join("fuzz"))
        .env("CARGO_TARGET_DIR", workspace::target_dir().join("fuzz"))
        .args(["run", "nightly", "cargo", "fuzz"]);
    // `CARGO`, `RUSTUP_TOOLCHAIN` and `RUSTC` from `cargo run` would pin the child to the
    // stable toolchain.
    for name in ["CARGO", "RUSTUP_TOOLCHAIN", "RUSTC"] {
        command.env_remove(name);
    }
    process::remove_package_env(&mut command);
    command
}

struct Nightly {
    rustup: PathBuf,
}

/// The nightly toolchain and cargo-fuzz, installed where missing.
fn ensure_toolchain() -> Result<Nightly, Error> {
    let rustup = find_on_path("rustup").ok_or_else(|| Error::Missing {
        what: "rustup".into(),
        fix: "fuzzing needs the nightly toolchain through rustup; install rustup from \
              https://rustup.rs, then run `rustup toolchain install nightly --profile minimal`"
            .into(),
    })?;
    let has_nightly = Command::new(&rustup)
        .args(["run", "nightly", "rustc", "--version"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_nightly {
        println!("xtask: installing the nightly toolchain for cargo-fuzz");
        process::run(Command::new(&rustup).args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    tools::CARGO_FUZZ.ensure()?;
    Ok(Nightly { rustup })
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let cargo_bin = workspace::home().join(".cargo").join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(std::iter::once(cargo_bin))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
