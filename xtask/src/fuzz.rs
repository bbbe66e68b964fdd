//! `cargo xtask fuzz --seconds N`: every cargo-fuzz target in `fuzz/` for N seconds each.
//! The fuzz crate is its own workspace (nightly, sanitizers); its build directory sits beside
//! the shared one so the two never invalidate each other.

use std::process::Command;

use crate::error::Error;
use crate::{process, workspace};

const TARGETS: &[&str] = &["wire_transaction", "wire_error", "org_url"];

pub fn run(seconds: u64) -> Result<(), Error> {
    let installed = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        return Err(Error::Missing {
            what: "cargo-fuzz on the nightly toolchain".into(),
            fix: "run `rustup toolchain install nightly` and `cargo install cargo-fuzz --locked`"
                .into(),
        });
    }
    let fuzz_dir = workspace::root().join("fuzz");
    let target_dir = workspace::target_dir().join("fuzz");
    for target in TARGETS {
        // A crash fails the run; cargo-fuzz leaves the input under fuzz/artifacts/ to be
        // turned into a regression test.
        process::run(
            Command::new("cargo")
                .current_dir(&fuzz_dir)
                .env("CARGO_TARGET_DIR", &target_dir)
                .args(["+nightly", "fuzz", "run", target, "--"])
                .arg(format!("-max_total_time={seconds}")),
        )?;
    }
    Ok(())
}
