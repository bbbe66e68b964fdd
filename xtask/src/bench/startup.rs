//! One launch of an app to its first interactive frame: how long it took, what the app says
//! its startup steps took, and the memory of the app and its WebKit processes once settled.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use oktadesk_testenv::{DesktopSession, ManagedChild, NextLine, procfs};

use crate::error::Error;

/// A guard against a hung app, not a speed requirement.
const READY_GUARD: Duration = Duration::from_secs(90);
/// How long an app may take to quit once asked to.
const QUIT_GUARD: Duration = Duration::from_secs(20);
/// How long the WebKit processes of a launch may take to follow the app out.
const WEBKIT_EXIT_GUARD: Duration = Duration::from_secs(5);

/// One launch to the first interactive frame.
pub(super) struct Launch {
    /// From spawning the process to reading its ready line.
    pub startup: Duration,
    /// PSS of the app and all its descendants (WebKit's web and network processes), in KiB.
    pub pss_kib: u64,
    /// What the app printed: its startup steps and its own ready time, in ms since `main`.
    pub report: Ready,
    /// WebKit processes of other programs alive at launch: they share WebKit's library pages,
    /// which lowers every PSS figure, so the report says when there were any.
    pub foreign_webkit: usize,
    /// The 1-minute load average at launch: other work on the machine slows startup.
    pub load: f64,
}

/// An app's bench report: `bench-mark NAME MS` lines, then `bench-ready MS`.
#[derive(Default)]
pub(super) struct Ready {
    pub marks: Vec<(String, f64)>,
    pub ready_ms: Option<f64>,
}

impl Ready {
    /// Reads one line; true once the ready line has come.
    fn read(&mut self, line: &str) -> bool {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("bench-mark"), Some(name), Some(ms)) => {
                if let Ok(ms) = ms.parse() {
                    self.marks.push((name.to_owned(), ms));
                }
                false
            }
            (Some("bench-ready"), ms, _) => {
                self.ready_ms = ms.and_then(|ms| ms.parse().ok());
                true
            }
            _ => false,
        }
    }
}

/// Launches `app` in bench mode, waits for its ready report, reads its memory `settle` later,
/// then asks it to quit and waits for its WebKit processes to go too.
pub(super) fn launch(
    session: &DesktopSession,
    app: &Path,
    settle: Duration,
) -> Result<Launch, Error> {
    let name = app.display().to_string();
    let foreign_webkit = procfs::webkit_process_count();
    let load = procfs::load_average();
    let started = Instant::now();
    let running = ManagedChild::spawn_reading_stdout(
        &name,
        session
            .command(app)
            .env("OKTADESK_BENCH_READY", "1")
            .stdin(Stdio::piped()),
        None,
    )?;
    let ready = wait_for_ready(&running);
    let startup = started.elapsed();
    let result = ready.map(|report| {
        std::thread::sleep(settle);
        Launch {
            startup,
            pss_kib: procfs::tree_pss_kib(running.pid()),
            report,
            foreign_webkit,
            load,
        }
    });
    // Closing stdin is the app's cue to quit in bench mode.
    running.quit_by_closing_stdin(QUIT_GUARD)?;
    // WebKit's processes outlive the app by a moment; the next launch must not compete with
    // them for the CPU, nor count them as another program's.
    procfs::wait_for_webkit_processes_at_most(foreign_webkit, WEBKIT_EXIT_GUARD);
    result.map_err(|why| Error::command_failed(&name, &why))
}

fn wait_for_ready(app: &ManagedChild) -> Result<Ready, String> {
    let deadline = Instant::now() + READY_GUARD;
    let mut report = Ready::default();
    loop {
        match app.next_line(deadline) {
            NextLine::Line(line) if report.read(&line) => return Ok(report),
            NextLine::Line(_) => continue,
            NextLine::TimedOut => {
                return Err(format!(
                    "did not report its first frame within {} s",
                    READY_GUARD.as_secs()
                ));
            }
            NextLine::Ended => return Err("exited before reporting its first frame".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_marks_until_the_ready_line() {
        let mut report = Ready::default();
        assert!(!report.read("some log line"));
        assert!(!report.read("bench-mark setup 221.5"));
        assert!(!report.read("bench-mark broken not-a-number"));
        assert!(report.read("bench-ready 640.25"));
        assert_eq!(report.marks, [("setup".to_owned(), 221.5)]);
        assert_eq!(report.ready_ms, Some(640.25));
    }

    #[test]
    fn a_ready_line_without_a_time_still_ends_the_wait() {
        let mut report = Ready::default();
        assert!(report.read("bench-ready"));
        assert_eq!(report.ready_ms, None);
    }
}
