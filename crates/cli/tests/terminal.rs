//! The CLI in a pseudo-terminal, where the prompt matters: the password is asked on the
//! terminal without echo, and Ctrl-C typed at the keyboard cancels the sign-in.

// A pseudo-terminal (openpty, setsid, termios): Unix only.
#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{DEMO_PASSWORD, Org};

const HANG_GUARD: Duration = Duration::from_secs(120);

/// The CLI with a pseudo-terminal as its controlling terminal and stdio.
struct Terminal {
    child: Child,
    writer: File,
    output: Receiver<Vec<u8>>,
    /// Everything the terminal showed so far.
    screen: String,
}

impl Terminal {
    fn spawn(args: &[&str]) -> Self {
        let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
        let slave: OwnedFd = pty.slave;
        let stdio = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup"));
        let mut command = common::cli();
        command
            .args(args)
            .env("TERM", "xterm-256color")
            .stdin(stdio(&slave))
            .stdout(stdio(&slave))
            .stderr(stdio(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec: make the child a
        // session leader with the pseudo-terminal as its controlling terminal, as a shell
        // would, so /dev/tty and Ctrl-C work as for a person.
        unsafe {
            command.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                if nix::libc::ioctl(0, nix::libc::TIOCSCTTY as _, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("the CLI starts");
        drop(slave);
        let mut reader = File::from(pty.master);
        let writer = reader.try_clone().expect("dup");
        let (sender, output) = channel();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            // EIO once the child and every copy of the slave are gone.
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 || sender.send(buffer[..read].to_vec()).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            writer,
            output,
            screen: String::new(),
        }
    }

    fn wait_for(&mut self, needle: &str) {
        while !self.screen.contains(needle) {
            let chunk = self
                .output
                .recv_timeout(HANG_GUARD)
                .unwrap_or_else(|_| panic!("{needle:?} never shown; screen:\n{}", self.screen));
            self.screen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Types the password once the prompt has turned echo off: the prompt is printed a
    /// moment before, and what is typed in between would be echoed as on any terminal.
    fn type_password(&mut self, password: &str) {
        let deadline = std::time::Instant::now() + HANG_GUARD;
        loop {
            let termios = nix::sys::termios::tcgetattr(&self.writer).expect("terminal settings");
            if !termios
                .local_flags
                .contains(nix::sys::termios::LocalFlags::ECHO)
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "echo never turned off"
            );
            std::thread::yield_now();
        }
        self.type_text(&format!("{password}\r"));
    }

    fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn finish(mut self) -> (i32, String) {
        while let Ok(chunk) = self.output.recv_timeout(HANG_GUARD) {
            self.screen.push_str(&String::from_utf8_lossy(&chunk));
        }
        let status = self.child.wait().unwrap();
        (status.code().unwrap_or(-1), self.screen)
    }
}

#[test]
fn the_password_prompt_does_not_echo_and_ctrl_c_cancels() {
    let org = Org::start();
    let mut terminal = Terminal::spawn(&["signin", "--org", &org.url, "--user", "push@demo.test"]);
    terminal.wait_for("Password for push@demo.test");
    terminal.type_password(DEMO_PASSWORD);
    terminal.wait_for("Approve it in Okta Verify");
    // The spinner draws with the elapsed time while the push waits.
    terminal.wait_for("Waiting for the push to be approved");
    assert_eq!(org.stats().transactions, 1);
    terminal.type_text("\u{3}");
    let (code, screen) = terminal.finish();
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("Sign-in cancelled"), "{screen}");
    assert!(
        !screen.contains(DEMO_PASSWORD),
        "the password was echoed:\n{screen}"
    );
    assert_eq!(org.stats().transactions, 0, "cancelled on the server");
}

#[test]
fn a_code_is_asked_for_on_the_terminal() {
    let org = Org::start();
    let mut terminal = Terminal::spawn(&["signin", "--org", &org.url, "--user", "totp@demo.test"]);
    terminal.wait_for("Password for");
    terminal.type_password(DEMO_PASSWORD);
    terminal.wait_for("Okta Verify code: ");
    let code = org.phone("totp@demo.test").view().unwrap().codes[0]
        .code
        .clone();
    terminal.type_text(&format!("{code}\r"));
    let (status, screen) = terminal.finish();
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains("Signed in as"), "{screen}");
    assert!(screen.contains("Toby Totp"), "{screen}");
    assert!(
        !screen.contains(DEMO_PASSWORD),
        "the password was echoed:\n{screen}"
    );
}
