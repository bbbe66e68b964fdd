//! The Tauri commands the UI calls. Each one is a thin adapter: the work lives elsewhere.

use tauri::{AppHandle, Runtime, State};

use crate::error::Result;
use crate::models::{AppInfo, OrgUrl};
use crate::state::AppState;

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        demo: state.demo().map(|demo| demo.status().clone()),
    }
}

/// Checks an org address as it is typed, so the form can say what is wrong before sign-in.
#[tauri::command]
pub fn validate_org_url(url: String) -> Result<OrgUrl> {
    Ok(OrgUrl::parse(&url)?)
}
