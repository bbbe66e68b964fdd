//! `cargo xtask bench`: startup, memory and size of the app beside bare Tauri apps (an
//! empty page, and its own first screen as a static page), the
//! core's approval and activation latency, and the CLI's sign-in time; writes BENCHMARKS.md.
//!
//! `--smoke` runs every measurement once on the debug builds `cargo xtask test` already made,
//! so the bench cannot rot; it asserts nothing about time and leaves BENCHMARKS.md alone.
//!
//! The measured programs run in testenv's [`DesktopSession`], the desktop the end-to-end
//! harness is made of, but with the keyring started on demand as on a user's desktop.

mod binaries;
mod cli;
mod gui;
mod latency;
mod machine;
mod report;
mod startup;
mod stats;
mod steps;

use std::path::Path;

use oktadesk_testenv::DesktopSession;

use crate::error::Error;
use crate::packages::{self, Need};
use crate::workspace;

use self::report::Report;

pub struct Options {
    pub smoke: bool,
    pub runs: usize,
    /// Off: measure the binaries already built (release builds take long on small machines).
    pub build: bool,
}

pub fn run(options: Options) -> Result<(), Error> {
    packages::ensure(Need::Test)?;
    let runs = if options.smoke {
        1
    } else {
        options.runs.max(1)
    };
    let binaries = binaries::build(options.smoke, options.build)?;
    let session = DesktopSession::start_in(&workspace::target_dir())?;

    println!("\nxtask bench: startup and memory, {runs} interleaved run(s) each");
    let gui = gui::measure(
        &session,
        [&binaries.app, &binaries.hello, &binaries.first_screen],
        runs,
        options.smoke,
    )?;
    println!("\nxtask bench: approval and activation latency at the core");
    let latency_runs = if options.smoke { 1 } else { 50 };
    let latency = latency::measure(&binaries.latency, latency_runs)?;
    println!("\nxtask bench: CLI sign-in wall time");
    // A failing CLI still leaves the other figures worth writing down; the run fails after.
    let cli = cli::measure(&session, &binaries.cli, runs).map_err(|error| error.to_string());

    let report = Report {
        smoke: options.smoke,
        gui,
        sizes: [
            binaries::size(&binaries.app)?,
            binaries::size(&binaries.hello)?,
        ],
        latency,
        cli: cli.clone(),
    };
    let markdown = report.markdown();
    if options.smoke {
        let path = workspace::target_dir().join("bench-smoke.md");
        write(&path, &markdown)?;
        println!(
            "\nxtask bench --smoke: every measurement ran once; report in {}",
            path.display()
        );
    } else {
        let path = workspace::root().join("BENCHMARKS.md");
        write(&path, &markdown)?;
        println!("\n{markdown}\nWrote {}", path.display());
    }
    cli.map(drop)
        .map_err(|why| Error::command_failed("the CLI sign-in benchmark", &why))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })
}
