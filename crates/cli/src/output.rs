//! Where output goes. Standard output carries data only (JSON lines with `--json`, the
//! session token with `--print-session-token`), so scripts can capture it; everything for
//! people goes to standard error, coloured only on a terminal (anstream honours NO_COLOR,
//! CLICOLOR and CLICOLOR_FORCE).

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use crate::exit::CliError;

pub(crate) const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(crate) const BAD: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const STRONG: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

/// Writes one JSON object as one line on stdout and flushes, so a reader sees each event
/// as it happens.
pub(crate) fn json_line(value: &Value) {
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (the reader went away) is not worth a panic.
    let _ = serde_json::to_writer(&mut stdout, value);
    let _ = stdout.write_all(b"\n");
    let _ = stdout.flush();
}

/// A line for people, on stderr.
pub(crate) fn say(text: &str) {
    anstream::eprintln!("{text}");
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
