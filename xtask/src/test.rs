//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use crate::error::Error;
use crate::packages::{self, Need};
use crate::process::{self, cargo};
use crate::{tools, workspace};

pub fn run() -> Result<(), Error> {
    packages::ensure(Need::Test)?;
    let tauri_driver = tools::TAURI_DRIVER.ensure()?;
    let app = workspace::target_dir().join("debug").join("oktadesk");

    let mut summaries = Vec::new();
    let mut failed = Vec::new();
    let mut step = |name: &str, result: Result<(), Error>| {
        if let Err(error) = result {
            eprintln!("xtask: {name}: {error}");
            failed.push(name.to_owned());
        }
    };

    step(
        "fmt",
        process::run(cargo().args(["fmt", "--all", "--check"])),
    );
    step(
        "clippy",
        process::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    step(
        "workspace tests",
        process::run_collecting_summaries(
            cargo().args(["test", "--workspace", "--exclude", "oktadesk-e2e"]),
            &mut summaries,
        ),
    );
    // The end-to-end tests drive the real binary, so it must be built first.
    let built = process::run(cargo().args(["build", "--package", "oktadesk"]));
    let e2e = built.and_then(|()| {
        process::run_collecting_summaries(
            cargo()
                .args(["test", "--package", "oktadesk-e2e"])
                .env("OKTADESK_APP", &app)
                .env("OKTADESK_TAURI_DRIVER", &tauri_driver),
            &mut summaries,
        )
    });
    step("end-to-end tests", e2e);

    println!("\n==== test summary ====");
    for line in &summaries {
        let indent = if line.starts_with("test result:") {
            "    "
        } else {
            ""
        };
        println!("{indent}{line}");
    }
    if failed.is_empty() {
        println!("\nAll checks passed: fmt, clippy, workspace tests, end-to-end tests.");
        Ok(())
    } else {
        Err(Error::StepsFailed(failed))
    }
}
