//! Child processes that are always reaped: services, drivers and the programs under test.

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use crate::error::{Result, TestEnvError};
use crate::lines::{NextLine, OutputLines};

/// How long a service may take to come up before the harness gives up. Generous on purpose:
/// this is a safety net for broken machines, never a speed expectation, and a loaded 2-core CI
/// machine building in parallel can be very slow.
pub const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// A child process that is stopped and reaped on drop, so neither a passing nor a panicking
/// test (nor a failed benchmark) leaves processes behind.
///
/// Output usually goes to a log file rather than the caller's own stdout/stderr, because a
/// daemon that outlives a crashed test would otherwise keep the CI log pipe open forever.
/// Stdin is left as the caller set it on the command.
#[derive(Debug)]
pub struct ManagedChild {
    program: String,
    child: Child,
    log: Option<PathBuf>,
    stdout: Option<OutputLines>,
    stop: Stop,
}

/// How a managed child is stopped.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// SIGKILL to the process alone.
    Kill,
    /// SIGTERM to the process, time to clean up, then SIGKILL.
    Terminate,
    /// The same to its process group: for programs that start others.
    TerminateGroup,
}

impl ManagedChild {
    /// Spawns `command` with stdout and stderr sent to `log` (its directory is created).
    pub fn spawn(program: &str, command: &mut Command, log: &Path) -> Result<Self> {
        let log_file = create_log(log)?;
        command.stdout(log_file.try_clone()?).stderr(log_file);
        Self::start(program, command, Some(log), false, Stop::Kill)
    }

    /// Like [`spawn`](Self::spawn), in a process group of its own that is stopped as a whole,
    /// so whatever the program started goes with it (tauri-driver starts WebKitWebDriver,
    /// which starts the app).
    pub fn spawn_group(program: &str, command: &mut Command, log: &Path) -> Result<Self> {
        let log_file = create_log(log)?;
        command
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .process_group(0);
        Self::start(program, command, Some(log), false, Stop::TerminateGroup)
    }

    /// Spawns `command` with its stdout read through [`next_line`](Self::next_line) and its
    /// stderr sent to `log`, or discarded when there is none.
    pub fn spawn_reading_stdout(
        program: &str,
        command: &mut Command,
        log: Option<&Path>,
    ) -> Result<Self> {
        let stderr = match log {
            Some(log) => Stdio::from(create_log(log)?),
            None => Stdio::null(),
        };
        command.stdout(Stdio::piped()).stderr(stderr);
        Self::start(program, command, log, true, Stop::Kill)
    }

    /// Stops the program on drop with SIGTERM and a moment to clean up (Xvfb removes its
    /// socket and lock file) before SIGKILL, instead of SIGKILL at once.
    pub fn terminate_on_drop(mut self) -> Self {
        if let Stop::Kill = self.stop {
            self.stop = Stop::Terminate;
        }
        self
    }

    fn start(
        program: &str,
        command: &mut Command,
        log: Option<&Path>,
        read_stdout: bool,
        stop: Stop,
    ) -> Result<Self> {
        let mut child = command.spawn().map_err(|source| TestEnvError::Spawn {
            program: program.to_owned(),
            source,
        })?;
        let stdout = if read_stdout {
            child.stdout.take().map(OutputLines::read)
        } else {
            None
        };
        Ok(Self {
            program: program.to_owned(),
            child,
            log: log.map(Path::to_path_buf),
            stdout,
            stop,
        })
    }

    /// The operating system's id of the process.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// The last lines of its log, for error messages.
    pub fn log_tail(&self) -> String {
        match &self.log {
            Some(log) => log_tail(log),
            None => "(its output was not kept)".to_owned(),
        }
    }

