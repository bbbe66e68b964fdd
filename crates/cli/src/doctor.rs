//! `oktadesk-cli doctor --org ORG`: what stands between this computer and a sign-in, one
//! check at a time, each with what to do when it fails.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use clap::Args;
use oktadesk_accounts::AccountStore;
use oktadesk_core::OrgUrl;
use serde::Serialize;
use serde_json::json;

use crate::accounts;
use crate::exit::{CliError, Exit};
use crate::output::{self, BAD, DIM, GOOD, STRONG, WARN};
use crate::tls;

/// Long enough for a slow network, short enough that a dead one is reported soon.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);
/// TOTP codes live 30 s; Okta accepts about one step either side.
const SKEW_FAIL: Duration = Duration::from_secs(30);
const SKEW_WARN: Duration = Duration::from_secs(10);
/// Renew-soon warning for the org's certificate.
const CERT_WARN_DAYS: i64 = 14;
/// No Authentication API answer is anywhere near this.
const MAX_BODY: usize = 256 * 1024;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// Checks of the way to the org fail with exit 5; checks of this computer with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Org,
    Local,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Check {
    check: &'static str,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Option<String>,
    #[serde(skip)]
    scope: Scope,
}

impl Check {
    fn new(check: &'static str, scope: Scope, status: Status, detail: impl Into<String>) -> Self {
        Self {
            check,
            status,
            detail: detail.into(),
            advice: None,
            scope,
        }
    }

    fn advice(mut self, advice: impl Into<String>) -> Self {
        self.advice = Some(advice.into());
        self
    }
}

struct Report {
    json: bool,
    checks: Vec<Check>,
}

impl Report {
    fn add(&mut self, check: Check) {
        if self.json {
            output::json_line(&serde_json::to_value(&check).unwrap_or_default());
        } else {
            let (mark, style) = match check.status {
                Status::Pass => ("✔", GOOD),
                Status::Warn => ("!", WARN),
                Status::Fail => ("✘", BAD),
                Status::Skip => ("-", DIM),
            };
            output::say(&format!(
                "{} {:<14} {}",
                output::styled(style, mark),
                label(check.check),
                check.detail
            ));
            if let Some(advice) = &check.advice {
                output::say(&format!("  {:<14} {}", "", output::styled(DIM, advice)));
            }
        }
        self.checks.push(check);
    }

    fn passed(&self, name: &str) -> bool {
        self.checks
            .iter()
            .any(|check| check.check == name && check.status == Status::Pass)
    }
}

fn label(check: &str) -> &'static str {
    match check {
        "dns" => "DNS",
        "tcp" => "TCP",
        "tls" => "TLS",
        "authnApi" => "Okta API",
        "clock" => "Clock",
        "proxy" => "Proxy",
        "keychain" => "Keychain",
        "notifications" => "Notifications",
        _ => "Check",
    }
}

