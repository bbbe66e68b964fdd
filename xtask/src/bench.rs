//! `cargo xtask bench`: startup, memory and size of the app beside a bare Tauri app, the
//! core's approval and activation latency, and the CLI's sign-in time; writes BENCHMARKS.md.
//!
//! `--smoke` runs every measurement once on the debug builds `cargo xtask test` already made,
//! so the bench cannot rot; it asserts nothing about time and leaves BENCHMARKS.md alone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::packages::{self, Need};
use crate::process::{self, cargo};
use crate::workspace;

/// A guard against a hung app, not a speed requirement.
const READY_GUARD: Duration = Duration::from_secs(90);
/// Memory is read this long after the ready report, once WebKit has settled.
const SETTLE: Duration = Duration::from_secs(1);
const DEMO_PASSWORD: &str = "Demo-Pa55word!";
/// The notes on what was profiled and found, copied into BENCHMARKS.md on every run.
const NOTES: &str = "bench/NOTES.md";

pub struct Options {
    pub smoke: bool,
    pub runs: usize,
    /// Off: measure the binaries already built (release builds take long on small machines).
    pub build: bool,
}

struct Binaries {
    app: PathBuf,
    hello: PathBuf,
    latency: PathBuf,
    cli: PathBuf,
}

pub fn run(options: Options) -> Result<(), Error> {
    packages::ensure(Need::Test)?;
    let runs = if options.smoke {
        1
    } else {
        options.runs.max(1)
    };
    let binaries = build(options.smoke, options.build)?;
    let session = Session::start()?;

    println!("\nxtask bench: startup and memory, {runs} interleaved run(s) each");
    let gui = measure_gui(&session, &binaries, runs, options.smoke)?;
    println!("\nxtask bench: approval and activation latency at the core");
    let latency_runs = if options.smoke { 1 } else { 50 };
    let latency = measure_latency(&binaries.latency, latency_runs)?;
    println!("\nxtask bench: CLI sign-in wall time");
    // A failing CLI still leaves the other figures worth writing down; the run fails after.
    let cli = measure_cli(&session, &binaries.cli, runs).map_err(|error| error.to_string());

    let report = Report {
        smoke: options.smoke,
        gui,
        sizes: [size(&binaries.app)?, size(&binaries.hello)?],
        latency,
        cli: cli.clone(),
    };
    let markdown = report.markdown();
    if options.smoke {
        let path = workspace::target_dir().join("bench-smoke.md");
        write(&path, &markdown)?;
        println!(
            "\nxtask bench --smoke: every measurement ran once; report in {}",
            path.display()
        );
    } else {
        let path = workspace::root().join("BENCHMARKS.md");
        write(&path, &markdown)?;
        println!("\n{markdown}\nWrote {}", path.display());
    }
    cli.map(drop)
        .map_err(|why| failed("the CLI sign-in benchmark", &why))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::File {
        path: path.to_owned(),
        source,
    })
}

