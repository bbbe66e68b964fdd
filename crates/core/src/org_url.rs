//! What the user typed as "organization" turned into the one origin every request goes to.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::{Host, Url};

/// Okta's own domains, where `acme-admin.<domain>` is the admin console of `acme.<domain>`.
const OKTA_DOMAINS: &[&str] = &[
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
    "trexcloud.com",
];

/// The origin of an Okta org: scheme, host and port, nothing else.
///
/// `acme`, `acme.okta.com`, `https://acme.okta.com/` and `https://acme.okta.com/app/UserHome`
/// all give `https://acme.okta.com`. Custom domains are kept as typed; plain `http` is accepted
/// only for loopback addresses (the demo org), because anything else would send the password
/// in clear text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OrgUrl(Url);

/// Why an org URL was refused. Each message says what was wrong and what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgUrlError {
    #[error("The organization URL is empty. Type your Okta address, for example acme.okta.com.")]
    Empty,
    #[error(
        "\"{input}\" is not a web address. Type your Okta address, for example acme.okta.com or https://login.acme.com."
    )]
    Unparseable { input: String },
    #[error(
        "\"{scheme}\" addresses are not supported. Use the https:// address of your Okta organization."
    )]
    UnsupportedScheme { scheme: String },
    #[error(
        "http://{host} is not encrypted, so your password could be read on the way. Use https://{host} instead (plain http is only allowed for this computer's own loopback address)."
    )]
    InsecureHttp { host: String },
    #[error(
        "The address contains a user name or password. Remove the part before \"@\" and sign in with the form instead."
    )]
    EmbeddedCredentials,
    #[error(
        "\"{host}\" has no domain. Type the full address, for example {host}.okta.com or the custom domain your company uses."
    )]
    MissingDomain { host: String },
    #[error(
        "That address is too long to be a web address: a host name has at most {MAX_HOST_CHARS} characters. Check what was pasted."
    )]
    TooLong,
}

/// DNS's limit for a host name. Beyond it no org can exist, and the account record (which
/// names the org twice) must stay within what every keychain stores.
pub const MAX_HOST_CHARS: usize = 253;

