//! The static first screen in the desktop's UI font, as OktaDesk draws it: the app names
//! GTK's font family instead of `system-ui`, which WebKitGTK sets up more slowly
//! (`src-tauri/src/ui_font.rs`). OktaDesk hands it over in `app_info`; this page has no IPC,
//! so an initialization script sets it at document start.

use tauri::{App, Wry};

/// Opens the configured window (`"create": false`) with the UI font set before the page runs.
pub fn open_window_in_desktop_font(app: &mut App<Wry>) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .first()
        .cloned()
        .ok_or("the config has no window")?;
    let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
    if let Some(family) = desktop_family() {
        window = window.initialization_script(font_script(&family));
    }
    window.build()?;
    Ok(())
}

/// Sets `--font-ui` as `ui/app.js` does, once the document element exists.
fn font_script(family: &str) -> String {
    let value = format!("\"{family}\", sans-serif");
    format!(
        "(() => {{ const apply = () => document.documentElement.style.setProperty('--font-ui', {value:?});\n\
         if (document.documentElement) apply();\n\
         else new MutationObserver((_, seen) => {{ if (document.documentElement) {{ apply(); seen.disconnect(); }} }})\n\
         .observe(document, {{ childList: true }}); }})();"
    )
}

/// GTK's UI font family, as `src-tauri/src/ui_font.rs` reads it (only plain names).
#[cfg(target_os = "linux")]
fn desktop_family() -> Option<String> {
    use gtk::prelude::GtkSettingsExt;
    let name = gtk::Settings::default()?.gtk_font_name()?;
    let family = gtk::pango::FontDescription::from_string(&name).family()?;
    let family = family.split(',').next()?.trim().to_owned();
    let plain = family
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
    (plain && !family.is_empty() && family.len() <= 64).then_some(family)
}

#[cfg(not(target_os = "linux"))]
fn desktop_family() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_script_quotes_the_family_as_the_app_does() {
        let script = super::font_script("DejaVu Sans");
        assert!(
            script.contains(r#"'--font-ui', "\"DejaVu Sans\", sans-serif""#),
            "{script}"
        );
    }
}