    /// Fails with the log when the process has already exited.
    pub fn ensure_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => Err(TestEnvError::ExitedEarly {
                program: self.program.clone(),
                status,
                log: self.log_tail(),
            }),
        }
    }

    /// The next line the program prints on stdout, if it comes before `deadline`; always
    /// [`NextLine::Ended`] unless it was spawned with
    /// [`spawn_reading_stdout`](Self::spawn_reading_stdout).
    pub fn next_line(&self, deadline: Instant) -> NextLine {
        match &self.stdout {
            Some(lines) => lines.next_before(deadline),
            None => NextLine::Ended,
        }
    }

    /// The first line the program prints, for programs that print one once they are ready
    /// (an address, a display number, a URL): `what` names it in errors. Waits up to
    /// [`READY_TIMEOUT`]; a program that exits first is reported with its log.
    pub fn first_line(&mut self, what: &str) -> Result<String> {
        match self.next_line(Instant::now() + READY_TIMEOUT) {
            NextLine::Line(line) => Ok(line.trim().to_owned()),
            NextLine::Ended => {
                // The output closed unread: usually the program died; give it a moment to
                // be reaped so the error can say how.
                let deadline = Instant::now() + Duration::from_secs(5);
                while self.child.try_wait()?.is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(20));
                }
                self.ensure_running()?;
                Err(TestEnvError::UnexpectedOutput {
                    program: self.program.clone(),
                    detail: format!(
                        "closed its output without printing {what}; log:\n{}",
                        self.log_tail()
                    ),
                })
            }
            NextLine::TimedOut => Err(TestEnvError::NotReady {
                what: format!("{what} from `{}`", self.program),
                waited: READY_TIMEOUT,
                log: self.log_tail(),
            }),
        }
    }

    /// Waits until something accepts connections on loopback `port`, failing early if the
    /// process dies first.
    pub fn wait_for_port(&mut self, port: u16) -> Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            self.ensure_running()?;
            if TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(TestEnvError::NotReady {
                    what: format!("{} on port {port}", self.program),
                    waited: started.elapsed(),
                    log: self.log_tail(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the program's stdin, which programs that read it take as their cue to quit,
    /// and waits up to `grace` for it to exit. One that lingers is killed and reported.
    pub fn quit_by_closing_stdin(mut self, grace: Duration) -> Result<ExitStatus> {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + grace;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                return Err(TestEnvError::DidNotQuit {
                    program: self.program.clone(),
                    waited: grace,
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ManagedChild {
    fn drop(&mut self) {
        match self.stop {
            Stop::Kill => {
                // Errors only mean the process is already gone; waiting reaps it either way.
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
            Stop::Terminate => terminate(&mut self.child, false),
            Stop::TerminateGroup => terminate(&mut self.child, true),
        }
    }
}

/// SIGTERM to `child` (or the group it leads), time to exit cleanly, then SIGKILL to what is
/// left.
fn terminate(child: &mut Child, group: bool) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let pid = Pid::from_raw(child.id() as i32);
    let signal = |signal| {
        let _ = if group {
            killpg(pid, signal)
        } else {
            kill(pid, signal)
        };
    };
    signal(Signal::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            // The leader is gone; make sure nothing it started outlives it.
            if group {
                signal(Signal::SIGKILL);
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(Signal::SIGKILL);
    let _ = child.wait();
}

fn create_log(log: &Path) -> Result<File> {
    if let Some(dir) = log.parent() {
        fs::create_dir_all(dir)?;
    }
    Ok(File::create(log)?)
}

/// The last lines of a log file, for error messages.
pub(crate) fn log_tail(log: &Path) -> String {
    const LINES: usize = 40;
    match fs::read_to_string(log) {
        Ok(text) if text.trim().is_empty() => format!("(empty log {})", log.display()),
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(LINES)..].join("\n")
        }
        Err(error) => format!("(log {} unreadable: {error})", log.display()),
    }
}

/// Runs a short-lived command to completion and fails with its output unless it succeeded.
pub(crate) fn run_checked(command: &mut Command) -> Result<Output> {
    let description = describe(command);
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| TestEnvError::Spawn {
            program: command.get_program().to_string_lossy().into_owned(),
            source,
        })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(TestEnvError::CommandFailed {
            command: description,
            status: output.status,
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
            .trim()
            .to_owned(),
        })
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_that_reads_stdin_quits_when_it_closes() {
        let mut command = Command::new("cat");
        command.stdin(Stdio::piped());
        let cat = ManagedChild::spawn_reading_stdout("cat", &mut command, None).unwrap();
        let status = cat.quit_by_closing_stdin(READY_TIMEOUT).unwrap();
        assert!(status.success(), "{status}");
    }

    #[test]
    fn a_program_that_lingers_is_named_and_killed() {
        let mut command = Command::new("sleep");
        command.arg("60").stdin(Stdio::piped());
        let sleeper = ManagedChild::spawn_reading_stdout("sleep", &mut command, None).unwrap();
        let error = sleeper
            .quit_by_closing_stdin(Duration::from_millis(100))
            .unwrap_err();
        assert!(
            error.to_string().contains("`sleep` did not quit"),
            "{error}"
        );
    }

    #[test]
    fn lines_come_from_stdout_and_stderr_goes_to_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("nested").join("echo.log");
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2"]);
        let mut echo = ManagedChild::spawn_reading_stdout("sh", &mut command, Some(&log)).unwrap();
        let deadline = Instant::now() + READY_TIMEOUT;
        assert_eq!(echo.next_line(deadline), NextLine::Line("out".into()));
        assert_eq!(echo.next_line(deadline), NextLine::Ended);
        echo.child_mut().wait().unwrap();
        assert_eq!(echo.log_tail(), "err");
    }

    #[test]
    fn a_program_that_dies_silent_is_reported_with_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("dies.log");
        let mut command = Command::new("sh");
        command.args(["-c", "echo 'no such display' >&2; exit 3"]);
        let mut dies = ManagedChild::spawn_reading_stdout("sh", &mut command, Some(&log)).unwrap();
        let error = dies
            .first_line("its display number")
            .unwrap_err()
            .to_string();
        assert!(error.contains("exited before it was ready"), "{error}");
        assert!(error.contains("no such display"), "{error}");
    }

    #[test]
    fn a_group_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("group.log");
        let mut command = Command::new("sh");
        // The shell starts a sleeper and reports its pid, then waits on it.
        command.args(["-c", "sleep 60 & echo $! ; wait"]);
        let group = ManagedChild::spawn_group("sh", &mut command, &log).unwrap();
        let deadline = Instant::now() + READY_TIMEOUT;
        let sleeper = loop {
            if let Ok(pid) = fs::read_to_string(&log)
                .unwrap_or_default()
                .trim()
                .parse::<u32>()
            {
                break pid;
            }
            assert!(
                Instant::now() < deadline,
                "the shell never reported its child"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(group);
        let deadline = Instant::now() + Duration::from_secs(10);
        while is_alive(sleeper) {
            assert!(Instant::now() < deadline, "the sleeper outlived its group");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_terminated_program_gets_to_clean_up() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("trap.log");
        let mut command = Command::new("sh");
        command.args([
            "-c",
            "trap 'echo cleaned up; exit 0' TERM; echo ready; while :; do sleep 0.05; done",
        ]);
        let trap = ManagedChild::spawn("sh", &mut command, &log)
            .unwrap()
            .terminate_on_drop();
        let deadline = Instant::now() + READY_TIMEOUT;
        while !fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("ready")
        {
            assert!(Instant::now() < deadline, "the shell never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(trap);
        assert!(fs::read_to_string(&log).unwrap().contains("cleaned up"));
    }

    /// Alive and not a zombie waiting for its (stopped) parent's reaper.
    fn is_alive(pid: u32) -> bool {
        fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
                Some(state != 'Z' && state != 'X')
            })
            .unwrap_or(false)
    }
}
