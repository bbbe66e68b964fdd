//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use crate::error::Error;
use crate::packages::{self, Need};
use crate::process::{self, cargo};
use crate::{tools, workspace};

/// What the names of the tests that only a release build of the app has contain.
const RELEASE_BUILD_TESTS: &str = "release_build";

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
    // A second, and a new two-way import between files fails before anything is built.
    step(
        "import circles",
        crate::import_circles::run(&workspace::root()),
    );
    step("doc paths", crate::doc_paths::run(&workspace::root()));
    // Seconds once the linters are installed, and a broken or unsafe workflow is found here
    // rather than on the first push.
    step("workflow lint", crate::workflow_lint::run());
    step(
        "clippy",
        process::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            workspace::APP_DEV_FEATURES,
            "--",
            "-D",
            "warnings",
        ])),
    );
    // The release app (no demo, no bench) must stay clean too. The whole workspace, as a
    // plain `cargo clippy` sees it: dependencies resolve to the same features as above, so
    // only the app crate is checked again.
    step(
        "clippy (release app)",
        process::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    // The Windows and macOS code, linted for those targets (nothing linked): a cfg(windows)
    // or cfg(target_os = "macos") mistake fails here, not on a release tag.
    let mut cross_targets = Vec::new();
    step(
        "clippy (Windows and macOS targets)",
        crate::targets::run_collecting(&mut cross_targets),
    );
    if !cross_targets.is_empty() {
        summaries.push(format!(
            "cross-target clippy\n    {}",
            cross_targets.join("\n    ")
        ));
    }
    // One build for both test runs: `cargo test` also builds the `oktadesk` binary (the app
    // has an integration test), with the same features as the test build, so the end-to-end
    // suite drives it without compiling Tauri a second time.
    let built = process::run(cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "oktadesk-e2e",
        "--features",
        workspace::APP_DEV_FEATURES,
        "--no-run",
    ]));
    let built = built.is_ok();
    step(
        "workspace tests",
        process::run_collecting_summaries(
            cargo().args([
                "test",
                "--workspace",
                "--exclude",
                "oktadesk-e2e",
                "--features",
                workspace::APP_DEV_FEATURES,
                "--no-fail-fast",
            ]),
            &mut summaries,
        ),
    );
    // Okta's own JavaScript library against the demo org, with the CLI the test build made.
    let mut compat_flows = Vec::new();
    let compat = if built {
        crate::compat::run_collecting(crate::compat::Options { build: false }, &mut compat_flows)
    } else {
        Err(Error::Missing {
            what: "a fresh oktadesk-cli build".into(),
            fix: "the workspace did not build, so okta-auth-js was not run against the demo \
                  org; fix the build errors above first"
                .into(),
        })
    };
    if !compat_flows.is_empty() {
        summaries.push(format!(
            "okta-auth-js compatibility\n    {}",
            compat_flows.join("\n    ")
        ));
    }
    step("okta-auth-js compatibility", compat);
    let e2e = if built {
        process::run_collecting_summaries(
            cargo()
                .args(["test", "--package", "oktadesk-e2e", "--no-fail-fast"])
                .env("OKTADESK_APP", &app)
                .env("OKTADESK_TAURI_DRIVER", &tauri_driver),
            &mut summaries,
        )
    } else {
        Err(Error::Missing {
            what: "a fresh app build".into(),
            fix: "the workspace did not build, so the end-to-end tests were not run; fix the \
                  build errors above first"
                .into(),
        })
    };
    step("end-to-end tests", e2e);
    // Each cargo-fuzz target for a few seconds: they keep building, and a shallow crash in a
    // parser of hostile input fails CI instead of waiting for someone to fuzz.
    step("fuzz smoke", crate::fuzz::smoke());
    // Every benchmark once on the debug binaries just built, so `cargo xtask bench` cannot
    // rot; it asserts nothing about time.
    step(
        "bench smoke",
        crate::bench::run(crate::bench::Options {
            smoke: true,
            runs: 1,
            build: true,
        }),
    );

    // The release app's own tests (no demo commands, no `--demo-org-url`), last, after everything
    // that uses the demo build of the app. Only library tests, so the app binary the
    // end-to-end suite ran stays the demo build; the same packages as the workspace run, so
    // dependencies resolve to the same features and only the app crate is compiled again.
    step(
        "release app tests",
        process::run_collecting_summaries(
            cargo().args([
                "test",
                "--workspace",
                "--exclude",
                "oktadesk-e2e",
                "--lib",
                "--no-fail-fast",
                "--",
                RELEASE_BUILD_TESTS,
            ]),
            &mut summaries,
        ),
    );
    println!("\n==== test summary ====");
    for line in &summaries {
        println!("{line}");
    }
    if failed.is_empty() {
        println!(
            "\nAll checks passed: fmt, import circles, doc paths, workflow lint, clippy (dev and release app, Windows and macOS targets), workspace and release app tests, okta-auth-js compatibility, end-to-end tests, fuzz smoke, bench smoke."
        );
        Ok(())
    } else {
        Err(Error::StepsFailed(failed))
    }
}
