//! Where output goes. Standard output carries data only (JSON lines with `--json`, the
//! session token with `--print-session-token`), so scripts can capture it; everything for
//! people goes to standard error, coloured only on a terminal (anstream honours NO_COLOR,
//! CLICOLOR and CLICOLOR_FORCE).

use std::borrow::Cow;
use std::io::Write;
use std::sync::LazyLock;

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use crate::exit::CliError;

pub(crate) const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(crate) const BAD: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const STRONG: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

/// The escape sequences the CLI writes itself: each style above, and the reset.
static OWN_SEQUENCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    [GOOD, BAD, WARN, STRONG, DIM]
        .iter()
        .flat_map(|style| [format!("{style}"), format!("{style:#}")])
        .filter(|sequence| !sequence.is_empty())
        .collect()
});

/// `text` as it may reach a terminal: the styles the CLI applied itself and line breaks are
/// kept; every other control character (ESC of any other sequence, BEL, C1 controls such as
/// the one-byte CSI, DEL) is dropped, and tabs and carriage returns become spaces. The core
/// already reads server text without control characters; this is the last line, for
/// whatever reaches a terminal by a way nobody thought of (OSC 52 writes the clipboard,
/// CSI can redraw a whole `doctor` report).
pub(crate) fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.contains(|c: char| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(own) = OWN_SEQUENCES
                .iter()
                .find(|own| rest.starts_with(own.as_str()))
        {
            safe.push_str(own);
            rest = &rest[own.len()..];
            continue;
        }
        match c {
            '\n' => safe.push('\n'),
            '\t' | '\r' => safe.push(' '),
            c if c.is_control() => {}
            c => safe.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(safe)
}

/// Writes one JSON object as one line on stdout and flushes, so a reader sees each event
/// as it happens. serde_json escapes the C0 controls; DEL and the C1 controls (U+0080 to
/// U+009F, which some terminals obey as CSI and OSC) are escaped here too, so a person
/// watching `--json` in a terminal is as safe as a script reading it.
pub(crate) fn json_line(value: &Value) {
    let line = json_text(value) + "\n";
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (the reader went away) is not worth a panic.
    let _ = stdout.write_all(line.as_bytes());
    let _ = stdout.flush();
}

fn json_text(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            // Outside strings serde_json writes no control character, so this is inside one.
            safe.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    safe
}

/// A line for people, on stderr.
pub(crate) fn say(text: &str) {
    anstream::eprintln!("{}", terminal_safe(text));
}

/// `text` in `style` (stripped again by anstream when colours are off).
pub(crate) fn styled(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Reports a failed command: a `result` line on stdout with `--json`, a message on stderr
/// otherwise.
pub(crate) fn report_error(error: &CliError, json: bool) {
    if json {
        json_line(&serde_json::json!({
            "result": "failed",
            "exitCode": error.exit.code(),
            "kind": error.kind,
            "message": error.message,
        }));
    } else {
        say(&format!("{} {}", styled(BAD, "error:"), error.message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_clis_own_styles_reach_a_terminal() {
        let own = format!("{} {}", styled(GOOD, "pass"), styled(WARN, "warn"));
        assert_eq!(terminal_safe(&own), own);
        let hostile = format!(
            "{} E\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{1b}[1;1H\u{9b}31m\u{7f}x\ty\rz\nnext",
            styled(BAD, "error:")
        );
        let safe = terminal_safe(&hostile);
        assert_eq!(
            safe,
            format!(
                "{} E]52;c;aGk=[2J[1;1H31mx y z\nnext",
                styled(BAD, "error:")
            )
        );
        assert_eq!(terminal_safe("plain\ntext"), Cow::Borrowed("plain\ntext"));
    }

    #[test]
    fn json_lines_escape_every_control_character() {
        let value = serde_json::json!({"code": "E\u{1b}]52\u{7}\u{9b}\u{7f}"});
        let raw = serde_json::to_string(&value).unwrap();
        assert!(
            raw.contains('\u{9b}'),
            "serde_json alone leaves C1 controls"
        );
        let line = json_text(&value);
        let back: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value);
        assert!(!line.contains(char::is_control));
    }
}
