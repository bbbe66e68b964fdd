//! The desktop's UI font, by name, for the page. WebKitGTK draws CSS `system-ui` with the
//! GTK font too, but sets it up more slowly than a named family: about 40 ms of the first
//! frame on the bench machine (bench/NOTES.md). Elsewhere the page keeps `system-ui`.

/// The family of GTK's UI font (`gtk-font-name`, such as "Cantarell 11"). Call it on the main
/// thread, after GTK has started (in Tauri's setup hook).
#[cfg(target_os = "linux")]
pub fn desktop_family() -> Option<String> {
    use gtk::prelude::GtkSettingsExt;
    let name = gtk::Settings::default()?.gtk_font_name()?;
    let family = gtk::pango::FontDescription::from_string(&name).family()?;
    css_family(&family)
}

#[cfg(not(target_os = "linux"))]
pub fn desktop_family() -> Option<String> {
    None
}

/// The first family of a Pango family list, if it can be quoted in CSS as it is.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn css_family(families: &str) -> Option<String> {
    let family = families.split(',').next()?.trim();
    let plain = family
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
    (plain && !family.is_empty() && family.len() <= 64).then(|| family.to_owned())
}

#[cfg(test)]
mod tests {
    use super::css_family;

    #[test]
    fn takes_the_first_family_and_refuses_what_css_would_read_as_markup() {
        assert_eq!(css_family("Cantarell").as_deref(), Some("Cantarell"));
        assert_eq!(
            css_family("Noto Sans, DejaVu Sans").as_deref(),
            Some("Noto Sans")
        );
        assert_eq!(css_family(" Ubuntu ").as_deref(), Some("Ubuntu"));
        assert_eq!(css_family("a\"; b"), None);
        assert_eq!(css_family("x) url(y"), None);
        assert_eq!(css_family(""), None);
        assert_eq!(css_family(&"A".repeat(65)), None);
    }
}
