//! Shared by the CLI's end-to-end tests: a demo org in this process, and the real
//! `oktadesk-cli` binary in a child process whose output is read line by line as it comes.

#![allow(dead_code)] // Each test binary uses a different part.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use oktadesk_demo_org::{DemoOrg, DemoOrgConfig, OrgStats, Phone};
use serde_json::Value;

pub use oktadesk_demo_org::DEMO_PASSWORD;

/// Marks every token the demo org issues, so output can be scanned for leaks.
pub const TOKEN_MARKER: &str = "CliCanary7";

/// A hung CLI must fail the test instead of hanging CI. Generous: not a speed check.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// A demo org served by a runtime of its own, so tests stay plain `#[test]` functions.
pub struct Org {
    org: Option<DemoOrg>,
    runtime: tokio::runtime::Runtime,
    pub url: String,
}

impl Org {
    pub fn start() -> Self {
        Self::start_with(DemoOrgConfig::default())
    }

    /// `config` with rate limiting off (each test is one user at a time) and token markers.
    pub fn start_with(config: DemoOrgConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let org = runtime
            .block_on(DemoOrg::start(DemoOrgConfig {
                rate_limit_per_second: 0,
                token_marker: TOKEN_MARKER.into(),
                ..config
            }))
            .expect("demo org starts");
        let url = org.base_url().as_str().trim_end_matches('/').to_owned();
        Self {
            org: Some(org),
            runtime,
            url,
        }
    }

    /// Queues a fault, as `POST /_demo/faults` does.
    pub fn inject_fault(&self, rule: oktadesk_demo_org::FaultRule) {
        self.org().inject_fault(rule);
    }

    pub fn phone(&self, login: &str) -> Phone<'_> {
        self.org().phone(login)
    }

    pub fn stats(&self) -> OrgStats {
        self.org().stats()
    }

    pub fn advance_clock(&self, by: Duration) {
        self.org().advance_clock(by);
    }

    /// The CA that signed an HTTPS org's certificate, as PEM.
    pub fn ca_pem(&self) -> Option<String> {
        self.org().ca_pem().map(str::to_owned)
    }

    /// The PKCE verifiers the org's IDX token endpoint was sent, for leak scans.
    pub fn pkce_verifiers_seen(&self) -> Vec<String> {
        self.org().pkce_verifiers_seen()
    }

    fn org(&self) -> &DemoOrg {
        self.org.as_ref().expect("running")
    }
}

impl Drop for Org {
    fn drop(&mut self) {
        if let Some(org) = self.org.take() {
            self.runtime.block_on(org.shutdown());
        }
    }
}

/// The CLI binary with a clean environment: no keychain or proxy of the developer's.
pub fn cli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oktadesk-cli"));
    for variable in [
        "DBUS_SESSION_BUS_ADDRESS",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "RUST_LOG",
        // libdbus would otherwise autolaunch a bus on the display.
        "DISPLAY",
        "WAYLAND_DISPLAY",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A running CLI.
pub struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// Every stdout and stderr line read so far.
    pub out: Vec<String>,
    pub err: Vec<String>,
}

pub fn spawn(args: &[&str], env: &[(OsString, OsString)]) -> Running {
    let mut child = cli()
        .args(args)
        .envs(env.iter().cloned())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let stdout = lines_of(child.stdout.take().expect("piped"));
    let stderr = lines_of(child.stderr.take().expect("piped"));
    Running {
        stdin: child.stdin.take(),
        child,
        stdout,
        stderr,
        out: Vec::new(),
        err: Vec::new(),
    }
}

/// `signin --org URL --user LOGIN --password-stdin` plus `extra`, the password already sent.
pub fn signin(org: &Org, login: &str, extra: &[&str]) -> Running {
    signin_env(org, login, extra, &[])
}

