//! OktaDesk's developer commands, run as `cargo xtask <command>`.

mod audit;
mod bench;
mod bundle;
mod compat;
mod doc_paths;
mod error;
mod fuzz;
mod icons;
mod import_circles;
mod packages;
mod process;
mod targets;
mod test;
mod tools;
mod workflow_lint;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Error;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, run and test OktaDesk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install missing system packages, build the app and open it on the embedded demo org.
    Run,
    /// Install what is missing, then run fmt, clippy, every workspace test and the end-to-end suite.
    Test,
    /// Build the Linux .deb package with Tauri's bundler.
    Bundle,
    /// Check .github/workflows with actionlint and zizmor (part of `test`).
    LintWorkflows,
    /// Clippy, warnings denied, for Windows (x86_64-pc-windows-gnu) and macOS
    /// (aarch64-apple-darwin) from this Linux machine (part of `test`).
    CheckTargets,
    /// Run Okta's okta-auth-js (pinned) against the demo org: Classic authn and Identity
    /// Engine flows, one line per flow (part of `test`).
    Compat {
        /// Use the oktadesk-cli debug binary already in the build directory.
        #[arg(long)]
        no_build: bool,
    },
    /// Check that every file and folder README.md's layout table and ARCHITECTURE.md name
    /// exists (part of `test`).
    DocPaths,
    /// List files that import each other (directly or round a loop) in any crate target;
    /// fails if there are any (part of `test`).
    ImportCircles {
        /// Check the workspace at this path instead of this one (another worktree).
        #[arg(long, value_name = "PATH")]
        root: Option<PathBuf>,
    },
    /// Regenerate every app icon from icons/oktadesk.svg.
    Icons,
    /// Run every cargo-fuzz target in fuzz/ for this many seconds each (nightly, cargo-fuzz).
    Fuzz {
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Check Cargo.lock with cargo-deny: RustSec advisories beyond deny.toml's reviewed list
    /// (fetched from github.com), licenses, duplicate versions and sources.
    Audit {
        /// Take the advisory database from this git clone of github.com/RustSec/advisory-db
        /// instead of fetching it, on machines that cannot reach github.com.
        #[arg(long, value_name = "PATH")]
        advisory_db: Option<PathBuf>,
    },
    /// Startup, memory and size beside a bare Tauri app and beside OktaDesk's first screen as a
    /// static page, sign-in latency; writes BENCHMARKS.md.
    Bench {
        /// Run each measurement once on the debug test build, asserting nothing about time.
        #[arg(long)]
        smoke: bool,
        /// Launches of each app (and CLI sign-ins per user) to take the median of.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Measure the binaries already in the build directory instead of building them.
        #[arg(long)]
        no_build: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    workspace::use_shared_target_dir();
    let result = match cli.command {
        Command::Run => run(),
        Command::Test => test::run(),
        Command::Bundle => bundle::run(),
        Command::LintWorkflows => workflow_lint::run(),
        Command::CheckTargets => targets::run(),
        Command::Compat { no_build } => compat::run(compat::Options { build: !no_build }),
        Command::DocPaths => doc_paths::run(&workspace::root()),
        Command::ImportCircles { root } => {
            import_circles::run(&root.unwrap_or_else(workspace::root))
        }
        Command::Icons => icons::run(),
        Command::Fuzz { seconds } => fuzz::run(seconds),
        Command::Audit { advisory_db } => audit::run(advisory_db.as_deref()),
        Command::Bench {
            smoke,
            runs,
            no_build,
        } => bench::run(bench::Options {
            smoke,
            runs,
            build: !no_build,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask run`: what a new user types to see the app.
fn run() -> Result<(), Error> {
    packages::ensure(packages::Need::Build)?;
    process::run(process::cargo().args([
        "build",
        "--package",
        "oktadesk",
        "--features",
        workspace::APP_DEV_FEATURES,
    ]))?;
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(Error::Missing {
            what: "a graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)".into(),
            fix: "run `cargo xtask run` from a desktop terminal, or start Xvfb and set DISPLAY"
                .into(),
        });
    }
    let app = workspace::target_dir().join("debug").join("oktadesk");
    println!("Opening {} --demo", app.display());
    process::run(std::process::Command::new(app).arg("--demo"))
}
