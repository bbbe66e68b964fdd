//! The launch loop: both apps launched in turn, interleaved, for their startup and memory.

use std::path::Path;
use std::time::Duration;

use oktadesk_testenv::DesktopSession;

use super::startup::{self, Launch};
use super::stats::millis;
use crate::error::Error;

/// Memory is read this long after the ready report, once WebKit has settled.
const SETTLE: Duration = Duration::from_secs(1);

/// The apps compared, in the order of [`Gui::launches`].
const GUI_NAMES: [&str; 2] = ["OktaDesk", "hello (bare Tauri)"];

/// Startup and memory of [OktaDesk, hello].
pub(super) struct Gui {
    pub launches: [Vec<Launch>; 2],
}

/// `runs` measured launches of each of `apps` ([OktaDesk, hello]).
pub(super) fn measure(
    session: &DesktopSession,
    apps: [&Path; 2],
    runs: usize,
    smoke: bool,
) -> Result<Gui, Error> {
    // One launch each first, not counted: it starts the keyring daemon and fills the page
    // caches, as a desktop that has run anything before would have them.
    if !smoke {
        for app in apps {
            startup::launch(session, app, Duration::ZERO)?;
        }
    }
    let settle = if smoke { Duration::ZERO } else { SETTLE };
    let mut launches = [Vec::new(), Vec::new()];
    for run in 0..runs {
        // Interleaved, alternating who goes first, so drifting load hits both alike.
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for index in order {
            let measured = startup::launch(session, apps[index], settle)?;
            println!(
                "  run {:>2} {:<20} ready after {:>7.1} ms, PSS {:>7} KiB",
                run + 1,
                GUI_NAMES[index],
                millis(measured.startup),
                measured.pss_kib
            );
            launches[index].push(measured);
        }
    }
    Ok(Gui { launches })
}
