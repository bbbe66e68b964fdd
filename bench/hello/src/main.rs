//! The bare Tauri 2 app: one window, one static page, one command: the floor `cargo xtask
//! bench` measures OktaDesk against (see `lib.rs` for its bench mode).

// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    oktadesk_bench_hello::note_start();
    oktadesk_bench_hello::run(tauri::generate_context!(), |_| Ok(()));
}
