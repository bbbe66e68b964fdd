//! The bench mode the bare apps share: `cargo xtask bench` measures OktaDesk's startup, memory
//! and size against them, so whatever they cost is Tauri's and WebKit's (and, for the static
//! first screen, the page's), not our code's.
//!
//! It is OktaDesk's (`src-tauri/src/bench.rs`): with `OKTADESK_BENCH_READY` set, the page's
//! first frame prints `bench-mark NAME MS` lines for the same steps OktaDesk marks (Tauri's
//! setup, the page load, the page's own marks), then `bench-ready <ms since main>`, and the
//! app quits once its standard input closes.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use tauri::webview::PageLoadEvent;
use tauri::{App, Context, Wry};

static STARTED: OnceLock<Instant> = OnceLock::new();
static MARKS: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

fn since_start_ms() -> f64 {
    STARTED.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn mark(name: &str) {
    record(name, since_start_ms());
}

fn record(name: &str, at: f64) {
    let mut marks = MARKS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !marks.iter().any(|(known, _)| known == name) {
        marks.push((name.to_owned(), at));
    }
}

#[tauri::command]
fn bench_ready(app: tauri::AppHandle, marks: Option<BTreeMap<String, f64>>) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if std::env::var_os("OKTADESK_BENCH_READY").is_none() || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let elapsed = since_start_ms();
    for (name, age) in marks.unwrap_or_default().into_iter().take(16) {
        if age.is_finite() && (0.0..=elapsed).contains(&age) {
            record(&format!("page-{name}"), elapsed - age);
        }
    }
    let mut marks = MARKS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    marks.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut stdout = std::io::stdout().lock();
    for (name, at) in marks {
        let _ = writeln!(stdout, "bench-mark {name} {at:.1}");
    }
    let _ = writeln!(stdout, "bench-ready {elapsed:.1}");
    let _ = stdout.flush();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        app.exit(0);
    });
}

/// Starts the clock; call first thing in `main`.
pub fn note_start() {
    STARTED.get_or_init(Instant::now);
}

/// Runs the app of `context` in bench mode; `setup` runs in Tauri's setup hook, before the
/// `setup` mark, so a window it builds is in the mark as Tauri's own windows are (OktaDesk's
/// window is built from its config before its setup hook, which marks `setup`).
pub fn run(
    context: Context<Wry>,
    setup: impl FnOnce(&mut App<Wry>) -> Result<(), Box<dyn std::error::Error>> + Send + 'static,
) {
    note_start();
    tauri::Builder::default()
        .setup(|app| {
            let built = setup(app);
            mark("setup");
            built
        })
        .on_page_load(|_, payload| match payload.event() {
            PageLoadEvent::Started => mark("page-load-started"),
            PageLoadEvent::Finished => mark("page-load-finished"),
        })
        .invoke_handler(tauri::generate_handler![bench_ready])
        .run(context)
        .expect("the bare app could not open its window; is a graphical session running?");
}

pub mod first_screen_page;
pub mod ui_font;
