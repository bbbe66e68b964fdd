//! OktaDesk's desktop app: Tauri commands and adapters over the sign-in core.

mod commands;
mod demo;
mod error;
mod launch;
mod models;
mod state;

use std::process::ExitCode;

use tauri::{Builder, Runtime};
use tracing_subscriber::EnvFilter;

pub use crate::demo::DemoOrg;
pub use crate::error::Error;
pub use crate::launch::{Launch, LaunchOptions};
pub use crate::models::{AppInfo, DemoStatus, OrgUrl, OrgUrlError};
pub use crate::state::AppState;

/// Starts the desktop app; returns when its last window has closed.
pub fn run() -> ExitCode {
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

    let demo = options.demo.then(DemoOrg::start);
    let app = build_app(Builder::default(), AppState::new(demo)).run(tauri::generate_context!());
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
mod tests {
    use serde_json::{Value, json};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
    use tauri::webview::InvokeRequest;
    use tauri::{App, WebviewWindow, WebviewWindowBuilder};

    use super::*;

    fn mock_app(state: AppState) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let app = build_app(mock_builder(), state)
            .build(mock_context(tauri::test::noop_assets()))
            .expect("the mock app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock window opens");
        (app, window)
    }

    fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    #[test]
    fn validate_org_url_returns_the_origin() {
        let (_app, window) = mock_app(AppState::default());
        let response = invoke(
            &window,
            "validate_org_url",
            json!({ "url": " https://acme.okta.com/app/UserHome " }),
        );
        assert_eq!(response, Ok(json!("https://acme.okta.com")));
    }

    #[test]
    fn validate_org_url_errors_reach_the_ui_as_kind_and_message() {
        let (_app, window) = mock_app(AppState::default());
        let response = invoke(
            &window,
            "validate_org_url",
            json!({ "url": "http://acme.okta.com" }),
        );
        assert_eq!(
            response,
            Err(json!({
                "kind": "invalid_org_url",
                "message": OrgUrlError::Insecure.to_string(),
            }))
        );
    }

    #[test]
    fn app_info_names_the_app_and_reports_demo_mode() {
        let (_app, window) = mock_app(AppState::default());
        let info = invoke(&window, "app_info", json!({})).unwrap();
        assert!(info["version"].as_str().is_some_and(|v| !v.is_empty()));
        assert_eq!(info["demo"], Value::Null);

        let (_app, window) = mock_app(AppState::new(Some(DemoOrg::start())));
        let info = invoke(&window, "app_info", json!({})).unwrap();
        assert!(
            info["demo"]["state"].is_string(),
            "demo status missing: {info}"
        );
    }
}