/// Release binaries built once, the app and the bare app in one cargo invocation so feature
/// unification gives both the same Tauri. The smoke reuses the test build's debug binaries
/// (the bench crates' integration tests make cargo build them), so it compiles nothing new.
fn build(smoke: bool, build: bool) -> Result<Binaries, Error> {
    let profile = if !build {
        if smoke { "debug" } else { "release" }
    } else if smoke {
        process::run(cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "oktadesk-e2e",
            "--no-run",
        ]))?;
        "debug"
    } else {
        // What `cargo xtask bundle` ships: the UI embedded and served from memory
        // (`tauri/custom-protocol`, which `cargo tauri build` adds) and the app's default
        // `demo-org` feature left out.
        process::run(cargo().args([
            "build",
            "--release",
            "--package",
            "oktadesk",
            "--package",
            "oktadesk-bench-hello",
            "--no-default-features",
            "--features",
            "tauri/custom-protocol",
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
        latency: dir.join("oktadesk-bench-latency"),
        cli: dir.join("oktadesk-cli"),
    };
    for binary in [
        &binaries.app,
        &binaries.hello,
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

/// A private desktop for the measured programs: Xvfb, a D-Bus session (the keychain's Secret
/// Service starts on it on demand, as on a desktop) and temporary XDG directories, so the
/// user's own keyring and caches are never touched. Everything stops on drop.
struct Session {
    xvfb: Child,
    bus: Child,
    env: Vec<(String, String)>,
    dir: PathBuf,
}

impl Session {
    fn start() -> Result<Self, Error> {
        let dir = workspace::target_dir().join(format!("bench-session-{}", std::process::id()));
        let mut env = Vec::new();
        for (var, sub) in [
            ("XDG_RUNTIME_DIR", "runtime"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).map_err(|source| Error::File {
                path: path.clone(),
                source,
            })?;
            env.push((var.to_owned(), path.display().to_string()));
        }
        set_private(&dir.join("runtime"))?;

        // -displayfd 1: Xvfb picks a free display and writes its number to stdout.
        let mut xvfb = spawn(
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )?;
        let display = first_line(&mut xvfb, "Xvfb")?;
        env.push(("DISPLAY".into(), format!(":{display}")));

        let mut bus = spawn(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .envs(env.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let address = match bus.as_mut() {
            Ok(bus) => first_line(bus, "dbus-daemon"),
            Err(_) => Ok(String::new()),
        };
        let (bus, address) = match (bus, address) {
            (Ok(bus), Ok(address)) => (bus, address),
            (Ok(mut bus), Err(error)) => {
                let _ = bus.kill();
                stop(&mut xvfb);
                return Err(error);
            }
            (Err(error), _) => {
                stop(&mut xvfb);
                return Err(error);
            }
        };
        env.push(("DBUS_SESSION_BUS_ADDRESS".into(), address));
        // What the brief for running WebKit headless asks: no accessibility bus, no GPU path.
        env.push(("NO_AT_BRIDGE".into(), "1".into()));
        env.push(("WEBKIT_DISABLE_COMPOSITING_MODE".into(), "1".into()));
        Ok(Self {
            xvfb,
            bus,
            env,
            dir,
        })
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        stop(&mut self.bus);
        stop(&mut self.xvfb);
        // The keyring daemon the bus started exits with the bus; its files go with the dir.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn set_private(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|source| {
        Error::File {
            path: dir.to_owned(),
            source,
        }
    })
}

fn spawn(command: &mut Command) -> Result<Child, Error> {
    let description = command.get_program().to_string_lossy().into_owned();
    command.spawn().map_err(|source| Error::CommandNotStarted {
        command: description,
        source,
    })
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The first line a child prints, waited for up to [`READY_GUARD`].
fn first_line(child: &mut Child, what: &str) -> Result<String, Error> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    match received.recv_timeout(READY_GUARD) {
        Ok(Ok(line)) => Ok(line.trim().to_owned()),
        _ => Err(failed(what, "printed nothing it was expected to print")),
    }
}

fn failed(command: &str, status: &str) -> Error {
    Error::CommandFailed {
        command: command.to_owned(),
        status: status.to_owned(),
    }
}

/// One launch to the first interactive frame.
struct Launch {
    /// From spawning the process to reading its ready line.
    startup: Duration,
    /// PSS of the app and all its descendants (WebKit's web and network processes), in KiB.
    pss_kib: u64,
    /// What the app printed: its startup steps and its own ready time, in ms since `main`.
    report: Ready,
    /// WebKit processes of other programs alive at launch: they share WebKit's library pages,
    /// which lowers every PSS figure, so the report says when there were any.
    foreign_webkit: usize,
    /// The 1-minute load average at launch: other work on the machine slows startup.
    load: f64,
}

/// An app's bench report: `bench-mark NAME MS` lines, then `bench-ready MS`.
#[derive(Default)]
struct Ready {
    marks: Vec<(String, f64)>,
    ready_ms: Option<f64>,
}

impl Ready {
    /// Reads one line; true once the ready line has come.
    fn read(&mut self, line: &str) -> bool {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("bench-mark"), Some(name), Some(ms)) => {
                if let Ok(ms) = ms.parse() {
                    self.marks.push((name.to_owned(), ms));
                }
                false
            }
            (Some("bench-ready"), ms, _) => {
                self.ready_ms = ms.and_then(|ms| ms.parse().ok());
                true
            }
            _ => false,
        }
    }
}

/// Startup and memory of [OktaDesk, hello].
struct Gui {
    launches: [Vec<Launch>; 2],
}

const GUI_NAMES: [&str; 2] = ["OktaDesk", "hello (bare Tauri)"];

fn measure_gui(
    session: &Session,
    binaries: &Binaries,
    runs: usize,
    smoke: bool,
) -> Result<Gui, Error> {
    let apps = [&binaries.app, &binaries.hello];
    // One launch each first, not counted: it starts the keyring daemon and fills the page
    // caches, as a desktop that has run anything before would have them.
    if !smoke {
        for app in apps {
            launch(session, app, Duration::ZERO)?;
        }
    }
    let settle = if smoke { Duration::ZERO } else { SETTLE };
    let mut launches = [Vec::new(), Vec::new()];
    for run in 0..runs {
        // Interleaved, alternating who goes first, so drifting load hits both alike.
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for index in order {
            let measured = launch(session, apps[index], settle)?;
            println!(
                "  run {:>2} {:<20} ready after {:>7.1} ms, PSS {:>7} KiB",
                run + 1,
                GUI_NAMES[index],
                millis(measured.startup),
                measured.pss_kib
            );
            launches[index].push(measured);
        }
    }
    Ok(Gui { launches })
}

fn launch(session: &Session, app: &Path, settle: Duration) -> Result<Launch, Error> {
    let name = app.display().to_string();
    let foreign_webkit = webkit_processes();
    let load = load_average();
    let started = Instant::now();
    let mut child = spawn(
        session
            .command(app)
            .env("OKTADESK_BENCH_READY", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )?;
    let stdin = child.stdin.take();
    let ready = wait_for_ready(&mut child);
    let startup = started.elapsed();
    let result = ready.map(|report| {
        std::thread::sleep(settle);
        Launch {
            startup,
            pss_kib: tree_pss_kib(child.id()),
            report,
            foreign_webkit,
            load,
        }
    });
    finish(child, stdin, &name)?;
    wait_for_webkit_exit(foreign_webkit);
    result.map_err(|why| failed(&name, &why))
}

fn wait_for_ready(child: &mut Child) -> Result<Ready, String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + READY_GUARD;
    let mut report = Ready::default();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(left) {
            Ok(line) if report.read(&line) => return Ok(report),
            Ok(_) => continue,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "did not report its first frame within {} s",
                    READY_GUARD.as_secs()
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err("exited before reporting its first frame".into());
            }
        }
    }
}

/// Closes stdin (the app's cue to quit) and waits for it, killing it if it lingers.
fn finish(mut child: Child, stdin: Option<ChildStdin>, name: &str) -> Result<(), Error> {
    drop(stdin);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                stop(&mut child);
                return Err(failed(
                    name,
                    "did not quit within 20 s of its stdin closing",
                ));
            }
        }
    }
}

