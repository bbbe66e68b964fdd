//! The bare Tauri 2 app: one window, one static page, one command. `cargo xtask bench`
//! measures OktaDesk's startup, memory and size against it, so whatever it costs is Tauri's
//! and WebKit's, not ours.
//!
//! Its bench mode is OktaDesk's (`src-tauri/src/bench.rs`): with `OKTADESK_BENCH_READY` set,
//! the page's first frame prints `bench-ready <ms since main>` and the app quits once its
//! standard input closes.

// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn bench_ready(app: tauri::AppHandle) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if std::env::var_os("OKTADESK_BENCH_READY").is_none() || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let elapsed = STARTED.get_or_init(Instant::now).elapsed();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "bench-ready {:.1}", elapsed.as_secs_f64() * 1000.0);
    let _ = stdout.flush();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        app.exit(0);
    });
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![bench_ready])
        .run(tauri::generate_context!())
        .expect("the hello app could not open its window; is a graphical session running?");
}
