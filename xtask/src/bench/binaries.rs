//! What is measured: the app, the two bare Tauri apps (an empty page, and the app's first
//! screen as a static page), the latency bench and the CLI, as
//! release builds in the shipped configuration or, for the smoke, the test build's debug ones.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::process::{self, cargo};
use crate::workspace;

pub(super) struct Binaries {
    pub app: PathBuf,
    pub hello: PathBuf,
    /// OktaDesk's first screen as static HTML and CSS in a bare app (`bench/hello`).
    pub first_screen: PathBuf,
    pub latency: PathBuf,
    pub cli: PathBuf,
}

/// Release binaries built once, the app and the bare apps in one cargo invocation so feature
/// unification gives them all the same Tauri. The smoke reuses the test build's debug binaries
/// (the bench crates' integration tests make cargo build them), so it compiles nothing new.
pub(super) fn build(smoke: bool, build: bool) -> Result<Binaries, Error> {
    let profile = if !build {
        if smoke { "debug" } else { "release" }
    } else if smoke {
        process::run(cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "oktadesk-e2e",
            "--features",
            workspace::APP_DEV_FEATURES,
            "--no-run",
        ]))?;
        "debug"
    } else {
        // What `cargo xtask bundle` ships: the UI embedded and served from memory
        // (`tauri/custom-protocol`, which `cargo tauri build` adds), no demo; plus the `bench`
        // feature, which only adds the first-frame report (`src-tauri/src/bench.rs`).
        process::run(cargo().args([
            "build",
            "--release",
            "--package",
            "oktadesk",
            "--package",
            "oktadesk-bench-hello",
            "--features",
            "oktadesk/bench,tauri/custom-protocol",
        ]))?;
        process::run(cargo().args([
            "build",
            "--release",
            "--package",
            "oktadesk-cli",
            "--package",
            "oktadesk-bench-latency",
        ]))?;
        "release"
    };
    let dir = workspace::target_dir().join(profile);
    let binaries = Binaries {
        app: dir.join("oktadesk"),
        hello: dir.join("oktadesk-bench-hello"),
        first_screen: dir.join("oktadesk-bench-first-screen"),
        latency: dir.join("oktadesk-bench-latency"),
        cli: dir.join("oktadesk-cli"),
    };
    for binary in [
        &binaries.app,
        &binaries.hello,
        &binaries.first_screen,
        &binaries.latency,
        &binaries.cli,
    ] {
        if !binary.is_file() {
            return Err(Error::Missing {
                what: binary.display().to_string(),
                fix: "the build above did not produce it; check the cargo output".into(),
            });
        }
    }
    Ok(binaries)
}

/// The file's size in bytes, as it ships (the release profile strips it).
pub(super) fn size(binary: &Path) -> Result<u64, Error> {
    std::fs::metadata(binary)
        .map(|meta| meta.len())
        .map_err(|source| Error::File {
            path: binary.to_owned(),
            source,
        })
}
