//! The data the UI and the commands exchange.

use std::fmt;
use std::net::IpAddr;

use serde::{Serialize, Serializer};
use url::{Host, Url};

/// What the first screen needs to know about this copy of the app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// Present only when the app was started with `--demo`.
    pub demo: Option<DemoStatus>,
}

/// Whether the embedded demo org asked for with `--demo` is serving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum DemoStatus {
    #[serde(rename_all = "camelCase")]
    Running {
        org_url: OrgUrl,
    },
    Unavailable {
        message: String,
    },
}

/// The address of an Okta org, reduced to its origin (`https://acme.okta.com`).
///
/// People paste whatever is in their browser's address bar, often a dashboard link with a path;
/// the sign-in API lives at the origin, so everything after it is dropped rather than refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUrl(Url);

impl OrgUrl {
    pub fn parse(input: &str) -> Result<Self, OrgUrlError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(OrgUrlError::Empty);
        }
        // A bare host is what most people type; without a scheme `Url` would read
        // `acme.okta.com:443` as the scheme `acme.okta.com`.
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let url = Url::parse(&with_scheme).map_err(|_| OrgUrlError::NotAnAddress {
            input: input.to_owned(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(OrgUrlError::HasCredentials);
        }
        let host = url.host().ok_or_else(|| OrgUrlError::NotAnAddress {
            input: input.to_owned(),
        })?;
        let loopback = is_loopback(&host);
        match url.scheme() {
            "https" => {}
            // Local test servers, the embedded demo org among them, have no certificate.
            "http" if loopback => {}
            "http" => return Err(OrgUrlError::Insecure),
            other => {
                return Err(OrgUrlError::UnsupportedScheme {
                    scheme: other.to_owned(),
                });
            }
        }
        if let Host::Domain(name) = &host
            && !loopback
            && !name.contains('.')
        {
            return Err(OrgUrlError::Incomplete {
                host: name.to_string(),
            });
        }
        let origin = Url::parse(&url.origin().ascii_serialization())
            .expect("the origin of a parsed http(s) URL is itself a valid URL");
        Ok(Self(origin))
    }

    pub fn as_url(&self) -> &Url {
        &self.0
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

impl fmt::Display for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Url` always renders a root path; people know their org without the trailing slash.
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl Serialize for OrgUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why an org address was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgUrlError {
    #[error("Enter your organization's Okta address, for example acme.okta.com.")]
    Empty,
    #[error(
        "“{input}” is not a web address. Enter your organization's Okta address, for example acme.okta.com."
    )]
    NotAnAddress { input: String },
    #[error(
        "“{host}” is not a complete address. Enter the full address you sign in at, for example {host}.okta.com."
    )]
    Incomplete { host: String },
    #[error(
        "OktaDesk signs in over a secure connection only. Use the https:// address of your organization."
    )]
    Insecure,
    #[error(
        "“{scheme}://” addresses are not supported. Use the https:// address of your organization."
    )]
    UnsupportedScheme { scheme: String },
    #[error(
        "Remove the username and password from the address; OktaDesk asks for them separately."
    )]
    HasCredentials,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(input: &str) -> String {
        OrgUrl::parse(input)
            .unwrap_or_else(|error| panic!("{input:?} was refused: {error}"))
            .to_string()
    }

    #[test]
    fn accepts_what_people_type_and_keeps_only_the_origin() {
        assert_eq!(accepted("acme.okta.com"), "https://acme.okta.com");
        assert_eq!(
            accepted("  https://acme.okta.com/  "),
            "https://acme.okta.com"
        );
        assert_eq!(
            accepted("https://ACME.okta.com/app/UserHome?fromLogin=true#top"),
            "https://acme.okta.com"
        );
        assert_eq!(accepted("acme.okta.com:8443"), "https://acme.okta.com:8443");
        assert_eq!(
            accepted("https://acme.okta.com:443"),
            "https://acme.okta.com"
        );
    }

    #[test]
    fn allows_plain_http_only_on_this_machine() {
        assert_eq!(accepted("http://127.0.0.1:39001"), "http://127.0.0.1:39001");
        assert_eq!(accepted("http://localhost:8080/x"), "http://localhost:8080");
        assert_eq!(accepted("http://[::1]:8080"), "http://[::1]:8080");
        assert_eq!(
            OrgUrl::parse("http://acme.okta.com"),
            Err(OrgUrlError::Insecure)
        );
    }

    #[test]
    fn refuses_what_cannot_be_an_org() {
        assert_eq!(OrgUrl::parse("   "), Err(OrgUrlError::Empty));
        assert_eq!(
            OrgUrl::parse("acme"),
            Err(OrgUrlError::Incomplete {
                host: "acme".into()
            })
        );
        assert_eq!(
            OrgUrl::parse("ftp://acme.okta.com"),
            Err(OrgUrlError::UnsupportedScheme {
                scheme: "ftp".into()
            })
        );
        assert_eq!(
            OrgUrl::parse("https://me:secret@acme.okta.com"),
            Err(OrgUrlError::HasCredentials)
        );
        assert!(matches!(
            OrgUrl::parse("https://exa mple.com"),
            Err(OrgUrlError::NotAnAddress { .. })
        ));
    }

    #[test]
    fn every_refusal_says_what_to_do() {
        let errors = [
            OrgUrlError::Empty,
            OrgUrlError::NotAnAddress {
                input: "x y".into(),
            },
            OrgUrlError::Incomplete {
                host: "acme".into(),
            },
            OrgUrlError::Insecure,
            OrgUrlError::UnsupportedScheme {
                scheme: "ftp".into(),
            },
            OrgUrlError::HasCredentials,
        ];
        for error in errors {
            let message = error.to_string();
            assert!(
                ["Enter", "Use", "Remove"]
                    .iter()
                    .any(|verb| message.contains(verb)),
                "{message:?} does not tell the user what to do"
            );
        }
    }
}