impl OrgUrl {
    /// Normalises and validates user input; see the type's documentation for the rules.
    pub fn parse(input: &str) -> Result<Self, OrgUrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(OrgUrlError::Empty);
        }
        let unparseable = || OrgUrlError::Unparseable {
            input: trimmed.to_owned(),
        };
        if trimmed.chars().any(char::is_whitespace) {
            return Err(unparseable());
        }

        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else if is_bare_subdomain(trimmed) {
            format!("https://{}.okta.com", trimmed.to_ascii_lowercase())
        } else if starts_with_loopback_host(trimmed) {
            // The demo org and other local test servers speak plain http.
            format!("http://{trimmed}")
        } else {
            format!("https://{trimmed}")
        };

        let url = Url::parse(&with_scheme).map_err(|_| unparseable())?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(OrgUrlError::EmbeddedCredentials);
        }
        let host = url.host().ok_or_else(unparseable)?;
        let loopback = is_loopback(&host);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(OrgUrlError::InsecureHttp {
                    host: url.host_str().unwrap_or_default().to_owned(),
                });
            }
            other => {
                return Err(OrgUrlError::UnsupportedScheme {
                    scheme: other.to_owned(),
                });
            }
        }
        if let Host::Domain(domain) = &host
            && !domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(unparseable());
        }
        if let Host::Domain(domain) = &host
            && domain.len() > MAX_HOST_CHARS
        {
            return Err(OrgUrlError::TooLong);
        }
        if let Host::Domain(domain) = &host
            && !domain.contains('.')
            && !loopback
        {
            return Err(OrgUrlError::MissingDomain {
                host: domain.to_string(),
            });
        }

        let host = match host {
            Host::Domain(domain) => strip_admin_suffix(domain),
            Host::Ipv4(ip) => ip.to_string(),
            Host::Ipv6(ip) => format!("[{ip}]"),
        };
        let mut origin = format!("{}://{}", url.scheme(), host);
        if let Some(port) = url.port() {
            origin.push_str(&format!(":{port}"));
        }
        let url = Url::parse(&origin).map_err(|_| unparseable())?;
        Ok(Self(url))
    }

    /// The origin as a URL with an empty path (`https://acme.okta.com/`).
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`: the demo org, which may use plain http.
    pub fn is_loopback(&self) -> bool {
        self.0.host().is_some_and(|host| is_loopback(&host))
    }

    /// Whether `url` points at this org (same scheme, host and port). Links and redirects
    /// anywhere else are refused: a tampered response must not send the state token away.
    pub fn is_same_origin(&self, url: &Url) -> bool {
        self.0.origin() == url.origin()
    }

    /// A URL on this org. Only the first `POST /api/v1/authn` and the browser hand-off are
    /// built by hand; every other URL comes from the server's `_links`.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        url.set_path(path);
        url
    }
}

fn is_bare_subdomain(input: &str) -> bool {
    !input.contains(['.', ':', '/', '[', '@'])
        && input != "localhost"
        && input.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn starts_with_loopback_host(input: &str) -> bool {
    let host = input.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        // "[::1]:8080" and "127.0.0.1:8080": drop the port, keep IPv6 brackets whole.
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// People often paste the admin console's address; sign-in happens on the org itself.
fn strip_admin_suffix(domain: &str) -> String {
    for okta_domain in OKTA_DOMAINS {
        if let Some(subdomain) = domain.strip_suffix(&format!(".{okta_domain}"))
            && let Some(org) = subdomain.strip_suffix("-admin")
            && !org.is_empty()
            && !org.contains('.')
        {
            return format!("{org}.{okta_domain}");
        }
    }
    domain.to_owned()
}

impl fmt::Display for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl fmt::Debug for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgUrl({self})")
    }
}

impl FromStr for OrgUrl {
    type Err = OrgUrlError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl Serialize for OrgUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OrgUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_longer_than_dns_allows_is_refused() {
        let label = "a".repeat(63);
        let longest = format!("{label}.{label}.{label}.{}.com", "b".repeat(57));
        assert_eq!(longest.len(), MAX_HOST_CHARS);
        assert!(OrgUrl::parse(&longest).is_ok());
        assert_eq!(
            OrgUrl::parse(&format!("x{longest}")).unwrap_err(),
            OrgUrlError::TooLong
        );
    }

    fn normalised(input: &str) -> String {
        OrgUrl::parse(input)
            .unwrap_or_else(|error| panic!("{input:?} was refused: {error}"))
            .to_string()
    }

    #[test]
    fn every_spelling_of_an_okta_org_means_its_origin() {
        for input in [
            "acme",
            "ACME",
            "acme.okta.com",
            " acme.okta.com ",
            "https://acme.okta.com",
            "https://acme.okta.com/",
            "https://acme.okta.com/app/UserHome",
            "https://acme.okta.com/app/UserHome?fromLogin=true#top",
            "HTTPS://ACME.OKTA.COM",
            "acme.okta.com/signin/verify",
            "https://acme-admin.okta.com/admin/dashboard",
        ] {
            assert_eq!(
                normalised(input),
                "https://acme.okta.com",
                "input {input:?}"
            );
        }
    }

    #[test]
    fn other_okta_clouds_and_custom_domains_are_kept() {
        assert_eq!(
            normalised("acme.oktapreview.com"),
            "https://acme.oktapreview.com"
        );
        assert_eq!(
            normalised("https://acme-admin.okta-emea.com"),
            "https://acme.okta-emea.com"
        );
        assert_eq!(normalised("login.acme.com"), "https://login.acme.com");
        assert_eq!(
            normalised("https://login.acme.com:8443/oauth2/"),
            "https://login.acme.com:8443"
        );
        // Only Okta's own domains have admin twins.
        assert_eq!(
            normalised("sso-admin.acme.com"),
            "https://sso-admin.acme.com"
        );
    }

    #[test]
    fn plain_http_only_for_loopback() {
        assert_eq!(
            normalised("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(normalised("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            normalised("http://localhost:3000/x"),
            "http://localhost:3000"
        );
        assert_eq!(normalised("localhost:3000"), "http://localhost:3000");
        assert_eq!(normalised("http://[::1]:3000"), "http://[::1]:3000");
        assert_eq!(
            normalised("https://127.0.0.1:8443"),
            "https://127.0.0.1:8443"
        );
        assert!(
            OrgUrl::parse("http://127.0.0.1:8080")
                .unwrap()
                .is_loopback()
        );
        assert!(!OrgUrl::parse("acme").unwrap().is_loopback());

        assert_eq!(
            OrgUrl::parse("http://acme.okta.com"),
            Err(OrgUrlError::InsecureHttp {
                host: "acme.okta.com".into()
            })
        );
    }

    #[test]
    fn bad_input_says_what_was_wrong() {
        assert_eq!(OrgUrl::parse("   "), Err(OrgUrlError::Empty));
        assert_eq!(
            OrgUrl::parse("ftp://acme.okta.com"),
            Err(OrgUrlError::UnsupportedScheme {
                scheme: "ftp".into()
            })
        );
        assert_eq!(
            OrgUrl::parse("https://admin:pw@acme.okta.com"),
            Err(OrgUrlError::EmbeddedCredentials)
        );
        assert_eq!(
            OrgUrl::parse("https://intranet/"),
            Err(OrgUrlError::MissingDomain {
                host: "intranet".into()
            })
        );
        for garbage in ["acme okta", "https://", "acme_corp!", "http://[::1"] {
            assert!(
                matches!(OrgUrl::parse(garbage), Err(OrgUrlError::Unparseable { .. })),
                "{garbage:?} gave {:?}",
                OrgUrl::parse(garbage)
            );
        }
        let message = OrgUrl::parse("http://acme.okta.com")
            .unwrap_err()
            .to_string();
        assert!(message.contains("https://acme.okta.com"), "{message}");
    }

    #[test]
    fn same_origin_checks_scheme_host_and_port() {
        let org = OrgUrl::parse("acme").unwrap();
        assert!(org.is_same_origin(&Url::parse("https://acme.okta.com/api/v1/authn").unwrap()));
        assert!(!org.is_same_origin(&Url::parse("http://acme.okta.com/api/v1/authn").unwrap()));
        assert!(!org.is_same_origin(&Url::parse("https://evil.com/api/v1/authn").unwrap()));
        assert!(!org.is_same_origin(&Url::parse("https://acme.okta.com:444/").unwrap()));
        assert_eq!(
            org.join("/api/v1/authn").as_str(),
            "https://acme.okta.com/api/v1/authn"
        );
    }

    #[test]
    fn round_trips_through_serde_as_a_string() {
        let org = OrgUrl::parse("acme").unwrap();
        let json = serde_json::to_string(&org).unwrap();
        assert_eq!(json, "\"https://acme.okta.com\"");
        assert_eq!(serde_json::from_str::<OrgUrl>(&json).unwrap(), org);
    }
}