pub(crate) async fn run(args: DoctorArgs) -> Result<(), CliError> {
    let org = OrgUrl::parse(&args.org).map_err(oktadesk_core::Error::from)?;
    let extra_ca = match &args.ca_file {
        Some(path) => Some(std::fs::read(path).map_err(|error| {
            CliError::usage(format!(
                "The CA file {} could not be read ({error}). Give the path of a PEM file.",
                path.display()
            ))
        })?),
        None => None,
    };
    if !args.json {
        output::say(&format!(
            "Checking {}",
            output::styled(STRONG, &org.to_string())
        ));
    }
    let mut report = Report {
        json: args.json,
        checks: Vec::new(),
    };
    let url = org.as_url();
    let host = org
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let https = url.scheme() == "https";

    let proxy = proxy_check(&org, &host, https);
    let proxied = proxy.1;
    let addresses = dns_check(&mut report, &host, port, proxied).await;
    let reachable = match addresses.as_deref() {
        Some(addresses) => tcp_check(&mut report, addresses, proxied).await,
        None => {
            report.add(Check::new(
                "tcp",
                Scope::Org,
                Status::Skip,
                "skipped: no address to connect to",
            ));
            None
        }
    };
    match (https, reachable) {
        (false, _) => report.add(Check::new(
            "tls",
            Scope::Org,
            Status::Skip,
            "skipped: plain http, allowed only on this computer's loopback address (the demo org)",
        )),
        (true, None) => report.add(Check::new(
            "tls",
            Scope::Org,
            Status::Skip,
            "skipped: no connection",
        )),
        (true, Some(address)) => tls_check(&mut report, address, &host, extra_ca.clone()).await,
    }
    let tls_ok = !https
        || report.passed("tls")
        || report
            .checks
            .iter()
            .any(|c| c.check == "tls" && c.status == Status::Warn);
    if tls_ok && (reachable.is_some() || proxied) {
        api_checks(&mut report, &org, extra_ca.as_deref()).await;
    } else {
        report.add(Check::new(
            "authnApi",
            Scope::Org,
            Status::Skip,
            "skipped: the org could not be reached",
        ));
        report.add(Check::new(
            "clock",
            Scope::Local,
            Status::Skip,
            "skipped: no answer from the org to compare with",
        ));
    }
    report.add(proxy.0);
    keychain_check(&mut report).await;
    notifications_check(&mut report).await;

    let failed = |scope| {
        report
            .checks
            .iter()
            .filter(|check| check.status == Status::Fail && check.scope == scope)
            .count()
    };
    let (org_failures, local_failures) = (failed(Scope::Org), failed(Scope::Local));
    let exit = if org_failures > 0 {
        Exit::Network
    } else if local_failures > 0 {
        Exit::Other
    } else {
        Exit::Success
    };
    let count = |status| report.checks.iter().filter(|c| c.status == status).count();
    if args.json {
        output::json_line(&json!({
            "result": if exit == Exit::Success { "passed" } else { "failed" },
            "exitCode": exit.code(),
            "org": org,
            "passed": count(Status::Pass),
            "warnings": count(Status::Warn),
            "failed": count(Status::Fail),
            "skipped": count(Status::Skip),
        }));
    } else {
        output::say(&match exit {
            Exit::Success => format!(
                "{} Everything needed to sign in is in place.",
                output::styled(GOOD, "✔")
            ),
            _ => format!(
                "{} {} check(s) failed: see what to do above.",
                output::styled(BAD, "✘"),
                org_failures + local_failures
            ),
        });
    }
    if exit == Exit::Success {
        Ok(())
    } else {
        // The report already said everything; main prints nothing more for this kind.
        Err(CliError::new(exit, "doctor_failed", ""))
    }
}

async fn dns_check(
    report: &mut Report,
    host: &str,
    port: u16,
    proxied: bool,
) -> Option<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        report.add(Check::new(
            "dns",
            Scope::Org,
            Status::Pass,
            format!("{ip} is an IP address: no lookup needed"),
        ));
        return Some(vec![SocketAddr::new(ip, port)]);
    }
    let lookup = tokio::time::timeout(NETWORK_TIMEOUT, tokio::net::lookup_host((host, port))).await;
    match lookup {
        Ok(Ok(addresses)) => {
            let addresses: Vec<SocketAddr> = addresses.collect();
            let shown: Vec<String> = addresses
                .iter()
                .take(4)
                .map(|a| a.ip().to_string())
                .collect();
            report.add(Check::new(
                "dns",
                Scope::Org,
                Status::Pass,
                format!("{host} → {}", shown.join(", ")),
            ));
            Some(addresses)
        }
        failure => {
            let detail = match failure {
                Ok(Err(error)) => format!("{host} could not be resolved ({error})"),
                _ => format!(
                    "looking up {host} took longer than {} s",
                    NETWORK_TIMEOUT.as_secs()
                ),
            };
            let (status, advice) = if proxied {
                (
                    Status::Warn,
                    "This computer cannot resolve the name itself, but a proxy is set and may resolve it; see the proxy and Okta API checks.",
                )
            } else {
                (
                    Status::Fail,
                    "Check the org URL for typos and that this computer is online (and on the VPN, if your company needs one).",
                )
            };
            report.add(Check::new("dns", Scope::Org, status, detail).advice(advice));
            None
        }
    }
}

