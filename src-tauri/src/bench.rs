//! Bench mode, for `cargo xtask bench`: with `OKTADESK_BENCH_READY=1` set, the app reports
//! when its first screen is drawn and taking input, so startup is timed to what a person
//! sees rather than to when a window exists.
//!
//! The page calls [`bench_ready`] after its first frame. In bench mode the app then prints
//! [`READY_LINE`] and the milliseconds since `main` started, and quits once its standard input
//! closes: the harness reads the memory of the live processes first, then closes the pipe.
//! Outside bench mode the command does nothing.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tauri::{AppHandle, Runtime};

/// Set (to anything) to turn bench mode on.
pub const ENV: &str = "OKTADESK_BENCH_READY";
/// What the harness waits for on standard output; the elapsed milliseconds follow it.
pub const READY_LINE: &str = "bench-ready";

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Starts the clock; call first thing in `main`.
pub fn note_start() {
    STARTED.get_or_init(Instant::now);
}

/// The page's first screen is interactive.
#[tauri::command]
pub fn bench_ready<R: Runtime>(app: AppHandle<R>) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if std::env::var_os(ENV).is_none() || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let elapsed = STARTED.get_or_init(Instant::now).elapsed();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{READY_LINE} {:.1}", elapsed.as_secs_f64() * 1000.0);
    let _ = stdout.flush();
    // Reading stdin blocks, so it gets a thread of its own rather than an async worker.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        app.exit(0);
    });
}