/// How many WebKit web and network processes are running (before a launch: other programs').
fn webkit_processes() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| name.parse::<u32>().is_ok())
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| {
            // `PID (comm) STATE ...`; a zombie has exited and holds no memory.
            let Some((comm, rest)) = stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(')'))
            else {
                return false;
            };
            (comm.starts_with("WebKitWebProces") || comm.starts_with("WebKitNetworkPr"))
                && !rest.trim_start().starts_with('Z')
        })
        .count()
}

/// Waits, up to a few seconds, until the WebKit processes a launch started have exited: they
/// outlive the app by a moment, and would otherwise compete with the next launch for the CPU
/// and count as another program's.
fn wait_for_webkit_exit(before: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while webkit_processes() > before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Sums `Pss:` of `/proc/<pid>/smaps_rollup` over `root` and all its descendants.
fn tree_pss_kib(root: u32) -> u64 {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(parent) = parent_of(pid) {
                children.entry(parent).or_default().push(pid);
            }
        }
    }
    let mut total = 0;
    let mut pending = vec![root];
    while let Some(pid) = pending.pop() {
        total += pss_kib(pid);
        pending.extend(children.get(&pid).into_iter().flatten());
    }
    total
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name in parentheses may hold spaces; the fields after the last ')' are plain.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|rollup| {
            rollup.lines().find_map(|line| {
                line.strip_prefix("Pss:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

fn size(binary: &Path) -> Result<u64, Error> {
    std::fs::metadata(binary)
        .map(|meta| meta.len())
        .map_err(|source| Error::File {
            path: binary.to_owned(),
            source,
        })
}

/// `name value` lines from the latency bench.
fn measure_latency(latency: &Path, runs: usize) -> Result<HashMap<String, f64>, Error> {
    let output = Command::new(latency)
        .arg(runs.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|source| Error::CommandNotStarted {
            command: latency.display().to_string(),
            source,
        })?;
    if !output.status.success() {
        return Err(failed(
            &latency.display().to_string(),
            &output.status.to_string(),
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    let figures: HashMap<String, f64> = text
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect();
    for measure in ["approval", "activation"] {
        for figure in [
            "median_ms",
            "p95_ms",
            "min_ms",
            "max_ms",
            "polls_per_second",
        ] {
            if !figures.contains_key(&format!("{measure}.{figure}")) {
                return Err(failed(
                    &latency.display().to_string(),
                    &format!("its report has no {measure}.{figure}; rebuild it"),
                ));
            }
        }
    }
    Ok(figures)
}

const CLI_USERS: [&str; 2] = ["nomfa@demo.test", "push@demo.test"];

/// Wall time of `oktadesk-cli signin` per user in [`CLI_USERS`], against a demo org whose
/// phone approves at once and that does not rate-limit (the runs come back to back).
fn measure_cli(session: &Session, cli: &Path, runs: usize) -> Result<[Vec<Duration>; 2], Error> {
    let mut org = spawn(
        session
            .command(cli)
            .args(["demo-org", "--auto-approve", "0s", "--rate-limit", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )?;
    let result = first_line(&mut org, "oktadesk-cli demo-org").and_then(|url| {
        let mut times = [Vec::new(), Vec::new()];
        for run in 0..runs {
            for (index, user) in CLI_USERS.iter().enumerate() {
                let took = cli_sign_in(session, cli, &url, user)?;
                println!("  run {:>2} {user:<16} {:>7.1} ms", run + 1, millis(took));
                times[index].push(took);
            }
        }
        Ok(times)
    });
    stop(&mut org);
    result
}

fn cli_sign_in(session: &Session, cli: &Path, url: &str, user: &str) -> Result<Duration, Error> {
    let description = format!("oktadesk-cli signin --org {url} --user {user}");
    let started = Instant::now();
    let mut child = spawn(
        session
            .command(cli)
            .args(["signin", "--org", url, "--user", user, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    )?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = writeln!(stdin, "{DEMO_PASSWORD}");
    }
    let output = child
        .wait_with_output()
        .map_err(|source| Error::CommandNotStarted {
            command: description.clone(),
            source,
        })?;
    let took = started.elapsed();
    if output.status.success() {
        Ok(took)
    } else {
        Err(failed(
            &description,
            &format!(
                "{}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ))
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Median (the mean of the middle two for an even count), min and max.
fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (median, sorted[0], sorted[n - 1])
}

struct Report {
    smoke: bool,
    gui: Gui,
    sizes: [u64; 2],
    latency: HashMap<String, f64>,
    cli: Result<[Vec<Duration>; 2], String>,
}

impl Report {
    fn markdown(&self) -> String {
        let mut md = String::new();
        let runs = self.gui.launches[0].len();
        let _ = writeln!(md, "# Benchmarks\n");
        let _ = writeln!(
            md,
            "Generated by {} on {}. Do not edit by hand: notes live in \
             [`{NOTES}`]({NOTES}) and are copied in below.\n",
            if self.smoke {
                "`cargo xtask bench --smoke` (one debug run; the figures mean nothing)"
            } else {
                "`cargo xtask bench`"
            },
            command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        );
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
            if self.smoke {
                "debug (the test build, with the in-process demo org)"
            } else {
                "the shipped configuration: release profile (see `[profile.release]` in `Cargo.toml`), `--no-default-features --features tauri/custom-protocol` as `cargo xtask bundle` builds it (the UI embedded; no in-process demo org); app and hello in one cargo invocation, so the same Tauri and profile"
            }
        );
        let _ = writeln!(
            md,
            "\nThe window opens on a private Xvfb display (1280×800) with `NO_AT_BRIDGE=1` and \
             `WEBKIT_DISABLE_COMPOSITING_MODE=1`, a private D-Bus session (gnome-keyring starts on \
             it on demand) and temporary XDG directories. One untimed launch of each app comes \
             first (keyring up, caches warm); then {runs} launch(es) of each, interleaved.\n"
        );

        let _ = writeln!(md, "## Desktop app against a bare Tauri app\n");
        let launches: Vec<&Launch> = self.gui.launches.iter().flatten().collect();
        let loads: Vec<f64> = launches
            .iter()
            .map(|l| l.load)
            .filter(|l| l.is_finite())
            .collect();
        if !loads.is_empty() {
            let (median, min, max) = spread(&loads);
            let _ = writeln!(
                md,
                "Machine load during these launches (1-minute load average on {} cores): median \
                 {median:.2}, {min:.2}–{max:.2}.",
                std::thread::available_parallelism().map_or(0, |n| n.get())
            );
        }
        let crowded = launches.iter().filter(|l| l.foreign_webkit > 0).count();
        let _ = writeln!(
            md,
            "{}\n",
            if crowded == 0 {
                "No other program's WebKit processes were running at any launch.".to_owned()
            } else {
                format!(
                    "**{crowded} of {} launches ran beside other programs' WebKit processes**, \
                     which share WebKit's library pages and so lower the PSS figures of that \
                     launch.",
                    launches.len()
                )
            }
        );
        let _ = writeln!(
            md,
            "| measure | OktaDesk | hello (bare Tauri 2) | ratio | target | |\n|---|---|---|---|---|---|"
        );
        let startup = self.gui.launches.each_ref().map(|launches| {
            spread(
                &launches
                    .iter()
                    .map(|l| millis(l.startup))
                    .collect::<Vec<_>>(),
            )
        });
        let memory = self.gui.launches.each_ref().map(|launches| {
            spread(
                &launches
                    .iter()
                    .map(|l| l.pss_kib as f64 / 1024.0)
                    .collect::<Vec<_>>(),
            )
        });
        let sizes = self.sizes.map(|bytes| bytes as f64 / (1024.0 * 1024.0));
        row(
            &mut md,
            "startup to first interactive frame (ms), median (min–max)",
            startup,
            0,
            1.15,
        );
        row(
            &mut md,
            "PSS after ready, app + WebKit processes (MiB), median (min–max)",
            memory,
            1,
            1.10,
        );
        row(
            &mut md,
            "binary size, stripped (MiB)",
            sizes.map(|s| (s, s, s)),
            2,
            1.5,
        );

        self.startup_steps(&mut md);

        let _ = writeln!(md, "\n## Noticing the phone, at the core\n");
        let poll = self
            .latency
            .get("poll_interval_ms")
            .copied()
            .unwrap_or(f64::NAN);
        let _ = writeln!(
            md,
            "The real sign-in core against the in-process demo org over loopback HTTP, with the \
             shipped client settings (poll interval {poll:.0} ms). The virtual phone answers at a \
             uniformly random moment within two poll intervals after the push is sent (or the \
             QR code shown); latency runs from its answer to the stage that shows it. Approvals \
             and activations alternate, {} of each. p95 is nearest-rank.\n",
            self.latency.get("approval.runs").copied().unwrap_or(0.0)
        );
        let _ = writeln!(
            md,
            "| measure | median | p95 | min–max | polls/s while waiting | target | |\n|---|---|---|---|---|---|---|"
        );
        for (name, label, target) in [
            (
                "approval",
                "push approved → `Success` (ms)",
                Some((600.0, 1100.0)),
            ),
            ("activation", "QR scanned → next stage (ms)", None),
        ] {
            let get = |figure: &str| {
                self.latency
                    .get(&format!("{name}.{figure}"))
                    .copied()
                    .unwrap_or(f64::NAN)
            };
            let (median, p95, rate) = (get("median_ms"), get("p95_ms"), get("polls_per_second"));
            let (target_text, met) = match target {
                Some((median_max, p95_max)) => (
                    format!("median ≤ {median_max:.0}, p95 ≤ {p95_max:.0}, ≤ ~1 poll/s"),
                    verdict(median <= median_max && p95 <= p95_max && rate <= 1.05),
                ),
                None => (
                    "like approval".to_owned(),
                    verdict(median <= 600.0 && p95 <= 1100.0 && rate <= 1.05),
                ),
            };
            let _ = writeln!(
                md,
                "| {label} | {median:.0} | {p95:.0} | {:.0}–{:.0} | {rate:.2} | {target_text} | {met} |",
                get("min_ms"),
                get("max_ms"),
            );
        }

        let _ = writeln!(md, "\n## CLI sign-in, end to end\n");
        let _ = writeln!(
            md,
            "`oktadesk-cli signin --org URL --user USER --password-stdin`, from process start to \
             exit, against `oktadesk-cli demo-org --auto-approve 0s --rate-limit 0` (the phone \
             approves the moment a push is sent; no rate limit, as the runs come back to back). \
             {} run(s) per user, interleaved.\n",
            self.cli.as_ref().map_or(0, |cli| cli[0].len())
        );
        let _ = writeln!(
            md,
            "| user | median (ms) | min–max (ms) | target | |\n|---|---|---|---|---|"
        );
        for (index, user) in CLI_USERS.iter().enumerate() {
            let times = match &self.cli {
                Ok(cli) => &cli[index],
                Err(why) => {
                    let _ = writeln!(md, "| {user} | not measured: {why} | | | |");
                    continue;
                }
            };
            let (median, min, max) = spread(&times.iter().map(|d| millis(*d)).collect::<Vec<_>>());
            let (target, met) = if *user == "push@demo.test" {
                ("< 1500".to_owned(), verdict(median < 1500.0))
            } else {
                ("".to_owned(), String::new())
            };
            let _ = writeln!(
                md,
                "| {user} | {median:.0} | {min:.0}–{max:.0} | {target} | {met} |"
            );
        }

        let notes = std::fs::read_to_string(workspace::root().join(NOTES)).unwrap_or_default();
        if !notes.trim().is_empty() {
            let _ = writeln!(md, "\n{}", notes.trim_end());
        }
        md
    }
}

impl Report {
    /// Medians of each startup step both apps mark, in time since `main` (the app's own
    /// clock), and the time from spawning the process to `main` (exec, dynamic linking,
    /// relocation), which the harness's clock minus the app's own ready time gives.
    fn startup_steps(&self, md: &mut String) {
        let _ = writeln!(md, "\n### Where startup goes\n");
        let _ = writeln!(
            md,
            "Medians over the runs above, in ms. Steps are marked by the apps in bench mode: \
             `state` (OktaDesk's state built), `setup` (Tauri's setup hook), `page-load-*` \
             (the webview's load events), `first-command` (the first IPC command reaches Rust), \
             `keychain-open` (the Secret Service session, opened in the background), and the \
             page's own: `page-start` (its time origin), `page-dom-interactive`, \
             `page-script` (app.js evaluated, its imports loaded), `page-app-info`, \
             `page-accounts` (the keychain's answer, when it came before the first frame), \
             `page-drawn` (first screen in the DOM).\n"
        );
        let _ = writeln!(
            md,
            "| step | OktaDesk | hello (bare Tauri 2) |\n|---|---|---|"
        );
        let median_of = |values: Vec<f64>| (!values.is_empty()).then(|| spread(&values).0);
        let cell = |value: Option<f64>| value.map_or("—".to_owned(), |ms| format!("{ms:.0}"));
        let before_main = self.gui.launches.each_ref().map(|launches| {
            median_of(
                launches
                    .iter()
                    .filter_map(|l| Some(millis(l.startup) - l.report.ready_ms?))
                    .collect(),
            )
        });
        let _ = writeln!(
            md,
            "| process spawned → `main` (exec, dynamic linking) | {} | {} |",
            cell(before_main[0]),
            cell(before_main[1])
        );
        let mut names: Vec<(String, f64)> = Vec::new();
        for launches in &self.gui.launches {
            for launch in launches {
                for (name, at) in &launch.report.marks {
                    if !names.iter().any(|(known, _)| known == name) {
                        names.push((name.clone(), *at));
                    }
                }
            }
        }
        let step = |index: usize, name: &str| {
            median_of(
                self.gui.launches[index]
                    .iter()
                    .filter_map(|l| {
                        l.report
                            .marks
                            .iter()
                            .find(|(known, _)| known == name)
                            .map(|(_, at)| *at)
                    })
                    .collect(),
            )
        };
        let mut rows: Vec<(String, [Option<f64>; 2])> = names
            .iter()
            .map(|(name, _)| (name.clone(), [step(0, name), step(1, name)]))
            .collect();
        rows.sort_by(|a, b| {
            let key = |row: &[Option<f64>; 2]| row[0].or(row[1]).unwrap_or(f64::MAX);
            key(&a.1).total_cmp(&key(&b.1))
        });
        for (name, [app, hello]) in rows {
            let _ = writeln!(md, "| `{name}` | {} | {} |", cell(app), cell(hello));
        }
        let ready =
            self.gui.launches.each_ref().map(|launches| {
                median_of(launches.iter().filter_map(|l| l.report.ready_ms).collect())
            });
        let _ = writeln!(
            md,
            "| ready (first frame reported) | {} | {} |",
            cell(ready[0]),
            cell(ready[1])
        );
    }
}

fn verdict(met: bool) -> String {
    if met {
        "met".into()
    } else {
        "**missed**".into()
    }
}

/// A table row: [OktaDesk, hello] as (median, min, max), their ratio against the target.
fn row(md: &mut String, label: &str, values: [(f64, f64, f64); 2], decimals: usize, target: f64) {
    let cell = |(median, min, max): (f64, f64, f64)| {
        if min == max {
            format!("{median:.decimals$}")
        } else {
            format!("{median:.decimals$} ({min:.decimals$}–{max:.decimals$})")
        }
    };
    let ratio = values[0].0 / values[1].0;
    let _ = writeln!(
        md,
        "| {label} | {} | {} | {ratio:.2}× | ≤ {target:.2}× | {} |",
        cell(values[0]),
        cell(values[1]),
        verdict(ratio <= target)
    );
}

fn command_output(program: &str, args: &[&str]) -> String {
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