async fn tcp_check(
    report: &mut Report,
    addresses: &[SocketAddr],
    proxied: bool,
) -> Option<SocketAddr> {
    let mut errors = Vec::new();
    for address in addresses {
        let started = Instant::now();
        match tokio::time::timeout(NETWORK_TIMEOUT, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(_)) => {
                report.add(Check::new(
                    "tcp",
                    Scope::Org,
                    Status::Pass,
                    format!(
                        "connected to {address} in {} ms",
                        started.elapsed().as_millis()
                    ),
                ));
                return Some(*address);
            }
            Ok(Err(error)) => errors.push(format!("{address}: {error}")),
            Err(_) => errors.push(format!(
                "{address}: no answer within {} s",
                NETWORK_TIMEOUT.as_secs()
            )),
        }
    }
    let (status, advice) = if proxied {
        (
            Status::Warn,
            "Direct connections are blocked, which is normal behind a proxy; see the Okta API check, which goes through it.",
        )
    } else {
        (
            Status::Fail,
            "Nothing accepts connections there. Check the org URL and port, and that a firewall or VPN is not blocking the connection.",
        )
    };
    report.add(
        Check::new(
            "tcp",
            Scope::Org,
            status,
            format!("could not connect ({})", errors.join("; ")),
        )
        .advice(advice),
    );
    None
}

async fn tls_check(
    report: &mut Report,
    address: SocketAddr,
    host: &str,
    extra_ca: Option<Vec<u8>>,
) {
    let owned_host = host.to_owned();
    let probe = tokio::task::spawn_blocking(move || {
        tls::probe(address, &owned_host, extra_ca.as_deref(), NETWORK_TIMEOUT)
    })
    .await;
    let report_result = match probe {
        Ok(result) => result,
        Err(error) => Err(format!("the TLS check stopped unexpectedly ({error})")),
    };
    let tls_report = match report_result {
        Ok(tls_report) => tls_report,
        Err(problem) => {
            report.add(
                Check::new("tls", Scope::Org, Status::Fail, problem)
                    .advice("Check the --ca-file you gave, or try again."),
            );
            return;
        }
    };
    let chain = tls_report
        .chain
        .iter()
        .map(|c| format!("{} (issued by {})", c.subject, c.issuer))
        .collect::<Vec<_>>()
        .join(" ← ");
    if let Some(problem) = tls_report.problem {
        report.add(
            Check::new("tls", Scope::Org, Status::Fail, format!("{problem}; chain: {}", if chain.is_empty() { "none received".into() } else { chain }))
                .advice("If your company inspects TLS traffic, pass its root certificate with --ca-file (PEM); otherwise the org URL may be wrong or someone is intercepting the connection."),
        );
        return;
    }
    let Some(leaf) = tls_report.chain.first() else {
        report.add(
            Check::new(
                "tls",
                Scope::Org,
                Status::Fail,
                "no certificate was received",
            )
            .advice("Check the org URL."),
        );
        return;
    };
    let days_left = (leaf.not_after - time::OffsetDateTime::now_utc()).whole_days();
    let signer = tls_report
        .chain
        .last()
        .map(|c| c.issuer.clone())
        .unwrap_or_default();
    let detail = format!(
        "{} verified, signed by {signer}, valid until {} ({days_left} days){}",
        tls_report.protocol.as_deref().unwrap_or("TLS"),
        tls::date(leaf.not_after),
        if chain.is_empty() {
            String::new()
        } else {
            format!("; chain: {chain}")
        }
    );
    if days_left < CERT_WARN_DAYS {
        report.add(Check::new("tls", Scope::Org, Status::Warn, detail).advice(
            "The certificate expires soon: sign-in stops working when it does. Tell your Okta administrator.",
        ));
    } else {
        report.add(Check::new("tls", Scope::Org, Status::Pass, detail));
    }
}

