//! Checks of this computer: its clock (against the org's), the keychain that remembers
//! accounts, and the notification server that shows pushes.

use std::time::{Duration, SystemTime};

use oktadesk_accounts::AccountStore;
use oktadesk_core::ProbeReport;

use super::report::{Check, CheckName, Report, Status};
use crate::accounts;

/// TOTP codes live 30 s; Okta accepts about one step either side.
const SKEW_FAIL: Duration = Duration::from_secs(30);
const SKEW_WARN: Duration = Duration::from_secs(10);

/// Compares this computer's clock with the org's, from the probe's answer; skipped when the
/// probe got none.
pub(super) fn clock_check(report: &mut Report, answer: Option<&ProbeReport>) {
    report.add(match answer {
        Some(answer) => compare_clocks(answer.server_date, answer.received_at),
        None => Check::new(
            CheckName::Clock,
            Status::Skip,
            "skipped: no answer from the org",
        ),
    });
}

fn compare_clocks(server: Option<SystemTime>, local: SystemTime) -> Check {
    let Some(server) = server else {
        return Check::new(CheckName::Clock, Status::Warn, "the org sent no Date header, so the clock could not be compared")
            .advice("If Okta Verify codes are refused, check that this computer sets its clock automatically.");
    };
    let (skew, ahead) = match local.duration_since(server) {
        Ok(skew) => (skew, true),
        Err(error) => (error.duration(), false),
    };
    // The Date header has whole seconds: anything under a second is no skew at all.
    let seconds = skew.as_secs();
    let detail = if seconds == 0 {
        "this computer's clock agrees with the org's".to_owned()
    } else {
        format!(
            "this computer's clock is {seconds} s {} the org's",
            if ahead { "ahead of" } else { "behind" }
        )
    };
    let advice = "Turn on automatic date and time: Okta Verify codes (TOTP) fail when the clocks differ by 30 s or more.";
    if skew >= SKEW_FAIL {
        Check::new(CheckName::Clock, Status::Fail, detail).advice(advice)
    } else if skew >= SKEW_WARN {
        Check::new(CheckName::Clock, Status::Warn, detail).advice(advice)
    } else {
        Check::new(CheckName::Clock, Status::Pass, detail)
    }
}

pub(super) async fn keychain_check(report: &mut Report) {
    let check = match accounts::with_store(|store| Ok(store.list()?)).await {
        Ok(list) => {
            let mut detail = format!("{} account(s) remembered", list.accounts.len());
            if !list.unreadable.is_empty() {
                detail.push_str(&format!(", {} unreadable", list.unreadable.len()));
                Check::new(CheckName::Keychain, Status::Warn, detail)
                    .advice("Forget the unreadable entries with `oktadesk-cli accounts forget ID`.")
            } else {
                Check::new(CheckName::Keychain, Status::Pass, detail)
            }
        }
        Err(error) => Check::new(CheckName::Keychain, Status::Fail, error.message)
            .advice("Accounts cannot be remembered until this is fixed; signing in still works."),
    };
    report.add(check);
}

pub(super) async fn notifications_check(report: &mut Report) {
    let check = tokio::task::spawn_blocking(notification_server)
        .await
        .unwrap_or_else(|error| Err(format!("the check stopped unexpectedly ({error})")));
    report.add(match check {
        Ok(detail) => Check::new(CheckName::Notifications, Status::Pass, detail),
        Err(problem) => Check::new(CheckName::Notifications, Status::Fail, problem).advice(
            "The desktop app cannot show push and sign-in notifications; start your desktop's notification service (the CLI does not need it).",
        ),
    });
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn notification_server() -> Result<String, String> {
    use dbus::blocking::Connection;
    let connection =
        Connection::new_session().map_err(|error| format!("no D-Bus session bus ({error})"))?;
    let proxy = connection.with_proxy(
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        std::time::Duration::from_secs(5),
    );
    let (name, vendor, version, _spec): (String, String, String, String) = proxy
        .method_call("org.freedesktop.Notifications", "GetServerInformation", ())
        .map_err(|error| format!("no notification server on the session bus ({error})"))?;
    Ok(format!("{name} {version} ({vendor})"))
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn notification_server() -> Result<String, String> {
    Ok("shown by the operating system".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_skew_thresholds() {
        let now = SystemTime::now();
        assert_eq!(compare_clocks(Some(now), now).status, Status::Pass);
        let behind = compare_clocks(Some(now + Duration::from_secs(45)), now);
        assert_eq!(behind.status, Status::Fail);
        assert!(behind.detail.contains("45 s behind"), "{}", behind.detail);
        assert_eq!(
            compare_clocks(Some(now - Duration::from_secs(12)), now).status,
            Status::Warn
        );
        assert_eq!(compare_clocks(None, now).status, Status::Warn);
    }
}
