//! `cargo xtask bundle`: the Linux .deb, through Tauri's own bundler.

use crate::error::Error;
use crate::packages::{self, Need};
use crate::{process, tools, workspace};

pub fn run() -> Result<(), Error> {
    packages::ensure(Need::Build)?;
    let cargo_tauri = tools::TAURI_CLI.ensure()?;
    // Only the .deb: the AppImage tooling is downloaded at bundle time, and .dmg/.msi need
    // macOS/Windows. tauri.conf.json configures all four for the machines that can build them.
    // What follows `--` goes to cargo: shipped builds leave out the app's default `demo-org`
    // feature (the in-process demo org, half the binary); `oktadesk-cli demo-org` stands in.
    process::run(
        std::process::Command::new(cargo_tauri)
            .args(["build", "--bundles", "deb", "--", "--no-default-features"])
            .current_dir(workspace::root().join("src-tauri")),
    )?;
    let debs = workspace::target_dir().join("release/bundle/deb");
    println!("\nThe .deb is in {}", debs.display());
    Ok(())
}
