//! OktaDesk's desktop app: Tauri commands and adapters over the sign-in core.

mod accounts;
mod bench;
mod browser_handoff;
mod commands;
#[cfg(feature = "demo")]
mod demo;
#[cfg(feature = "demo")]
mod demo_commands;
mod demo_mode;
mod desktop;
mod error;
mod flow_record;
mod launch;
mod models;
mod navigation;
mod notify;
mod sign_in;
mod single_instance;
mod transcript_file;
mod trust;
mod ui_font;

use std::process::ExitCode;

use tauri::webview::PageLoadEvent;
use tauri::{Builder, Manager, Runtime};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

pub use crate::accounts::Accounts;
#[cfg(feature = "demo")]
pub use crate::demo::Demo;
pub use crate::demo_mode::DemoMode;
pub use crate::desktop::{Desktop, SharedDesktop, TauriDesktop};
pub use crate::error::Error;
pub use crate::launch::{Launch, LaunchOptions};
pub use crate::models::{AppInfo, DemoStatus, EngineView, SignInEvent};
pub use crate::notify::{Note, NotifyWhen};
pub use crate::sign_in::SignIns;
pub use crate::trust::Trust;

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

    let parts = AppParts {
        accounts: Accounts::keychain(),
        demo: DemoMode::from_launch(&options),
        notify_when: NotifyWhen::from_notify_always(options.notify_always),
    };
    bench::mark("state");
    let mut builder = Builder::default();
    // First, so a second copy hands over before it sets anything else up.
    if let Some(single_instance) = single_instance::plugin() {
        builder = builder.plugin(single_instance);
    }
    let builder = builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            bench::mark("setup");
            // Demo and bench commands are granted here, only in builds that have them and
            // only when in use, so no release build's window can call them.
            app.state::<DemoMode>().grant_window(app)?;
            bench::grant_window(app)?;
            // The desktop needs the app handle, and GTK started for the UI font: both exist
            // from here, before the page loads and calls a command.
            let desktop = TauriDesktop::shared(app.handle().clone(), ui_font::desktop_family());
            // Hand-off pages a previous run left behind (it quit before their timer).
            if let Some(dir) = desktop.handoff_dir() {
                tauri::async_runtime::spawn_blocking(move || {
                    browser_handoff::HandoffPages::new(dir, browser_handoff::PAGE_LIFETIME).sweep()
                });
            }
            app.manage(desktop);
            // Opening the keychain is D-Bus round trips and a key exchange with the Secret
            // Service: do it while WebKit loads the page, so the first screen's account list
            // finds it open. A failed open is not kept; that list call reports it.
            let accounts = app.state::<Accounts>().inner().clone();
            tauri::async_runtime::spawn(async move {
                if accounts.call(|_| Ok(())).await.is_ok() {
                    bench::mark("keychain-open");
                }
            });
            Ok(())
        })
        .on_page_load(|_, payload| match payload.event() {
            PageLoadEvent::Started => bench::mark("page-load-started"),
            PageLoadEvent::Finished => bench::mark("page-load-finished"),
        });
    let app = build_app(builder, parts).run(tauri::generate_context!());
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

/// The parts of the app's managed state that come from how it was started; each command
/// takes only the parts it needs (`State<'_, Accounts>`, `State<'_, SignIns>`, ...).
pub struct AppParts {
    pub accounts: Accounts,
    pub demo: DemoMode,
    pub notify_when: NotifyWhen,
}

/// Everything the app registers on a builder, kept apart from `run` so tests can apply it to
/// `tauri::test::mock_builder()` and call the commands through the real IPC layer.
///
/// The desktop ([`SharedDesktop`]) is not among the parts: it needs the app handle, so the
/// builder's setup hook manages it ([`TauriDesktop`] in the app, a recorder in tests).
pub fn build_app<R: Runtime>(builder: Builder<R>, parts: AppParts) -> Builder<R> {
    let commands = bench::marking_first_command(tauri::generate_handler![
        commands::app_info,
        commands::validate_org_url,
        commands::validate_phone_number,
        commands::detect_engine,
        commands::list_accounts,
        commands::forget_account,
        commands::forget_all_accounts,
        commands::rename_account,
        commands::set_auto_push,
        commands::start_sign_in,
        commands::start_recovery,
        commands::flow_command,
        commands::remember_device,
        commands::remember_account,
        commands::open_dashboard,
        commands::open_in_browser,
        commands::flow_transcript,
        commands::export_transcript,
        commands::trusted_certificate,
        commands::trust_certificate,
        commands::forget_certificate,
        #[cfg(feature = "demo")]
        demo_commands::demo_phone_view,
        #[cfg(feature = "demo")]
        demo_commands::demo_phone_scan,
        #[cfg(feature = "demo")]
        demo_commands::demo_phone_answer,
        #[cfg(feature = "bench")]
        bench::bench_ready,
    ]);
    builder
        .plugin(navigation::guard())
        .manage(parts.accounts)
        .manage(parts.demo)
        .manage(SignIns::new(parts.notify_when))
        .manage(Trust::default())
        .invoke_handler(commands)
}

/// The log filter when `OKTADESK_LOG` is unset.
const DEFAULT_LOG: &str = "oktadesk=info,oktadesk_app=info,warn";

/// Logs to stderr, filtered by `OKTADESK_LOG` (`target=level` pairs and a default level, e.g.
/// `oktadesk_app=debug,warn`). A plain target filter rather than `EnvFilter`: the app needs
/// no span-field or regex directives, and leaving them out keeps their code out of the binary.
fn init_logging() {
    let from_env = std::env::var("OKTADESK_LOG").ok();
    let (filter, refused) = match from_env.as_deref().map(str::parse::<Targets>) {
        Some(Ok(filter)) => (filter, None),
        Some(Err(error)) => (default_log_filter(), Some(error)),
        None => (default_log_filter(), None),
    };
    // A second subscriber (tests, embedding) is harmless; keep the first.
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
    if let Some(error) = refused {
        tracing::warn!(
            %error,
            "OKTADESK_LOG is not a log filter (write target=level pairs, e.g. \
             oktadesk_app=debug,warn); logging with the default filter"
        );
    }
}

fn default_log_filter() -> Targets {
    DEFAULT_LOG
        .parse()
        .expect("the default log filter is valid")
}

#[cfg(all(test, feature = "demo"))]
mod tests;

#[cfg(test)]
mod capability_tests;

#[cfg(test)]
mod log_filter_tests {
    #[test]
    fn the_default_log_filter_parses() {
        let _ = super::default_log_filter();
    }
}
