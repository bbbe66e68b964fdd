//! `oktadesk-cli doctor --org ORG`: what stands between this computer and a sign-in, one
//! check at a time, each with what to do when it fails.
//!
//! The checks that talk HTTP or TLS to the org go through the sign-in's own client, built
//! from the same `ClientConfig`, so `doctor --ca-file` trusts what `signin --ca-file` trusts.

mod certificates;
mod local;
mod network;
mod org;
mod report;

use std::path::PathBuf;

use std::time::Duration;

use clap::Args;

use oktadesk_core::{ClientConfig, OktaClient, OrgUrl, RetryPolicy};

use self::network::NETWORK_TIMEOUT;
use self::report::{Check, CheckName, Report, Status};
use crate::client_config;
use crate::exit::{CliError, Exit};
use crate::output::{self, STRONG};

#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// The org to check: `acme`, `acme.okta.com`, `https://login.acme.com`, or a demo org URL.
    #[arg(long, value_name = "ORG")]
    org: String,
    /// Also trust the CA certificates in this PEM file, as `signin --ca-file` would.
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// One JSON object per line on stdout: each check, then a summary.
    #[arg(long)]
    json: bool,
}

impl DoctorArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

pub(crate) async fn run(args: DoctorArgs) -> Result<(), CliError> {
    let org = OrgUrl::parse(&args.org).map_err(oktadesk_core::Error::from)?;
    // The sign-in's configuration, with doctor's shorter patience: a dead network should be
    // reported in seconds.
    let client = OktaClient::new(ClientConfig {
        connect_timeout: NETWORK_TIMEOUT,
        request_timeout: NETWORK_TIMEOUT,
        // One quick second try: doctor reports, it does not wait out an outage.
        retry: RetryPolicy {
            attempts: 2,
            initial: Duration::from_millis(500),
            max: Duration::from_millis(500),
        },
        ..client_config::with_ca_file(args.ca_file.as_deref())?
    });
    if !args.json {
        output::say(&format!(
            "Checking {}",
            output::styled(STRONG, &org.to_string())
        ));
    }
    let mut report = Report::new(args.json);
    let url = org.as_url();
    let host = org
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let https = url.scheme() == "https";

    let (proxy, proxied) = network::proxy_check(&org, &host, https);
    let addresses = network::dns_check(&mut report, &host, port, proxied).await;
    let reachable = match addresses.as_deref() {
        Some(addresses) => network::tcp_check(&mut report, addresses, proxied).await,
        None => {
            report.add(Check::new(
                CheckName::Tcp,
                Status::Skip,
                "skipped: no address to connect to",
            ));
            None
        }
    };
    match (https, reachable) {
        (false, _) => report.add(Check::new(
            CheckName::Tls,
            Status::Skip,
            "skipped: plain http, allowed only on this computer's loopback address (the demo org)",
        )),
        (true, None) => report.add(Check::new(
            CheckName::Tls,
            Status::Skip,
            "skipped: no connection",
        )),
        (true, Some(address)) => org::tls_check(&mut report, client.as_ref(), &org, address).await,
    }
    let tls_ok = !https
        || matches!(
            report.status_of(CheckName::Tls),
            Some(Status::Pass | Status::Warn)
        );
    if tls_ok && (reachable.is_some() || proxied) {
        let answer = org::api_check(&mut report, client.as_ref(), &org).await;
        local::clock_check(&mut report, answer.as_ref());
        org::engine_check(&mut report, client.as_ref(), &org).await;
    } else {
        report.add(Check::new(
            CheckName::AuthnApi,
            Status::Skip,
            "skipped: the org could not be reached",
        ));
        report.add(Check::new(
            CheckName::Clock,
            Status::Skip,
            "skipped: no answer from the org to compare with",
        ));
        report.add(Check::new(
            CheckName::Engine,
            Status::Skip,
            "skipped: the org could not be reached",
        ));
    }
    report.add(proxy);
    local::keychain_check(&mut report).await;
    local::notifications_check(&mut report).await;

    match report.finish(&org) {
        Exit::Success => Ok(()),
        // The report already said everything; main prints nothing more for this kind.
        exit => Err(CliError::new(exit, "doctor_failed", "")),
    }
}
