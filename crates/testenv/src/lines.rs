//! Reading what a program prints, line by line, without letting a hung program hang the
//! reader: a thread reads the pipe and the caller waits on it with a deadline.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Instant;

/// The lines a program writes to a pipe, in order.
#[derive(Debug)]
pub struct OutputLines {
    received: Receiver<String>,
}

/// What waiting for the next line gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextLine {
    /// A line, without its line ending.
    Line(String),
    /// The deadline passed first; later lines may still come.
    TimedOut,
    /// The pipe closed (the program exited or closed its output) or could not be read.
    Ended,
}

impl OutputLines {
    /// Starts reading `source`. The reader keeps draining the pipe for as long as the program
    /// writes, so a chatty program never blocks on a full pipe after the caller stops
    /// listening.
    pub fn read(source: impl Read + Send + 'static) -> Self {
        let (lines, received) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(source).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Self { received }
    }

    /// The next line, if it comes before `deadline`.
    pub fn next_before(&self, deadline: Instant) -> NextLine {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.received.recv_timeout(left) {
            Ok(line) => NextLine::Line(line),
            Err(RecvTimeoutError::Timeout) => NextLine::TimedOut,
            Err(RecvTimeoutError::Disconnected) => NextLine::Ended,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn gives_each_line_then_the_end() {
        let lines = OutputLines::read(&b"first\r\nsecond\nlast"[..]);
        let deadline = Instant::now() + Duration::from_secs(10);
        assert_eq!(lines.next_before(deadline), NextLine::Line("first".into()));
        assert_eq!(lines.next_before(deadline), NextLine::Line("second".into()));
        assert_eq!(lines.next_before(deadline), NextLine::Line("last".into()));
        assert_eq!(lines.next_before(deadline), NextLine::Ended);
    }

    #[test]
    fn a_silent_program_times_out() {
        let (reader, _writer) = std::io::pipe().unwrap();
        let lines = OutputLines::read(reader);
        let deadline = Instant::now() + Duration::from_millis(50);
        assert_eq!(lines.next_before(deadline), NextLine::TimedOut);
    }
}
