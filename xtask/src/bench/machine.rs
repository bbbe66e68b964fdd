//! The machine and toolchain a run was made on, for the report's "Machine" table.

use std::fmt::Write as _;
use std::process::Command;

use crate::workspace;

/// The "Machine" section: CPU, memory, OS, toolchain and library versions, and the builds.
pub(super) fn write_section(md: &mut String, smoke: bool) {
    let _ = writeln!(md, "## Machine\n");
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| CPU | {} |", cpu());
    let _ = writeln!(md, "| memory | {} |", memory());
    let _ = writeln!(md, "| OS | {} |", os());
    let _ = writeln!(
        md,
        "| rustc | {} |",
        command_output("rustc", &["--version"])
    );
    let _ = writeln!(md, "| Tauri | {} |", locked_version("tauri"));
    let _ = writeln!(md, "| wry | {} |", locked_version("wry"));
    let _ = writeln!(
        md,
        "| WebKitGTK | {} |",
        command_output("pkg-config", &["--modversion", "webkit2gtk-4.1"])
    );
    let _ = writeln!(
        md,
        "| builds | {} |",
        if smoke {
            "debug (the test build, with the in-process demo org)"
        } else {
            "the shipped configuration: release profile (see `[profile.release]` in `Cargo.toml`), the app's default features (no demo) with `tauri/custom-protocol` as `cargo xtask bundle` builds it (the UI embedded), plus `bench` for the first-frame report; the app and both bare apps in one cargo invocation, so the same Tauri and profile"
        }
    );
}

pub(super) fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

fn cpu() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores available")
}

fn memory() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let kib: f64 = info
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB", kib / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn os() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let name = release
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_owned())
        .unwrap_or_else(|| "unknown".into());
    format!("{name}, Linux {}", command_output("uname", &["-r"]))
}

/// A package's version as Cargo.lock pins it.
fn locked_version(package: &str) -> String {
    let lock = std::fs::read_to_string(workspace::root().join("Cargo.lock")).unwrap_or_default();
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return version.trim_matches('"').to_owned();
        }
    }
    "unknown".into()
}
