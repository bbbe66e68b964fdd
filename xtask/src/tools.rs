//! Cargo-installed tools (tauri-driver, tauri-cli, cargo-fuzz), installed where missing.

use std::path::PathBuf;

use crate::error::Error;
use crate::{process, workspace};

pub struct CargoTool {
    pub crate_name: &'static str,
    pub binary: &'static str,
    pub version: &'static str,
}

pub const TAURI_DRIVER: CargoTool = CargoTool {
    crate_name: "tauri-driver",
    binary: "tauri-driver",
    version: "^2",
};

/// Built with the stable toolchain like any tool; it drives the nightly one when it runs.
pub const CARGO_FUZZ: CargoTool = CargoTool {
    crate_name: "cargo-fuzz",
    binary: "cargo-fuzz",
    version: "^0.13",
};

pub const TAURI_CLI: CargoTool = CargoTool {
    crate_name: "tauri-cli",
    binary: "cargo-tauri",
    version: "^2",
};

impl CargoTool {
    fn find(&self) -> Option<PathBuf> {
        let cargo_bin = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace::home().join(".cargo"))
            .join("bin");
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::iter::once(cargo_bin)
            .chain(std::env::split_paths(&path))
            .map(|dir| dir.join(self.binary))
            .find(|candidate| candidate.is_file())
    }

    /// The tool's path, after `cargo install --locked` if it is not there yet.
    pub fn ensure(&self) -> Result<PathBuf, Error> {
        if let Some(path) = self.find() {
            return Ok(path);
        }
        println!("xtask: installing {} {}", self.crate_name, self.version);
        process::run(
            process::cargo()
                .args([
                    "install",
                    "--locked",
                    self.crate_name,
                    "--version",
                    self.version,
                ])
                // A throwaway build directory: the tool's build shares nothing with ours.
                .env_remove("CARGO_TARGET_DIR"),
        )?;
        self.find().ok_or_else(|| Error::Missing {
            what: self.binary.to_owned(),
            fix: "cargo install finished but the binary is not in ~/.cargo/bin; check CARGO_HOME"
                .to_owned(),
        })
    }
}
