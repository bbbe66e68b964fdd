//! `oktadesk-cli demo-org`: runs the demo org until interrupted.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use oktadesk_demo_org::{DemoEngine, DemoOrg, DemoOrgConfig, TlsOptions};

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
    /// Show lockout failures: a locked-out user gets `LOCKED_OUT` (with its unlock link)
    /// instead of the wrong-password answer a real org gives by default.
    #[arg(long)]
    reveal_lockout: bool,
    /// The engine the org runs: `classic` (pipeline v1: /api/v1/authn) or `idx` (Identity
    /// Engine: Okta's IDX API and OAuth endpoints too, for the OktaDesk app with client ID
    /// 0oa1demoOktaDesk0g47; /api/v1/authn keeps answering, as on a real Identity Engine org).
    #[arg(long, value_enum, default_value = "classic")]
    engine: EngineArg,
    /// Serve HTTPS with a certificate from a certificate authority generated at start. Its
    /// PEM file's path is the second stdout line; clients trust it with `--ca-file`.
    #[arg(long)]
    tls: bool,
    /// Where to write the CA certificate with `--tls` (kept after exit). Default: a file in
    /// the temporary directory, removed when the org stops.
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    Classic,
    Idx,
}

impl DemoOrgArgs {
    fn config(&self) -> DemoOrgConfig {
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
            token_marker: self.token_marker.clone().unwrap_or_default(),
            reveal_lockout: self.reveal_lockout,
            engine: match self.engine {
                EngineArg::Classic => DemoEngine::Classic,
                EngineArg::Idx => DemoEngine::IdentityEngine,
            },
            tls: self.tls.then(TlsOptions::default),
            ..defaults
        }
    }
}

/// Prints the base URL alone on the first stdout line (scripts read it), with `--tls` the CA
/// file's path on the second, then serves until SIGINT or SIGTERM.
pub(crate) async fn run(args: DemoOrgArgs) -> Result<(), String> {
    let config = args.config();
    let password = config.password.clone();
    let org = DemoOrg::start(config)
        .await
        .map_err(|err| err.to_string())?;
    let ca_file = match org.ca_pem().map(|pem| CaFile::write(pem, args.ca_out)) {
        Some(Ok(ca_file)) => Some(ca_file),
        Some(Err(problem)) => {
            org.shutdown().await;
            return Err(problem);
        }
        None => None,
    };
    let base_url = org.base_url().as_str().trim_end_matches('/').to_owned();
    {
        let mut stdout = std::io::stdout().lock();
        let mut lines = vec![base_url.clone()];
        if let Some(ca_file) = &ca_file {
            lines.push(ca_file.path.display().to_string());
        }
        writeln!(stdout, "{}", lines.join("\n"))
            .and_then(|()| stdout.flush())
            .map_err(|err| format!("could not print the demo org URL: {err}"))?;
    }
    match &ca_file {
        Some(ca_file) => eprintln!(
            "Demo org running over HTTPS. Sign in as any seeded user (e.g. push@demo.test) with password {password}, trusting its certificate authority: oktadesk-cli signin --org {base_url} --ca-file {}. Press Ctrl+C to stop.",
            ca_file.path.display()
        ),
        None => eprintln!(
            "Demo org running. Sign in as any seeded user (e.g. push@demo.test) with password {password}. Press Ctrl+C to stop."
        ),
    }
    let stopped = wait_for_stop_signal().await;
    org.shutdown().await;
    drop(ca_file);
    stopped
}

/// The CA certificate written for clients to trust; a file of our own choosing is removed
/// when the org stops, since that CA is gone with it.
struct CaFile {
    path: PathBuf,
    remove_on_drop: bool,
}

impl CaFile {
    fn write(pem: &str, chosen: Option<PathBuf>) -> Result<Self, String> {
        let (path, remove_on_drop) = match chosen {
            Some(path) => (path, false),
            None => (
                std::env::temp_dir()
                    .join(format!("oktadesk-demo-org-ca-{}.pem", std::process::id())),
                true,
            ),
        };
        std::fs::write(&path, pem).map_err(|err| {
            format!(
                "could not write the demo org's CA certificate to {}: {err}. Choose another file with --ca-out.",
                path.display()
            )
        })?;
        Ok(Self {
            path,
            remove_on_drop,
        })
    }
}

impl Drop for CaFile {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = std::fs::remove_file(&self.path);
        }
    }
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