/// One unauthenticated request to `/api/v1/authn`: does the org answer like Okta, and what
/// does its clock say?
async fn api_checks(report: &mut Report, org: &OrgUrl, extra_ca: Option<&[u8]>) {
    let client = match http_client(org, extra_ca) {
        Ok(client) => client,
        Err(problem) => {
            report.add(
                Check::new("authnApi", Scope::Org, Status::Fail, problem)
                    .advice("Check the --ca-file and the proxy settings."),
            );
            report.add(Check::new(
                "clock",
                Scope::Local,
                Status::Skip,
                "skipped: no answer from the org",
            ));
            return;
        }
    };
    let url = org.join("/api/v1/authn");
    let response = client
        .post(url)
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(error) => {
            report.add(
                Check::new("authnApi", Scope::Org, Status::Fail, format!("no answer from {} ({})", org.host(), error_chain(&error)))
                    .advice("Check the network and proxy settings; the checks above say where the connection stops."),
            );
            report.add(Check::new(
                "clock",
                Scope::Local,
                Status::Skip,
                "skipped: no answer from the org",
            ));
            return;
        }
    };
    let received_at = SystemTime::now();
    let status = response.status();
    let date = response
        .headers()
        .get("date")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| httpdate::parse_http_date(value).ok());
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("no content type")
        .to_owned();
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        if body.len() + chunk.len() > MAX_BODY {
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let okta_error = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|value| {
            value
                .get("errorCode")
                .and_then(|code| code.as_str())
                .map(str::to_owned)
        });
    match okta_error {
        Some(code) if matches!(status.as_u16(), 400 | 401 | 403 | 429) => report.add(Check::new(
            "authnApi",
            Scope::Org,
            Status::Pass,
            format!("POST /api/v1/authn answered HTTP {} {code}, as Okta does to an empty sign-in", status.as_u16()),
        )),
        Some(code) => report.add(
            Check::new("authnApi", Scope::Org, Status::Fail, format!("POST /api/v1/authn answered HTTP {} {code}", status.as_u16()))
                .advice("The org answers, but not as the Authentication API should. Check the org URL; if it is right, Okta may be having problems."),
        ),
        None => report.add(
            Check::new(
                "authnApi",
                Scope::Org,
                Status::Fail,
                format!("POST /api/v1/authn answered HTTP {} with {content_type}, not an Okta answer", status.as_u16()),
            )
            .advice("This address is not an Okta org (or a proxy answered instead). Use the address you sign in at, for example acme.okta.com."),
        ),
    }
    report.add(clock_check(date, received_at));
}

fn clock_check(server: Option<SystemTime>, local: SystemTime) -> Check {
    let Some(server) = server else {
        return Check::new("clock", Scope::Local, Status::Warn, "the org sent no Date header, so the clock could not be compared")
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
        Check::new("clock", Scope::Local, Status::Fail, detail).advice(advice)
    } else if skew >= SKEW_WARN {
        Check::new("clock", Scope::Local, Status::Warn, detail).advice(advice)
    } else {
        Check::new("clock", Scope::Local, Status::Pass, detail)
    }
}

