//! The CLI's sign-in wall time, end to end, against its own demo org in the bench's desktop.

use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use oktadesk_testenv::{DesktopSession, ManagedChild};

use super::stats::millis;
use crate::error::Error;

/// The demo org's users signed in, in the order of the report's rows.
pub(super) const CLI_USERS: [&str; 2] = ["nomfa@demo.test", "push@demo.test"];
const DEMO_PASSWORD: &str = "Demo-Pa55word!";

/// Wall time of `oktadesk-cli signin` per user in [`CLI_USERS`], against a demo org whose
/// phone approves at once and that does not rate-limit (the runs come back to back).
pub(super) fn measure(
    session: &DesktopSession,
    cli: &Path,
    runs: usize,
) -> Result<[Vec<Duration>; 2], Error> {
    // Stopped when it drops, whatever happens to the runs.
    let mut org = ManagedChild::spawn_reading_stdout(
        "oktadesk-cli demo-org",
        session
            .command(cli)
            .args(["demo-org", "--auto-approve", "0s", "--rate-limit", "0"])
            .stdin(Stdio::null()),
        None,
    )?;
    // Its first line is the org's URL, printed once it listens.
    let url = org.first_line("the demo org's URL")?;
    let mut times = [Vec::new(), Vec::new()];
    for run in 0..runs {
        for (index, user) in CLI_USERS.iter().enumerate() {
            let took = sign_in(session, cli, &url, user)?;
            println!("  run {:>2} {user:<16} {:>7.1} ms", run + 1, millis(took));
            times[index].push(took);
        }
    }
    Ok(times)
}

/// One `oktadesk-cli signin`, from process start to exit.
fn sign_in(session: &DesktopSession, cli: &Path, url: &str, user: &str) -> Result<Duration, Error> {
    let description = format!("oktadesk-cli signin --org {url} --user {user}");
    let started = Instant::now();
    let mut child = session
        .command(cli)
        .args(["signin", "--org", url, "--user", user, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Error::not_started(&description))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = writeln!(stdin, "{DEMO_PASSWORD}");
    }
    let output = child
        .wait_with_output()
        .map_err(Error::not_started(&description))?;
    let took = started.elapsed();
    if output.status.success() {
        Ok(took)
    } else {
        Err(Error::command_failed(
            &description,
            &format!(
                "{}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ))
    }
}
