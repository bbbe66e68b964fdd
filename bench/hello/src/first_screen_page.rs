//! OktaDesk's first screen as one static page, made from `ui/index.html` at build time: the
//! page's head without its modules, the chrome, and the Add account screen put in `<main>`
//! as the app's router puts it there (the bench's keyring is empty, so that is the screen
//! OktaDesk draws first). The bench's like-for-like floor: what is left between it and
//! OktaDesk is the app's own code (modules, IPC, cloning a template), not its looks.
//!
//! Plain string work on the project's own, well-known markup; `build.rs` fails the build if
//! the markup it looks for moves, so the page cannot silently stop being the first screen.

/// The generated page and the files of `ui/` it refers to (to copy beside it).
pub struct FirstScreenPage {
    pub html: String,
    pub assets: Vec<String>,
}

/// The template whose content is the first screen.
const FIRST_SCREEN: &str = "add-account";
/// The first screen's field the app focuses when nothing was typed before.
const FOCUSED_FIELD: &str = r#"id="org-url""#;
/// Replaces the app's module: reports the first frame, and nothing else.
pub const READY_SCRIPT: &str = "ready.js";

/// Builds the static page from `index_html` (ui/index.html); `version` goes in the footer,
/// as `app_info` puts it there.
pub fn build(index_html: &str, version: &str) -> Result<FirstScreenPage, String> {
    let body_at = find(index_html, "<body>")?;
    let mut assets = Vec::new();
    let mut html = String::new();
    for line in index_html[..body_at].trim_end().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<script type=\"module\"") {
            // Where the app's module is, the ready report (deferred, as a module is).
            html.push_str(&format!(
                "    <script src=\"{READY_SCRIPT}\" defer></script>\n"
            ));
        } else if trimmed.contains("rel=\"modulepreload\"") || trimmed.starts_with("<!--") {
            continue;
        } else {
            if trimmed.starts_with("<link rel=\"stylesheet\"") {
                assets.push(attribute(trimmed, "href")?);
            }
            html.push_str(line);
            html.push('\n');
        }
    }

    // The chrome: everything in <body> before the screens' templates.
    let templates_at = find(index_html, "<template")?;
    let chrome = &index_html[body_at..templates_at];
    let chrome = chrome[..chrome.rfind("<!--").unwrap_or(chrome.len())].trim_end();
    let screen = template(index_html, FIRST_SCREEN)?.replacen(
        FOCUSED_FIELD,
        &format!("{FOCUSED_FIELD} autofocus"),
        1,
    );
    let main_open = r#"<main class="app-main" id="main" tabindex="-1">"#;
    let chrome = replace_once(
        chrome,
        &format!("{main_open}</main>"),
        &format!(
            "<main class=\"app-main\" id=\"main\" tabindex=\"-1\" data-screen=\"{FIRST_SCREEN}\">\n{}\n        </main>",
            screen.trim_end()
        ),
    )?;
    let chrome = replace_once(
        &chrome,
        r#"<span id="app-version"></span>"#,
        &format!(r#"<span id="app-version">OktaDesk {version}</span>"#),
    )?;
    for piece in chrome.split("src=\"").skip(1) {
        let src = &piece[..piece.find('"').unwrap_or(0)];
        if !src.is_empty() && !src.contains(':') {
            assets.push(src.to_owned());
        }
    }
    html.push_str("  ");
    html.push_str(&chrome);
    html.push_str("\n  </body>\n</html>\n");
    Ok(FirstScreenPage { html, assets })
}

fn find(text: &str, needle: &str) -> Result<usize, String> {
    text.find(needle)
        .ok_or_else(|| format!("ui/index.html has no `{needle}`"))
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String, String> {
    find(text, from)?;
    Ok(text.replacen(from, to, 1))
}

/// The content of `<template id="screen-NAME">`.
fn template(html: &str, name: &str) -> Result<String, String> {
    let open = format!("<template id=\"screen-{name}\">");
    let start = find(html, &open)? + open.len();
    let end = start + find(&html[start..], "</template>")?;
    Ok(html[start..end].to_owned())
}

fn attribute(tag: &str, name: &str) -> Result<String, String> {
    let key = format!("{name}=\"");
    let start = tag
        .find(&key)
        .ok_or_else(|| format!("`{tag}` has no {name}"))?
        + key.len();
    let end = start + tag[start..].find('"').unwrap_or(0);
    Ok(tag[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<!doctype html>
<html lang="en">
  <head>
    <link rel="stylesheet" href="styles.css">
    <script type="module" src="app.js"></script>
    <!-- preloads -->
    <link rel="modulepreload" href="js/ipc.js">
  </head>
  <body>
    <img class="app-mark" src="img/mark.svg" alt="">
    <main class="app-main" id="main" tabindex="-1"></main>
    <span id="app-version"></span>
    <!-- Each screen's markup -->

    <template id="screen-accounts"><h1>Sign in</h1></template>
    <template id="screen-add-account"><h1>Add account</h1><input id="org-url"></template>
  </body>
</html>
"#;

    #[test]
    fn puts_the_first_screen_in_main_and_leaves_the_modules_out() {
        let page = build(INDEX, "1.2.3").unwrap();
        assert!(page.html.contains(r#"data-screen="add-account">"#));
        assert!(
            page.html
                .contains(r#"<h1>Add account</h1><input id="org-url" autofocus>"#)
        );
        assert!(page.html.contains("OktaDesk 1.2.3"));
        assert!(
            page.html
                .contains(r#"<script src="ready.js" defer></script>"#)
        );
        for gone in [
            "app.js",
            "modulepreload",
            "<template",
            "Sign in",
            "preloads",
        ] {
            assert!(!page.html.contains(gone), "{gone} in {}", page.html);
        }
        assert_eq!(page.assets, ["styles.css", "img/mark.svg"]);
    }

    #[test]
    fn refuses_markup_it_does_not_know() {
        assert!(build("<html><body></body></html>", "1").is_err());
    }
}
