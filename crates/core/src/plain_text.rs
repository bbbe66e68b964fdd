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

/// The longest code-like value kept; Okta's longest (an IDX i18n key) is about 70 characters.
const MAX_CODE_CHARS: usize = 120;

/// A code-like value from a server (an error code, a status, a factor type or provider, an
/// IDX message key or form name, an OAuth `error`), held to the alphabet such values use:
/// ASCII letters, digits and `_ . : -`. Anything else becomes `?`, and the value is cut at
/// [`MAX_CODE_CHARS`]: codes are matched, shown and written to transcripts as they are, so
/// they must not be able to carry an escape sequence, a line break or a wall of text.
pub fn code_text(text: &str) -> String {
    text.chars()
        .take(MAX_CODE_CHARS)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-') {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// `#[serde(deserialize_with = "...")]` for a server's code-like field ([`code_text`]).
pub(crate) fn deserialize_code<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    String::deserialize(deserializer).map(|text| code_text(&text))
}

/// The same for an optional code-like field.
pub(crate) fn deserialize_code_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|text| text.map(|text| code_text(&text)))
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

    #[test]
    fn codes_keep_their_alphabet_and_nothing_else() {
        for code in [
            "E0000004",
            "MFA_ENROLL",
            "token:software:totp",
            "idx.session.expired",
            "select-authenticator-authenticate",
            "invalid_grant",
        ] {
            assert_eq!(code_text(code), code);
        }
        assert_eq!(code_text("E1\u{1b}]52;c;aGk=\u{7}\n"), "E1??52?c?aGk???");
        assert_eq!(code_text("é"), "?");
        assert_eq!(code_text(&"A".repeat(1000)).len(), MAX_CODE_CHARS);
    }
}
