//! `cargo xtask compat`, also a step of `cargo xtask test`: Okta's own okta-auth-js, at the
//! version pinned in `crates/demo-org/compat/okta-auth-js/`, completes its Classic authn and
//! Identity Engine flows against the demo org unmodified.
//!
//! Its npm packages are installed with `npm ci --ignore-scripts` from the pinned lockfile into
//! `$CARGO_TARGET_DIR/tools/okta-auth-js-compat/`, never into the source tree, and reused until
//! the lockfile changes. The check's scripts are copied beside them on every run (Node
//! resolves `@okta/okta-auth-js` from the script's own folder) and run with `node`; they start
//! one `oktadesk-cli demo-org` per engine and print `ok - …`/`not ok - …` per flow.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::packages::require_on_path;
use crate::process::{self, cargo};
use crate::workspace;

/// The check's sources, relative to the workspace root.
const CHECK_DIR: &str = "crates/demo-org/compat/okta-auth-js";
const MANIFEST: &str = "package.json";
const LOCKFILE: &str = "package-lock.json";
/// The lockfile an install was made from, written last: a folder without it, or with another
/// lockfile's text in it, is installed again.
const INSTALLED_LOCKFILE: &str = ".installed-package-lock.json";
/// fetch, which the check uses for the virtual phone, is global from Node 18 on.
const MIN_NODE_MAJOR: u32 = 18;

pub struct Options {
    /// Build `oktadesk-cli` first; without it, the debug binary already in the build
    /// directory is used (`cargo xtask test` built it with its test build).
    pub build: bool,
}

/// `cargo xtask compat`: the check, then its flow lines again as a summary.
pub fn run(options: Options) -> Result<(), Error> {
    let mut flows = Vec::new();
    let result = run_collecting(options, &mut flows);
    if !flows.is_empty() {
        println!("\n==== okta-auth-js compatibility ====");
        for line in &flows {
            println!("{line}");
        }
    }
    result
}

/// Runs the check and appends its `ok - …`/`not ok - …` line for each flow to `flows`.
pub fn run_collecting(options: Options, flows: &mut Vec<String>) -> Result<(), Error> {
    require_node()?;
    if options.build {
        process::run(cargo().args(["build", "--package", "oktadesk-cli"]))?;
    }
    let cli = workspace::target_dir().join("debug").join("oktadesk-cli");
    if !cli.is_file() {
        return Err(Error::Missing {
            what: cli.display().to_string(),
            fix: "build it with `cargo build --package oktadesk-cli`, or run `cargo xtask compat` \
                  without --no-build"
                .into(),
        });
    }
    let source = workspace::root().join(CHECK_DIR);
    let dir = ensure_installed(&source)?;
    copy_scripts(&source, &dir)?;
    // The check starts its own orgs; an org named in the caller's shell is not the one built.
    process::run_collecting_lines(
        Command::new("node")
            .arg("check.mjs")
            .current_dir(&dir)
            .env("OKTADESK_CLI", &cli)
            .env_remove("DEMO_ORG_URL")
            .env_remove("DEMO_ORG_URL_IDX"),
        is_flow_line,
        flows,
    )
}

fn is_flow_line(line: &str) -> bool {
    line.starts_with("ok - ") || line.starts_with("not ok - ")
}

fn require_node() -> Result<(), Error> {
    const WHAT: &str = "Node.js 18 or newer with npm (the okta-auth-js compatibility check runs \
                        Okta's JavaScript library in Node)";
    const FIX: &str = "install them (Debian/Ubuntu: `apt-get install nodejs npm`; `cargo xtask \
                       test` installs them) and run this again";
    require_on_path(&["node", "npm"], WHAT, FIX)?;
    let version = Command::new("node")
        .arg("--version")
        .output()
        .map_err(Error::not_started("node --version"))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if major >= MIN_NODE_MAJOR => Ok(()),
        _ => Err(Error::Missing {
            what: WHAT.into(),
            fix: format!("`node --version` says {version:?}; {FIX}"),
        }),
    }
}

/// The install folder with `node_modules` from the pinned lockfile, installing it first
/// unless an earlier install from the same lockfile finished there.
fn ensure_installed(source: &Path) -> Result<PathBuf, Error> {
    let dir = workspace::target_dir()
        .join("tools")
        .join("okta-auth-js-compat");
    let lockfile = read(&source.join(LOCKFILE))?;
    let installed = std::fs::read(dir.join(INSTALLED_LOCKFILE)).ok();
    if installed.as_deref() == Some(lockfile.as_slice()) && dir.join("node_modules").is_dir() {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|source| Error::File {
            path: dir.clone(),
            source,
        })?;
    }
    create_dir(&dir)?;
    for file in [MANIFEST, LOCKFILE] {
        copy(&source.join(file), &dir.join(file))?;
    }
    println!("xtask: installing okta-auth-js from {CHECK_DIR}/{LOCKFILE}");
    // `npm ci` installs exactly the lockfile (and fails if package.json disagrees with it);
    // no package's install script runs.
    process::run(
        Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    write(&dir.join(INSTALLED_LOCKFILE), &lockfile)?;
    Ok(dir)
}

/// Copies every `.mjs` of the check next to its installed packages, replacing older copies.
fn copy_scripts(source: &Path, dir: &Path) -> Result<(), Error> {
    let entries = std::fs::read_dir(source).map_err(|error| Error::File {
        path: source.to_owned(),
        source: error,
    })?;
    let mut copied = 0;
    for entry in entries.filter_map(|entry| entry.ok()) {
        let path = entry.path();
        if path.extension() == Some(OsStr::new("mjs")) {
            copy(&path, &dir.join(entry.file_name()))?;
            copied += 1;
        }
    }
    if copied == 0 {
        return Err(Error::Missing {
            what: format!("the check's scripts (*.mjs) in {}", source.display()),
            fix: "restore them from git".into(),
        });
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, contents: &[u8]) -> Result<(), Error> {
    std::fs::write(path, contents).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })
}

fn copy(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|source| Error::File {
            path: from.to_owned(),
            source,
        })
}

fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::File {
        path: dir.to_owned(),
        source,
    })
}
