//! `cargo xtask audit`: cargo-deny over Cargo.lock, with the policy and the reviewed list of
//! accepted advisories in deny.toml. The advisories check needs the RustSec database from the
//! network; the licenses, bans and sources checks need no database.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::{process, tools, workspace};

/// The database cargo-deny fetches when deny.toml names none.
const RUSTSEC_DB_URL: &str = "https://github.com/RustSec/advisory-db";

/// Every check: fetch the advisory database (or take it from `local_db`, a git clone of it),
/// then advisories, then licenses, bans and sources.
pub fn run(local_db: Option<&Path>) -> Result<(), Error> {
    let cargo_deny = tools::CARGO_DENY.ensure_pinned()?;
    let local_db = local_db.map(checked_clone).transpose()?;
    let deny = |args: &[&str]| {
        let mut command = cargo_deny_command(&cargo_deny);
        if let Some(clone) = &local_db {
            fetch_from_clone(&mut command, clone);
        }
        command.args(args);
        command
    };

    // Fetched on its own first: cargo-deny exits with 1 both when it cannot fetch and when it
    // finds an advisory, and the two need different answers.
    if process::run(&mut deny(&["fetch", "db"])).is_err() {
        return Err(unreachable_database(local_db.as_deref()));
    }
    let mut failed = Vec::new();
    // With the inclusion graph: it shows which dependency brings a new advisory in.
    if process::run(&mut deny(&["--locked", "check", "advisories"])).is_err() {
        println!(
            "\nxtask: an advisory above is not on deny.toml's reviewed list. If it names a fixed \
             version, update to it (`cargo update -p <crate>`). Otherwise review it and add \
             `{{ id = \"RUSTSEC-...\", reason = \"...\" }}` to [advisories] ignore, saying which \
             crate it is, which dependency brings it, why OktaDesk can live with it and what \
             would remove it."
        );
        failed.push("advisories".to_owned());
    }
    if run_policy(&cargo_deny).is_err() {
        failed.push("licenses, bans, sources".to_owned());
    }
    if failed.is_empty() {
        println!(
            "\nxtask: audit passed: no advisory beyond deny.toml's reviewed list, and the licenses, bans and sources checks are clean."
        );
        Ok(())
    } else {
        Err(Error::StepsFailed(failed))
    }
}

/// The checks that need no advisory database: every license allowed, crates.io the only
/// source, duplicate versions listed. Not part of `cargo xtask test`: building cargo-deny takes
/// about five minutes of CPU (fat LTO over some 140 crates), too much of CI's 30 minutes for
/// checks that only change when Cargo.lock does.
fn run_policy(cargo_deny: &Path) -> Result<(), Error> {
    // Without inclusion graphs: every duplicate version would print its own tree (7,000 lines
    // for some fifty warnings). A failure still names the crate; `cargo tree -i` shows why.
    process::run(cargo_deny_command(cargo_deny).args([
        "--locked",
        "check",
        "licenses",
        "bans",
        "sources",
        "--hide-inclusion-graph",
    ]))
}

fn cargo_deny_command(cargo_deny: &Path) -> Command {
    let root = workspace::root();
    let mut command = Command::new(cargo_deny);
    // cargo-deny runs `cargo metadata`, which must see the workspace, not xtask's package.
    process::remove_package_env(&mut command);
    command
        .current_dir(&root)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--config")
        .arg(root.join("deny.toml"));
    command
}

/// The clone's absolute path, once it looks like the RustSec database.
fn checked_clone(path: &Path) -> Result<PathBuf, Error> {
    let clone = std::fs::canonicalize(path).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })?;
    if !clone.join("crates").is_dir() || !clone.join(".git").exists() {
        return Err(Error::Missing {
            what: format!("an advisory database at {}", clone.display()),
            fix: format!(
                "--advisory-db takes a git clone of {RUSTSEC_DB_URL} (a folder with `.git` and \
                 `crates/`, on branch main)"
            ),
        });
    }
    let last_commit = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["log", "-1", "--format=%cs"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!(
        "xtask: advisories from the local clone {} (last commit {last_commit}); advisories \
         published since then are not checked",
        clone.display()
    );
    Ok(clone)
}

/// cargo-deny fetches the database with the git command line: git's `url.<base>.insteadOf`,
/// given in the environment, sends that fetch to the local clone. Everything else stays as it
/// is online: deny.toml, the database's folder under $CARGO_HOME/advisory-dbs, every check.
fn fetch_from_clone(command: &mut Command, clone: &Path) {
    // Entries the caller's environment already gives git come first and are kept.
    let index: usize = std::env::var("GIT_CONFIG_COUNT")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(0);
    command
        .env("GIT_CONFIG_COUNT", (index + 1).to_string())
        .env(
            format!("GIT_CONFIG_KEY_{index}"),
            format!("url.file://{}.insteadOf", clone.display()),
        )
        .env(format!("GIT_CONFIG_VALUE_{index}"), RUSTSEC_DB_URL);
}

fn unreachable_database(local_db: Option<&Path>) -> Error {
    let fix = match local_db {
        Some(clone) => format!(
            "cargo-deny could not read it from {} (see its message above); check that the \
             clone has a `main` branch, or clone {RUSTSEC_DB_URL} again",
            clone.display()
        ),
        None => format!(
            "cargo-deny could not fetch it from {RUSTSEC_DB_URL} (see its message above). Run \
             `cargo xtask audit` where github.com can be reached, or clone the database where \
             it can (`git clone {RUSTSEC_DB_URL}`), copy the clone here and run `cargo xtask \
             audit --advisory-db <clone>`"
        ),
    };
    Error::Missing {
        what: "the RustSec advisory database".to_owned(),
        fix,
    }
}
