//! `cargo xtask check-targets`, also a step of `cargo xtask test`: clippy, warnings denied,
//! over the code that only Windows and macOS compile, here on Linux, so a `cfg(windows)` or
//! `cfg(target_os = "macos")` mistake fails on this machine instead of in a user's hands.
//!
//! Nothing is linked: `cargo clippy` type-checks Rust and runs the build scripts, so the
//! only foreign tools needed are C compilers for the C that build scripts compile (ring's).
//! Windows is checked as `x86_64-pc-windows-gnu` (MinGW's GCC is a Debian package) rather than
//! `-msvc`, which needs Microsoft's compiler; both compile the same `cfg(windows)` code.
//! macOS is checked as `aarch64-apple-darwin` with Debian's clang and no Apple SDK, which is
//! enough for ring (see `stand-in-headers/`); the Objective-C that the app's notification
//! and dialog crates compile is skipped as on docs.rs (see [`APPLE`]).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::error::Error;
use crate::packages::{self, Need};
use crate::process::{self, cargo};
use crate::workspace;

/// One target checked, the packages checked for it and what its build scripts need.
struct CrossCheck {
    target: &'static str,
    /// Cargo packages, each also with `--all-targets` (tests, benches, examples).
    packages: &'static [&'static str],
    /// The C compiler (and archiver) the build scripts use for this target, on PATH.
    programs: &'static [&'static str],
    /// Extra environment for cargo: where a C compiler or its flags must be named.
    env: fn(&Path) -> Vec<(String, String)>,
}

/// Every crate that ships, the app without its demo features (`-p oktadesk` with no
/// `--features` is the release app). The CLI brings the demo org along (`oktadesk-cli
/// demo-org`), so that is checked for Windows too.
const WINDOWS: CrossCheck = CrossCheck {
    target: "x86_64-pc-windows-gnu",
    packages: &[
        "oktadesk",
        "oktadesk-cli",
        "oktadesk-core",
        "oktadesk-accounts",
    ],
    programs: &["x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-ar"],
    // cc-rs finds `x86_64-w64-mingw32-gcc` by the target's name.
    env: |_| Vec::new(),
};

/// The same crates for macOS. Without Apple's SDK:
/// - ring's C is compiled by clang for the target with no system headers at all
///   (`-ffreestanding -nostdlibinc`, and ring's own `RING_CORE_NOSTDLIBINC`, which it sets
///   itself when cross-building for targets without a sysroot); clang's own `stdint.h` and
///   `stddef.h` serve, and `stand-in-headers/` gives the one Apple header ring names.
/// - `DOCS_RS` is set, which `mac-notification-sys` (under the notification plugin) and
///   `objc2-exception-helper` (under the dialog plugin) read as "do not compile the
///   Objective-C": they need `Cocoa/Cocoa.h` and Apple's Objective-C runtime, and docs.rs
///   builds them on Linux the same way. Their Rust is still checked; the two Tauri plugins
///   read `DOCS_RS` only when building for Android. Nothing else in the tree reads it.
const APPLE: CrossCheck = CrossCheck {
    target: "aarch64-apple-darwin",
    packages: &[
        "oktadesk",
        "oktadesk-cli",
        "oktadesk-core",
        "oktadesk-accounts",
    ],
    programs: &["clang", "llvm-ar"],
    env: |headers| {
        let cflags = format!(
            "-ffreestanding -nostdlibinc -DRING_CORE_NOSTDLIBINC=1 -isystem {}",
            headers.display()
        );
        vec![
            ("CC_aarch64_apple_darwin".into(), "clang".into()),
            ("AR_aarch64_apple_darwin".into(), "llvm-ar".into()),
            ("CFLAGS_aarch64_apple_darwin".into(), cflags),
            ("DOCS_RS".into(), "1".into()),
        ]
    },
};

const CHECKS: &[CrossCheck] = &[WINDOWS, APPLE];

/// `cargo xtask check-targets`: each check with its time, then a summary.
pub fn run() -> Result<(), Error> {
    let mut lines = Vec::new();
    let result = run_collecting(&mut lines);
    println!("\n==== cross-target checks ====");
    for line in &lines {
        println!("{line}");
    }
    result
}

/// Installs what is missing (Debian packages, rustup targets), then runs clippy for each
/// target. A target that cannot be installed here (an offline machine) is skipped with a
/// line saying so in `lines`; a lint or compile error fails.
pub fn run_collecting(lines: &mut Vec<String>) -> Result<(), Error> {
    if let Err(error) = packages::ensure(Need::CrossCheck) {
        eprintln!("xtask: {error}");
    }
    let headers = workspace::root().join("xtask").join("stand-in-headers");
    let mut failed = Vec::new();
    for check in CHECKS {
        if let Some(why) = unavailable(check) {
            eprintln!("xtask: skipping the {} check: {why}", check.target);
            lines.push(format!("{}: SKIPPED, {why}", check.target));
            continue;
        }
        let clippy = |packages: &[&str], features: Option<&str>| {
            let mut clippy = cargo();
            clippy.args(["clippy", "--locked", "--target", check.target]);
            for package in packages {
                clippy.args(["--package", package]);
            }
            if let Some(features) = features {
                clippy.args(["--features", features]);
            }
            clippy.args(["--all-targets", "--", "-D", "warnings"]);
            clippy.envs((check.env)(&headers));
            process::run(&mut clippy)
        };
        let started = Instant::now();
        // The release app and the other crates; then the app as the tests build it (its
        // mock-runtime tests need the demo org), which recompiles only the app crate. Both
        // run, so one pass shows every problem.
        let release = clippy(check.packages, None);
        let dev = clippy(&["oktadesk"], Some(workspace::APP_DEV_FEATURES));
        let result = release.and(dev);
        let took = started.elapsed().as_secs();
        let verdict = if result.is_ok() { "clean" } else { "FAILED" };
        lines.push(format!(
            "{}: {verdict} ({}; the app also with {}) in {}m{:02}s",
            check.target,
            check.packages.join(", "),
            workspace::APP_DEV_FEATURES,
            took / 60,
            took % 60
        ));
        if result.is_err() {
            failed.push(check.target.to_owned());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::StepsFailed(
            failed
                .into_iter()
                .map(|t| format!("clippy for {t}"))
                .collect(),
        ))
    }
}

/// Why `check` cannot run here, after trying to install its Rust target; `None` when it can.
fn unavailable(check: &CrossCheck) -> Option<String> {
    if let Some(missing) = check.programs.iter().find(|p| !packages::on_path(p)) {
        return Some(format!(
            "no `{missing}` (on Debian/Ubuntu xtask installs it with the packages {})",
            packages::for_need(Need::CrossCheck).join(" ")
        ));
    }
    if has_rust_target(check.target) {
        return None;
    }
    println!("xtask: adding the Rust target {}", check.target);
    let added = process::run(Command::new("rustup").args(["target", "add", check.target]));
    match added {
        Ok(()) if has_rust_target(check.target) => None,
        _ => Some(format!(
            "the Rust standard library for {} could not be installed (`rustup target add {}` \
             failed: offline, or no rustup?)",
            check.target, check.target
        )),
    }
}

/// Whether the active toolchain has the standard library for `target`.
fn has_rust_target(target: &str) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| {
            out.status.success()
                && String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .any(|line| line.trim() == target)
        })
}
