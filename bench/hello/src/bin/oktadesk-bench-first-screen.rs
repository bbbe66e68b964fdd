//! The like-for-like floor: a bare Tauri 2 app whose page is OktaDesk's own first screen as
//! static HTML and CSS (made from `ui/` by `build.rs`), with no modules and no IPC before its
//! first frame. `cargo xtask bench` times OktaDesk against it, so the gap is our code's cost,
//! not the first screen's looks. Bench mode as in `lib.rs`.

// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    oktadesk_bench_hello::note_start();
    oktadesk_bench_hello::run(
        tauri::generate_context!("first-screen/tauri.conf.json"),
        oktadesk_bench_hello::ui_font::open_window_in_desktop_font,
    );
}