fn http_client(org: &OrgUrl, extra_ca: Option<&[u8]>) -> Result<reqwest::Client, String> {
    let (tls, _) = tls::client_config(extra_ca)?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(format!("OktaDesk-doctor/{}", env!("CARGO_PKG_VERSION")))
        .connect_timeout(NETWORK_TIMEOUT)
        .timeout(NETWORK_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    // As the sign-in client: a proxy never sees loopback traffic.
    if org.is_loopback() {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|error| {
        format!(
            "the HTTP client could not be set up ({})",
            error_chain(&error)
        )
    })
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Which proxy the sign-in would use for the org, from the environment (reqwest reads the
/// same variables). Returns the check and whether a proxy is in effect.
fn proxy_check(org: &OrgUrl, host: &str, https: bool) -> (Check, bool) {
    if org.is_loopback() {
        return (
            Check::new(
                "proxy",
                Scope::Org,
                Status::Pass,
                "not used: the org is on this computer (loopback)",
            ),
            false,
        );
    }
    let no_proxy = first_env(&["NO_PROXY", "no_proxy"]);
    if let Some((name, list)) = &no_proxy
        && no_proxy_matches(list, host)
    {
        return (
            Check::new(
                "proxy",
                Scope::Org,
                Status::Pass,
                format!("direct: {name} covers {host}"),
            ),
            false,
        );
    }
    let candidates: &[&'static str] = if https {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    match first_env(candidates) {
        None => (Check::new("proxy", Scope::Org, Status::Pass, "none set: connecting directly"), false),
        Some((name, value)) => match url::Url::parse(&value) {
            Ok(mut proxy) => {
                // A proxy URL may carry a password: never print it.
                if proxy.password().is_some() {
                    let _ = proxy.set_password(Some("redacted"));
                }
                (
                    Check::new("proxy", Scope::Org, Status::Pass, format!("{name} = {proxy}: the sign-in goes through it")),
                    true,
                )
            }
            Err(error) => (
                Check::new("proxy", Scope::Org, Status::Fail, format!("{name} is not a valid URL ({error})"))
                    .advice(format!("Set {name} to the proxy's URL, for example http://proxy.example.com:3128, or unset it.")),
                false,
            ),
        },
    }
}

/// The first of `names` set to something, with its name.
fn first_env(names: &[&'static str]) -> Option<(&'static str, String)> {
    names.iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|value| !value.trim().is_empty())
            .map(|value| (*name, value))
    })
}

fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let entry = entry.to_ascii_lowercase();
            let domain = entry.trim_start_matches("*.").trim_start_matches('.');
            entry == "*" || host == domain || host.ends_with(&format!(".{domain}"))
        })
}

async fn keychain_check(report: &mut Report) {
    let check = match accounts::with_store(|store| Ok(store.list()?)).await {
        Ok(list) => {
            let mut detail = format!("{} account(s) remembered", list.accounts.len());
            if !list.unreadable.is_empty() {
                detail.push_str(&format!(", {} unreadable", list.unreadable.len()));
                Check::new("keychain", Scope::Local, Status::Warn, detail)
                    .advice("Forget the unreadable entries with `oktadesk-cli accounts forget ID`.")
            } else {
                Check::new("keychain", Scope::Local, Status::Pass, detail)
            }
        }
        Err(error) => Check::new("keychain", Scope::Local, Status::Fail, error.message)
            .advice("Accounts cannot be remembered until this is fixed; signing in still works."),
    };
    report.add(check);
}

async fn notifications_check(report: &mut Report) {
    let check = tokio::task::spawn_blocking(notification_server)
        .await
        .unwrap_or_else(|error| Err(format!("the check stopped unexpectedly ({error})")));
    report.add(match check {
        Ok(detail) => Check::new("notifications", Scope::Local, Status::Pass, detail),
        Err(problem) => Check::new("notifications", Scope::Local, Status::Fail, problem).advice(
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
        Duration::from_secs(5),
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
    fn no_proxy_entries_match_domains_and_subdomains() {
        assert!(no_proxy_matches("localhost, .okta.com", "acme.okta.com"));
        assert!(no_proxy_matches("okta.com", "acme.okta.com"));
        assert!(no_proxy_matches("*", "acme.okta.com"));
        assert!(!no_proxy_matches("notokta.com", "acme.okta.com"));
        assert!(!no_proxy_matches("", "acme.okta.com"));
    }

    #[test]
    fn clock_skew_thresholds() {
        let now = SystemTime::now();
        assert_eq!(clock_check(Some(now), now).status, Status::Pass);
        let behind = clock_check(Some(now + Duration::from_secs(45)), now);
        assert_eq!(behind.status, Status::Fail);
        assert!(behind.detail.contains("45 s behind"), "{}", behind.detail);
        assert_eq!(
            clock_check(Some(now - Duration::from_secs(12)), now).status,
            Status::Warn
        );
        assert_eq!(clock_check(None, now).status, Status::Warn);
    }

    #[test]
    fn loopback_orgs_never_use_a_proxy() {
        let org = OrgUrl::parse("http://127.0.0.1:8080").unwrap();
        let (check, proxied) = proxy_check(&org, "127.0.0.1", false);
        assert_eq!(check.status, Status::Pass);
        assert!(!proxied);
    }
}
