//! The way to the org below HTTP: which proxy the sign-in uses, whether the name resolves, and
//! whether anything accepts a connection there.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use oktadesk_core::OrgUrl;

use super::report::{Check, CheckName, Report, Status};

/// Long enough for a slow network, short enough that a dead one is reported soon.
pub(super) const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) async fn dns_check(
    report: &mut Report,
    host: &str,
    port: u16,
    proxied: bool,
) -> Option<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        report.add(Check::new(
            CheckName::Dns,
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
                CheckName::Dns,
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
            report.add(Check::new(CheckName::Dns, status, detail).advice(advice));
            None
        }
    }
}

pub(super) async fn tcp_check(
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
                    CheckName::Tcp,
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
            CheckName::Tcp,
            status,
            format!("could not connect ({})", errors.join("; ")),
        )
        .advice(advice),
    );
    None
}

/// Which proxy the sign-in would use for the org, from the environment (reqwest reads the
/// same variables). Returns the check and whether a proxy is in effect.
pub(super) fn proxy_check(org: &OrgUrl, host: &str, https: bool) -> (Check, bool) {
    if org.is_loopback() {
        return (
            Check::new(
                CheckName::Proxy,
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
                CheckName::Proxy,
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
        None => (Check::new(CheckName::Proxy, Status::Pass, "none set: connecting directly"), false),
        Some((name, value)) => match parse_proxy(&value) {
            Ok(proxy) => {
                let proxy = redacted(proxy);
                (
                    Check::new(CheckName::Proxy, Status::Pass, format!("{name} = {proxy}: the sign-in goes through it")),
                    true,
                )
            }
            Err(error) => (
                Check::new(CheckName::Proxy, Status::Fail, format!("{name} is not a valid URL ({error})"))
                    .advice(format!("Set {name} to the proxy's URL, for example http://proxy.example.com:3128, or unset it.")),
                false,
            ),
        },
    }
}

/// A proxy variable as the HTTP stack reads it: without a scheme it is an `http://` proxy
/// (`alice:s3cret@proxy:3128` is user `alice` at `proxy`, not a URL of scheme `alice`).
fn parse_proxy(value: &str) -> Result<url::Url, url::ParseError> {
    let value = value.trim();
    if value.contains("://") {
        url::Url::parse(value)
    } else {
        url::Url::parse(&format!("http://{value}"))
    }
}

/// The proxy without who logs in to it: this output goes into help-desk tickets.
fn redacted(mut proxy: url::Url) -> url::Url {
    if !proxy.username().is_empty() {
        let _ = proxy.set_username("redacted");
    }
    if proxy.password().is_some() {
        let _ = proxy.set_password(Some("redacted"));
    }
    proxy
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_are_read_as_the_http_stack_reads_them_and_shown_without_credentials() {
        for (value, shown) in [
            (
                "alice:s3cret@proxy.example.com:3128",
                "http://redacted:redacted@proxy.example.com:3128/",
            ),
            (
                "http://alice:s3cret@proxy.example.com:3128",
                "http://redacted:redacted@proxy.example.com:3128/",
            ),
            (
                "socks5h://bob@10.0.0.1:1080",
                "socks5h://redacted@10.0.0.1:1080",
            ),
            ("proxy.example.com:3128", "http://proxy.example.com:3128/"),
        ] {
            let proxy = redacted(parse_proxy(value).unwrap());
            assert_eq!(proxy.as_str(), shown, "{value}");
            assert!(!proxy.as_str().contains("s3cret") && !proxy.as_str().contains("alice"));
        }
    }

    #[test]
    fn no_proxy_entries_match_domains_and_subdomains() {
        assert!(no_proxy_matches("localhost, .okta.com", "acme.okta.com"));
        assert!(no_proxy_matches("okta.com", "acme.okta.com"));
        assert!(no_proxy_matches("*", "acme.okta.com"));
        assert!(!no_proxy_matches("notokta.com", "acme.okta.com"));
        assert!(!no_proxy_matches("", "acme.okta.com"));
    }

    #[test]
    fn loopback_orgs_never_use_a_proxy() {
        let org = OrgUrl::parse("http://127.0.0.1:8080").unwrap();
        let (check, proxied) = proxy_check(&org, "127.0.0.1", false);
        assert_eq!(check.status, Status::Pass);
        assert!(!proxied);
    }
}
