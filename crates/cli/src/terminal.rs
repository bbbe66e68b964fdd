//! The terminal side: spinner, prompts, the stdin reader and Ctrl-C.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oktadesk_core::Secret;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

use crate::exit::CliError;

pub(crate) fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner with the elapsed time on stderr, drawn only when stderr is a terminal (and
/// never in `--json` mode), so logs and pipes get no control characters.
pub(crate) struct Spinner {
    bar: Option<ProgressBar>,
    message: String,
}

impl Spinner {
    pub(crate) fn new(enabled: bool) -> Self {
        let bar = (enabled && stderr_is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        Self {
            bar,
            message: String::new(),
        }
    }

    /// Shows `message`; the elapsed time restarts when the message changes.
    pub(crate) fn show(&mut self, message: &str) {
        let Some(bar) = &self.bar else { return };
        if self.message != message {
            self.message = message.to_owned();
            bar.reset_elapsed();
            bar.set_message(crate::output::terminal_safe(message).into_owned());
        }
        bar.enable_steady_tick(Duration::from_millis(100));
    }

    /// Hides the spinner (until the next `show`).
    pub(crate) fn hide(&mut self) {
        if let Some(bar) = &self.bar {
            bar.disable_steady_tick();
            bar.finish_and_clear();
            // finish_and_clear ends the bar for good; start a fresh one for later phases.
            let fresh = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            fresh.set_style(bar.style());
            self.bar = Some(fresh);
            self.message.clear();
        }
    }

    /// Runs `print` with the spinner out of the way, so lines never interleave with it.
    pub(crate) fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }
}

/// Asks for the password on the terminal without echo.
pub(crate) fn prompt_password(prompt: &str) -> Result<Secret, CliError> {
    match rpassword::prompt_password(crate::output::terminal_safe(prompt)) {
        Ok(password) => Ok(Secret::new(password)),
        Err(error) => Err(CliError::usage(format!(
            "There is no terminal to ask for the password ({error}). Pass it on standard input with --password-stdin."
        ))),
    }
}

/// Standard input, line by line, read on a thread of its own so that waiting for a line
/// never blocks the async workers and Ctrl-C still gets through.
///
/// The thread starts on the first read: a flow that never asks anything never touches
/// stdin. Lines are zeroed once dropped (they can hold a password or a code).
#[derive(Default)]
pub(crate) struct Lines {
    receiver: Option<mpsc::UnboundedReceiver<Zeroizing<String>>>,
}

impl Lines {
    /// The next line without its line ending, or `None` at end of input.
    pub(crate) async fn next(&mut self) -> Option<Zeroizing<String>> {
        let receiver = self.receiver.get_or_insert_with(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            // Detached on purpose: a thread blocked in read() cannot be stopped, and the
            // process may exit while it waits.
            std::thread::spawn(move || {
                let stdin = std::io::stdin();
                loop {
                    let mut line = Zeroizing::new(String::new());
                    match stdin.lock().read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {
                            let trimmed = line.trim_end_matches(['\r', '\n']).len();
                            line.truncate(trimmed);
                            if sender.send(line).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
            receiver
        });
        receiver.recv().await
    }
}

/// While it lives, what is typed on the terminal is not shown: for a secret (a new password,
/// a recovery link, a security answer) read from [`Lines`], whose reader thread may already
/// be waiting on stdin, so a second reader such as `rpassword` would race it for the line.
/// Echo is a setting of the terminal, not of the read, so turning it off covers a read that
/// is already waiting. Does nothing when stdin is not a terminal.
pub(crate) struct HiddenInput {
    #[cfg(unix)]
    saved: Option<nix::sys::termios::Termios>,
    #[cfg(windows)]
    saved: Option<u32>,
}

impl HiddenInput {
    pub(crate) fn start() -> Self {
        #[cfg(unix)]
        {
            use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
            let stdin = std::io::stdin();
            let saved = stdin_is_terminal()
                .then(|| tcgetattr(&stdin).ok())
                .flatten();
            if let Some(saved) = &saved {
                let mut quiet = saved.clone();
                quiet.local_flags.remove(LocalFlags::ECHO);
                // The Enter that ends the line is shown, so the next prompt starts on its own line.
                quiet.local_flags.insert(LocalFlags::ECHONL);
                let _ = tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
            }
            Self { saved }
        }
        #[cfg(windows)]
        {
            use windows_sys::Win32::System::Console::{
                ENABLE_ECHO_INPUT, GetConsoleMode, GetStdHandle, STD_INPUT_HANDLE, SetConsoleMode,
            };
            let mut mode = 0;
            // SAFETY: the standard input handle of this process, and a mode read back from it.
            let saved = unsafe {
                let handle = GetStdHandle(STD_INPUT_HANDLE);
                (GetConsoleMode(handle, &mut mode) != 0
                    && SetConsoleMode(handle, mode & !ENABLE_ECHO_INPUT) != 0)
                    .then_some(mode)
            };
            Self { saved }
        }
        #[cfg(not(any(unix, windows)))]
        {
            Self {}
        }
    }
}

impl Drop for HiddenInput {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSANOW,
                saved,
            );
        }
        #[cfg(windows)]
        if let Some(mode) = self.saved {
            use windows_sys::Win32::System::Console::{
                GetStdHandle, STD_INPUT_HANDLE, SetConsoleMode,
            };
            // SAFETY: puts back the mode read from this same handle in `start`.
            unsafe {
                SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), mode);
            }
            // Windows does not show the Enter that ended a line typed without echo.
            eprintln!();
        }
    }
}

/// Prints a prompt on stderr (no newline) for an answer read from [`Lines`].
pub(crate) fn print_prompt(prompt: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{}", crate::output::terminal_safe(prompt));
    let _ = stderr.flush();
}

/// Ctrl-C (SIGINT), and SIGTERM on Unix, as a stream that keeps signals arriving between
/// two waits.
pub(crate) struct Interrupts {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Interrupts {
    pub(crate) fn listen() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let failed = |error: std::io::Error| {
                CliError::new(
                    crate::exit::Exit::Other,
                    "signals",
                    format!(
                        "Ctrl-C could not be caught ({error}), so a sign-in could not be cancelled cleanly."
                    ),
                )
            };
            Ok(Self {
                interrupt: signal(SignalKind::interrupt()).map_err(failed)?,
                terminate: signal(SignalKind::terminate()).map_err(failed)?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    pub(crate) async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
