//! OktaDesk's desktop app: Tauri commands and adapters over the sign-in core.

mod accounts;
mod bench;
mod commands;
mod demo;
mod error;
mod flow;
mod launch;
mod models;
mod notify;
mod state;

use std::process::ExitCode;
use std::sync::Arc;

use tauri::{Builder, Manager, Runtime};
use tracing_subscriber::EnvFilter;

pub use crate::accounts::Accounts;
pub use crate::demo::Demo;
pub use crate::error::Error;
pub use crate::flow::{REMEMBERED_EVENT, STAGE_EVENT};
pub use crate::launch::{Launch, LaunchOptions};
pub use crate::models::{AppInfo, DemoStatus};
pub use crate::notify::{Note, Notifier};
pub use crate::state::AppState;

/// Starts the desktop app; returns when its last window has closed.
pub fn run() -> ExitCode {
    bench::note_start();
    init_logging();
    let (launch, ignored) = Launch::from_args(std::env::args_os().skip(1));
    for arg in ignored {
        tracing::info!(?arg, "ignoring an argument OktaDesk does not know");
    }
    let options = match launch {
        Launch::App(options) => options,
        Launch::Help => {
            println!("{}", launch::USAGE);
            return ExitCode::SUCCESS;
        }
        Launch::Version => {
            println!("oktadesk {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
    };

    let demo = match (&options.demo_org_url, options.demo) {
        (Some(url), _) => Some(Demo::connect(url)),
        (None, true) => Some(Demo::start_embedded()),
        (None, false) => None,
    };
    let state = match AppState::new(demo, Accounts::keychain()) {
        Ok(state) => state.with_notify_always(options.notify_always),
        Err(error) => {
            eprintln!("OktaDesk could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let builder = Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let notifier = notify::PluginNotifier(app.handle().clone());
            app.state::<AppState>()
                .set_notifier_if_unset(Arc::new(notifier));
            Ok(())
        });
    let app = build_app(builder, state).run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "OktaDesk could not open its window: {error}. \
                 Check that a graphical session is running (DISPLAY or WAYLAND_DISPLAY is set)."
            );
            ExitCode::FAILURE
        }
    }
}

/// Everything the app registers on a builder, kept apart from `run` so tests can apply it to
/// `tauri::test::mock_builder()` and call the commands through the real IPC layer.
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::validate_org_url,
            commands::list_accounts,
            commands::forget_account,
            commands::rename_account,
            commands::set_auto_push,
            commands::start_sign_in,
            commands::flow_command,
            commands::remember_account,
            commands::open_dashboard,
            commands::flow_transcript,
            commands::export_transcript,
            commands::demo_phone_view,
            commands::demo_phone_scan,
            commands::demo_phone_answer,
            bench::bench_ready,
        ])
}

fn init_logging() {
    let filter = EnvFilter::try_from_env("OKTADESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("oktadesk=info,oktadesk_app=info,warn"));
    // A second subscriber (tests, embedding) is harmless; keep the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests;