pub fn signin_env(org: &Org, login: &str, extra: &[&str], env: &[(OsString, OsString)]) -> Running {
    let mut args = vec![
        "signin",
        "--org",
        &org.url,
        "--user",
        login,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    let mut running = spawn(&args, env);
    running.write_line(DEMO_PASSWORD);
    running
}

fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn write_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{line}").expect("the CLI reads stdin");
        stdin.flush().expect("flushed");
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next stdout line as JSON.
    pub fn next_event(&mut self) -> Option<Value> {
        match self.stdout.recv_timeout(HANG_GUARD) {
            Ok(line) => {
                self.out.push(line.clone());
                Some(serde_json::from_str(&line).unwrap_or_else(|error| {
                    panic!(
                        "stdout line is not JSON ({error}): {line}\nstderr: {:?}",
                        self.err
                    )
                }))
            }
            Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => panic!("the CLI hung; stdout so far: {:?}", self.out),
        }
    }

    /// Reads events until one with `"stage": stage` (returned).
    pub fn wait_for_stage(&mut self, stage: &str) -> Value {
        loop {
            let Some(event) = self.next_event() else {
                let stderr = self.drain_stderr();
                panic!(
                    "no {stage} stage; stdout: {:?}; stderr: {stderr:?}",
                    self.out
                );
            };
            if event["stage"] == stage {
                return event;
            }
        }
    }

    /// Reads stderr until a line containing `needle` (returned).
    pub fn wait_for_stderr(&mut self, needle: &str) -> String {
        loop {
            match self.stderr.recv_timeout(HANG_GUARD) {
                Ok(line) => {
                    self.err.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!("no stderr line with {needle:?}; stderr: {:?}", self.err),
            }
        }
    }

    /// The next stderr line, or `None` at the end.
    pub fn next_stderr(&mut self) -> Option<String> {
        let line = self.stderr.recv_timeout(HANG_GUARD).ok()?;
        self.err.push(line.clone());
        Some(line)
    }

    fn drain_stderr(&mut self) -> Vec<String> {
        while let Ok(line) = self.stderr.try_recv() {
            self.err.push(line);
        }
        self.err.clone()
    }

    /// Waits for the exit; returns the status with every stdout event not read yet.
    pub fn finish(mut self) -> Finished {
        self.close_stdin();
        // Lenient here: --print-session-token prints a bare token line.
        let mut events = Vec::new();
        while let Ok(line) = self.stdout.recv_timeout(HANG_GUARD) {
            if let Ok(event) = serde_json::from_str(&line) {
                events.push(event);
            }
            self.out.push(line);
        }
        while let Ok(line) = self.stderr.recv_timeout(HANG_GUARD) {
            self.err.push(line);
        }
        let status = self.child.wait().expect("the CLI exits");
        Finished {
            status,
            events,
            stdout: self.out.join("\n"),
            stderr: self.err.join("\n"),
        }
    }
}

pub struct Finished {
    pub status: ExitStatus,
    /// Stdout events read by `finish` (after those the test read itself).
    pub events: Vec<Value>,
    /// Everything printed, for leak checks and failure messages.
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    pub fn code(&self) -> i32 {
        self.status.code().unwrap_or(-1)
    }

    /// The final `result` event.
    pub fn result(&self) -> &Value {
        self.events
            .iter()
            .rev()
            .find(|event| event.get("result").is_some())
            .unwrap_or_else(|| {
                panic!(
                    "no result event; stdout: {}\nstderr: {}",
                    self.stdout, self.stderr
                )
            })
    }

    /// Every stdout line is one JSON object.
    pub fn assert_json_lines(&self) {
        for line in self.stdout.lines() {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
            assert!(value.is_object(), "{line}");
        }
    }

    /// Neither the password nor any token the demo org issued was printed.
    pub fn assert_no_secrets(&self) {
        for text in [&self.stdout, &self.stderr] {
            assert!(!text.contains(DEMO_PASSWORD), "password printed:\n{text}");
            assert!(!text.contains(TOKEN_MARKER), "token printed:\n{text}");
        }
    }
}

/// Reads the QR code the CLI draws on stderr next (after the line that introduced it) back
/// into a PNG the virtual phone can scan.
pub fn qr_from_stderr(cli: &mut Running) -> Vec<u8> {
    let mut drawing = Vec::new();
    while let Some(line) = cli.next_stderr() {
        if line.trim().is_empty() && drawing.is_empty() {
            continue;
        }
        if !line.chars().all(|c| matches!(c, ' ' | '▀' | '▄' | '█')) {
            break;
        }
        drawing.push(line);
    }
    assert!(drawing.len() > 10, "no QR drawing on stderr: {:?}", cli.err);
    png_from_half_blocks(&drawing)
}

/// Light glyph halves are light modules (the drawing is for light text on a dark
/// background), blanks are dark; each half is one module, drawn 4 px square.
fn png_from_half_blocks(lines: &[String]) -> Vec<u8> {
    let scale = 4u32;
    let margin = 4u32;
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap() as u32;
    let height = lines.len() as u32 * 2;
    let light = |x: u32, y: u32| -> bool {
        let line: Vec<char> = lines[(y / 2) as usize].chars().collect();
        match line.get(x as usize).copied().unwrap_or(' ') {
            '█' => true,
            '▀' => y.is_multiple_of(2),
            '▄' => !y.is_multiple_of(2),
            _ => false,
        }
    };
    let size = |modules: u32| (modules + 2 * margin) * scale;
    let image = image::GrayImage::from_fn(size(width), size(height), |px, py| {
        let (mx, my) = (px / scale, py / scale);
        let inside = mx >= margin && my >= margin && mx < width + margin && my < height + margin;
        let white = !inside || light(mx - margin, my - margin);
        image::Luma([if white { 255 } else { 0 }])
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}
