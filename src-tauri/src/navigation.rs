//! Keeps the main window on the app's own pages. A navigation anywhere else (a link that
//! slipped into a server message, script that got in) is refused: the browser hand-off goes
//! through Rust (`Desktop::open_url`), never through the webview.

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// Whether `url` is one of the app's own pages, as Tauri serves them from `ui/`: the
/// `tauri://localhost` custom protocol (Linux, macOS) or `http(s)://tauri.localhost`
/// (Windows).
pub fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost") && url.port().is_none(),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    }
}

/// A plugin (with no commands) whose only job is to refuse navigations off the app.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let allowed = is_app_page(url);
            if !allowed {
                // The origin only: a URL can carry a token.
                tracing::warn!(
                    origin = %url.origin().ascii_serialization(),
                    "refused a navigation away from the app's own pages"
                );
            }
            allowed
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_may_be_opened_in_the_window() {
        let allowed = |url: &str| is_app_page(&Url::parse(url).unwrap());
        assert!(allowed("tauri://localhost/index.html"));
        assert!(allowed("http://tauri.localhost/index.html"));
        assert!(allowed("https://tauri.localhost/js/app.js"));
        assert!(!allowed(
            "https://acme.okta.com/login/sessionCookieRedirect?token=x"
        ));
        assert!(!allowed("http://127.0.0.1:8080/"));
        assert!(!allowed("http://tauri.localhost.evil.example/"));
        assert!(!allowed("http://tauri.localhost:8080/"));
        assert!(!allowed("file:///etc/passwd"));
        assert!(!allowed("javascript:alert(1)"));
        assert!(!allowed("data:text/html,<p>hi</p>"));
    }
}
