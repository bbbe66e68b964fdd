//! The launch loop: the app and the bare apps launched in turn, interleaved, for their
//! startup and memory.

use std::path::Path;
use std::time::Duration;

use oktadesk_testenv::DesktopSession;

use super::startup::{self, Launch};
use super::stats::millis;
use crate::error::Error;

/// Memory is read this long after the ready report, once WebKit has settled.
const SETTLE: Duration = Duration::from_secs(1);

/// How many apps are compared.
pub(super) const APPS: usize = 3;
/// The apps compared, in the order of [`Gui::launches`].
pub(super) const GUI_NAMES: [&str; APPS] =
    ["OktaDesk", "hello (bare Tauri)", "first screen (static)"];
/// Indexes into [`Gui::launches`].
pub(super) const OKTADESK: usize = 0;
pub(super) const HELLO: usize = 1;
pub(super) const STATIC_FIRST_SCREEN: usize = 2;

/// Startup and memory of [OktaDesk, hello, the static first screen].
pub(super) struct Gui {
    pub launches: [Vec<Launch>; APPS],
}

/// `runs` measured launches of each of `apps` (in the order of [`GUI_NAMES`]).
pub(super) fn measure(
    session: &DesktopSession,
    apps: [&Path; APPS],
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
    let mut launches = [Vec::new(), Vec::new(), Vec::new()];
    for run in 0..runs {
        // Interleaved, rotating who goes first, so drifting load hits all alike.
        for index in (0..APPS).map(|offset| (run + offset) % APPS) {
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
