//! `oktadesk-cli`: headless OktaDesk.

mod demo_org;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "oktadesk-cli",
    version,
    about = "Headless OktaDesk: sign in, enroll Okta Verify, run the demo org"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the embedded demo org: an Okta-compatible server with a virtual Okta Verify phone.
    DemoOrg(demo_org::DemoOrgArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::DemoOrg(args) => demo_org::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("oktadesk-cli: {message}");
            ExitCode::FAILURE
        }
    }
}
