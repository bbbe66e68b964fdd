//! Text from a server, made safe to show anywhere: no control characters.
//!
//! Okta's device names, user names and error summaries reach terminals (where an escape
//! sequence can rewrite the screen or, with OSC 52, the clipboard), notifications and logs.
//! The wire models pass every such field through here as they are read.

use serde::{Deserialize, Deserializer};

/// `text` without control characters: line breaks and tabs become spaces, every other
/// control character (ESC, BEL, C1 controls, DEL) is dropped.
pub fn plain_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// `#[serde(deserialize_with = "...")]` for a server's text field.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer).map(|text| plain_text(&text))
}

/// The same for an optional field.
pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|text| text.map(|text| plain_text(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bells_are_dropped_line_breaks_become_spaces() {
        assert_eq!(
            plain_text("Pixel\u{1b}]52;c;aGk=\u{7}\u{1b}[2J 8\nof\tAda\u{9b}\u{7f}"),
            "Pixel]52;c;aGk=[2J 8 of Ada"
        );
        assert_eq!(plain_text("Ada’s iPhone <3"), "Ada’s iPhone <3");
    }
}
