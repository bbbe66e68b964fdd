//! Command-line options of the desktop app.

use std::ffi::OsString;

pub const USAGE: &str = "\
Usage: oktadesk [--demo]

Sign in to Okta and enroll Okta Verify from the desktop.

Options:
  --demo       Start the built-in demo organization and open the app on it
  -h, --help   Show this help
  -V, --version
               Show the version";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub demo: bool,
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
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> (Self, Vec<OsString>) {
        let mut options = LaunchOptions::default();
        let mut ignored = Vec::new();
        for arg in args {
            match arg.to_str() {
                Some("--demo") => options.demo = true,
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
        assert_eq!(parse(&[]).0, Launch::App(LaunchOptions { demo: false }));
        assert_eq!(
            parse(&["--demo"]).0,
            Launch::App(LaunchOptions { demo: true })
        );
        assert_eq!(parse(&["--demo", "--help"]).0, Launch::Help);
        assert_eq!(parse(&["-V"]).0, Launch::Version);
    }

    #[test]
    fn skips_and_reports_unknown_arguments() {
        let (launch, ignored) = parse(&["--automation", "--demo"]);
        assert_eq!(launch, Launch::App(LaunchOptions { demo: true }));
        assert_eq!(ignored, vec![OsString::from("--automation")]);
    }
}
