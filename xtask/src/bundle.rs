//! `cargo xtask bundle`: the Linux .deb, through Tauri's own bundler.

use crate::error::Error;
use crate::packages::{self, Need};
use crate::{process, tools, workspace};

pub fn run() -> Result<(), Error> {
    packages::ensure(Need::Build)?;
    let cargo_tauri = tools::TAURI_CLI.ensure()?;
    // Only the .deb: the AppImage tooling is downloaded at bundle time, and .dmg/.msi need
    // macOS/Windows. tauri.conf.json configures all four for the machines that can build them.
    // The app's default features are none: no demo org, no demo phone, no bench mode, which
    // is what every release build is (`oktadesk-cli demo-org` stands in for the demo).
    process::run(
        std::process::Command::new(cargo_tauri)
            .args(["build", "--bundles", "deb"])
            .current_dir(workspace::root().join("src-tauri")),
    )?;
    let debs = workspace::target_dir().join("release/bundle/deb");
    println!("\nThe .deb is in {}", debs.display());
    Ok(())
}
