//! Cargo-installed tools (tauri-driver, tauri-cli, cargo-fuzz, cargo-deny), installed where
//! missing.

use std::path::{Path, PathBuf};

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

/// One exact version (see `ensure_pinned`): deny.toml's format and what each check reports
/// change between releases, and the audit must judge the same lock file the same way anywhere.
pub const CARGO_DENY: CargoTool = CargoTool {
    crate_name: "cargo-deny",
    binary: "cargo-deny",
    version: "=0.20.2",
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
        self.install(None)?;
        self.find().ok_or_else(|| Error::Missing {
            what: self.binary.to_owned(),
            fix: "cargo install finished but the binary is not in ~/.cargo/bin; check CARGO_HOME"
                .to_owned(),
        })
    }

    /// The tool at exactly its pinned version, installed once into the build directory
    /// (`tools/<crate>-<version>/bin`) and found there, whatever other version is on PATH.
    pub fn ensure_pinned(&self) -> Result<PathBuf, Error> {
        let version = self.version.trim_start_matches('=');
        let root = workspace::target_dir()
            .join("tools")
            .join(format!("{}-{version}", self.crate_name));
        let binary =
            root.join("bin")
                .join(format!("{}{}", self.binary, std::env::consts::EXE_SUFFIX));
        if binary.is_file() {
            return Ok(binary);
        }
        self.install(Some(&root))?;
        if binary.is_file() {
            Ok(binary)
        } else {
            Err(Error::Missing {
                what: binary.display().to_string(),
                fix: format!(
                    "cargo install finished but did not put the binary in {}; delete that folder and run again",
                    root.display()
                ),
            })
        }
    }

    /// `cargo install --locked`, into `root` when given, else into ~/.cargo/bin.
    fn install(&self, root: Option<&Path>) -> Result<(), Error> {
        println!("xtask: installing {} {}", self.crate_name, self.version);
        let mut install = process::cargo();
        install.args([
            "install",
            "--locked",
            self.crate_name,
            "--version",
            self.version,
        ]);
        if let Some(root) = root {
            install.arg("--root").arg(root);
        }
        // A throwaway build directory: the tool's build shares nothing with ours.
        process::run(install.env_remove("CARGO_TARGET_DIR"))
    }
}
