//! Command-line options of the desktop app.

use std::ffi::OsString;

#[cfg(feature = "demo")]
pub const USAGE: &str = "\
Usage: oktadesk [--demo | --demo-org-url URL] [--notify-always]

Sign in to Okta and enroll Okta Verify from the desktop.

Options:
  --demo               Start the built-in demo organization and open the app on it
                       (builds with the `demo-org` feature; release builds leave it out)
  --demo-org-url URL   Use a demo organization that is already running at URL (on this
                       computer), with its demo phone beside the app: run
                       `oktadesk-cli demo-org` and pass the URL it prints
  --notify-always      Show desktop notifications even while the window has focus
  -h, --help           Show this help
  -V, --version        Show the version";

/// Release builds have no demo: `--demo` only says how to try the demo org beside the app.
#[cfg(not(feature = "demo"))]
pub const USAGE: &str = "\
Usage: oktadesk [--notify-always]

Sign in to Okta and enroll Okta Verify from the desktop.

Options:
  --demo               Explain how to try OktaDesk on a demo organization
                       (`oktadesk-cli demo-org`)
  --notify-always      Show desktop notifications even while the window has focus
  -h, --help           Show this help
  -V, --version        Show the version";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub demo: bool,
    /// A demo org started elsewhere (by a test, or `oktadesk-cli demo-org`); only builds
    /// with the demo read `--demo-org-url`.
    #[cfg(feature = "demo")]
    pub demo_org_url: Option<String>,
    /// Notifications normally only show while the window is in the background; kiosks and
    /// end-to-end tests (where the window always has focus) want them every time.
    pub notify_always: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    App(LaunchOptions),
    Help,
    Version,
}

impl Launch {
    /// Reads the arguments after the program name.
    ///
    /// Unknown arguments are reported and skipped rather than refused: desktop launchers and
    /// WebDriver hosts add arguments of their own, and a window that will not open helps no one.
    // `while let`, not `for`: `--demo-org-url` (demo builds) takes the next argument too.
    #[allow(clippy::while_let_on_iterator)]
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> (Self, Vec<OsString>) {
        let mut options = LaunchOptions::default();
        let mut ignored = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--demo") => options.demo = true,
                Some("--notify-always") => options.notify_always = true,
                #[cfg(feature = "demo")]
                Some("--demo-org-url") => match args.next() {
                    Some(url) => options.demo_org_url = Some(url.to_string_lossy().into_owned()),
                    None => ignored.push(arg),
                },
                #[cfg(feature = "demo")]
                Some(other) if other.starts_with("--demo-org-url=") => {
                    options.demo_org_url = Some(other["--demo-org-url=".len()..].to_owned());
                }
                Some("-h" | "--help") => return (Launch::Help, ignored),
                Some("-V" | "--version") => return (Launch::Version, ignored),
                _ => ignored.push(arg),
            }
        }
        (Launch::App(options), ignored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> (Launch, Vec<OsString>) {
        Launch::from_args(args.iter().map(OsString::from))
    }

    #[test]
    fn reads_demo_help_and_version() {
        assert_eq!(parse(&[]).0, Launch::App(LaunchOptions::default()));
        assert_eq!(
            parse(&["--demo"]).0,
            Launch::App(LaunchOptions {
                demo: true,
                ..LaunchOptions::default()
            })
        );
        assert_eq!(parse(&["--demo", "--help"]).0, Launch::Help);
        assert_eq!(parse(&["-V"]).0, Launch::Version);
    }

    #[cfg(feature = "demo")]
    #[test]
    fn reads_an_external_demo_org_and_the_notification_switch() {
        let expected = Launch::App(LaunchOptions {
            demo: false,
            demo_org_url: Some("http://127.0.0.1:4000".into()),
            notify_always: true,
        });
        assert_eq!(
            parse(&["--demo-org-url", "http://127.0.0.1:4000", "--notify-always"]).0,
            expected
        );
        assert_eq!(
            parse(&["--notify-always", "--demo-org-url=http://127.0.0.1:4000"]).0,
            expected
        );
    }

    #[cfg(not(feature = "demo"))]
    #[test]
    fn a_release_build_has_no_demo_org_url() {
        let (launch, ignored) = parse(&["--demo-org-url", "http://127.0.0.1:4000"]);
        assert_eq!(launch, Launch::App(LaunchOptions::default()));
        assert_eq!(ignored.len(), 2, "{ignored:?}");
        assert!(!USAGE.contains("--demo-org-url"), "{USAGE}");
    }

    #[test]
    fn skips_and_reports_unknown_arguments() {
        let (launch, ignored) = parse(&["--automation", "--demo"]);
        assert_eq!(
            launch,
            Launch::App(LaunchOptions {
                demo: true,
                ..LaunchOptions::default()
            })
        );
        assert_eq!(ignored, vec![OsString::from("--automation")]);
    }
}
