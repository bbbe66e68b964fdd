//! Bench mode, for `cargo xtask bench`: with `OKTADESK_BENCH_READY=1` set, the app reports
//! when its first screen is drawn and taking input, so startup is timed to what a person
//! sees rather than to when a window exists.
//!
//! The page calls [`bench_ready`] after its first frame. In bench mode the app then prints
//! [`MARK_LINE`] lines (where the startup time went, see [`mark`]), [`READY_LINE`] and the
//! milliseconds since `main` started, and quits once its standard input closes: the harness
//! reads the memory of the live processes first, then closes the pipe. Outside bench mode the
//! command does nothing and marks cost one relaxed load.
//!
//! Only builds with the `bench` feature (the ones `cargo xtask bench` makes) have the command
//! and grant the window its capability; in any other build bench mode never turns on.

#[cfg(feature = "bench")]
use std::collections::BTreeMap;
#[cfg(feature = "bench")]
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

#[cfg(feature = "bench")]
use tauri::AppHandle;
#[cfg(feature = "bench")]
use tauri::Manager;
use tauri::ipc::Invoke;
use tauri::{App, Runtime};

/// Set (to anything) to turn bench mode on.
pub const ENV: &str = "OKTADESK_BENCH_READY";
/// What the harness waits for on standard output; the elapsed milliseconds follow it.
#[cfg(feature = "bench")]
pub const READY_LINE: &str = "bench-ready";
/// `bench-mark NAME MS`: a step of startup and the milliseconds since `main` it happened at.
#[cfg(feature = "bench")]
pub const MARK_LINE: &str = "bench-mark";

/// Marks the page may send; anything else is ignored, as is a page with too many.
#[cfg(feature = "bench")]
const MAX_PAGE_MARKS: usize = 16;

/// What the window may call in bench mode; granted at start-up, never in `capabilities/`.
#[cfg(feature = "bench")]
const BENCH_CAPABILITY: &str = include_str!("../capabilities/optional/bench.json");

static STARTED: OnceLock<Instant> = OnceLock::new();
static ENABLED: AtomicBool = AtomicBool::new(false);
/// Each mark's first time, in milliseconds since `main`.
static MARKS: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

/// Starts the clock and reads the bench switch; call first thing in `main`.
pub fn note_start() {
    STARTED.get_or_init(Instant::now);
    ENABLED.store(
        cfg!(feature = "bench") && std::env::var_os(ENV).is_some(),
        Ordering::Relaxed,
    );
}

/// Lets the main window report its first frame, in bench mode.
pub fn grant_window<R: Runtime>(app: &App<R>) -> tauri::Result<()> {
    #[cfg(feature = "bench")]
    if ENABLED.load(Ordering::Relaxed) {
        app.add_capability(BENCH_CAPABILITY)?;
    }
    #[cfg(not(feature = "bench"))]
    let _ = app;
    Ok(())
}

fn since_start_ms() -> f64 {
    STARTED.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Notes that startup reached `name` (the first time only), in bench mode.
pub fn mark(name: &str) {
    if ENABLED.load(Ordering::Relaxed) {
        record(name, since_start_ms());
    }
}

/// The app's command handler, marking when the page's first command reaches Rust.
pub fn marking_first_command<R: Runtime>(
    handler: impl Fn(Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke| {
        mark("first-command");
        handler(invoke)
    }
}

fn record(name: &str, at_ms: f64) {
    let mut marks = MARKS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !marks.iter().any(|(known, _)| known == name) {
        marks.push((name.to_owned(), at_ms));
    }
}

/// The page's first screen is interactive. `marks` are the page's own steps, each as how many
/// milliseconds before this call it happened (the page's clock starts later than `main`, so
/// ages are what translate); names are `page-` prefixed in the report.
#[cfg(feature = "bench")]
#[tauri::command]
pub fn bench_ready<R: Runtime>(app: AppHandle<R>, marks: Option<BTreeMap<String, f64>>) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if !ENABLED.load(Ordering::Relaxed) || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let elapsed = since_start_ms();
    for (name, age_ms) in marks.unwrap_or_default().into_iter().take(MAX_PAGE_MARKS) {
        let plain = !name.is_empty()
            && name.len() <= 32
            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if plain && age_ms.is_finite() && (0.0..=elapsed).contains(&age_ms) {
            record(&format!("page-{name}"), elapsed - age_ms);
        }
    }
    let mut stdout = std::io::stdout().lock();
    let mut marks = MARKS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    marks.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (name, at_ms) in marks {
        let _ = writeln!(stdout, "{MARK_LINE} {name} {at_ms:.1}");
    }
    let _ = writeln!(stdout, "{READY_LINE} {elapsed:.1}");
    let _ = stdout.flush();
    // Reading stdin blocks, so it gets a thread of its own rather than an async worker.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        app.exit(0);
    });
}
