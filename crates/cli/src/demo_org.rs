//! `oktadesk-cli demo-org`: runs the demo org until interrupted.

use std::io::Write;
use std::net::IpAddr;
use std::time::Duration;

use clap::Args;
use oktadesk_demo_org::{DemoOrg, DemoOrgConfig};

#[derive(Debug, Args)]
pub(crate) struct DemoOrgArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long an Okta Verify activation (QR code) stays valid, e.g. `10m`.
    #[arg(long, value_parser = humantime::parse_duration)]
    activation_lifetime: Option<Duration>,
    /// How long a push waits for an answer before timing out, e.g. `5m`.
    #[arg(long, value_parser = humantime::parse_duration)]
    push_lifetime: Option<Duration>,
    /// Let the virtual phone approve pushes and complete activations by itself this long
    /// after they start, e.g. `2s`.
    #[arg(long, value_parser = humantime::parse_duration)]
    auto_approve: Option<Duration>,
    /// Requests per second per user on /api/v1/authn before 429 (Okta: 4; 0: unlimited).
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Marker placed in every token the org issues, for leak scanning (letters and digits).
    #[arg(long)]
    token_marker: Option<String>,
}

impl DemoOrgArgs {
    fn config(self) -> DemoOrgConfig {
        let defaults = DemoOrgConfig::default();
        DemoOrgConfig {
            host: self.host,
            port: self.port,
            activation_lifetime: self
                .activation_lifetime
                .unwrap_or(defaults.activation_lifetime),
            push_lifetime: self.push_lifetime.unwrap_or(defaults.push_lifetime),
            auto_approve: self.auto_approve,
            rate_limit_per_second: self.rate_limit.unwrap_or(defaults.rate_limit_per_second),
            token_marker: self.token_marker.unwrap_or_default(),
            ..defaults
        }
    }
}

/// Prints the base URL alone on the first stdout line (scripts read it), then serves until
/// SIGINT or SIGTERM.
pub(crate) async fn run(args: DemoOrgArgs) -> Result<(), String> {
    let org = DemoOrg::start(args.config())
        .await
        .map_err(|err| err.to_string())?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", org.base_url().as_str().trim_end_matches('/'))
            .and_then(|()| stdout.flush())
            .map_err(|err| format!("could not print the demo org URL: {err}"))?;
    }
    eprintln!(
        "Demo org running. Sign in as any seeded user (e.g. push@demo.test) with password {}. Press Ctrl+C to stop.",
        oktadesk_demo_org::DEMO_PASSWORD
    );
    wait_for_stop_signal().await?;
    org.shutdown().await;
    Ok(())
}

async fn wait_for_stop_signal() -> Result<(), String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())
            .map_err(|err| format!("could not listen for SIGTERM: {err}"))?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(|err| format!("could not listen for Ctrl+C: {err}")),
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .map_err(|err| format!("could not listen for Ctrl+C: {err}"))
    }
}
