//! Extra root certificates as people must see them before trusting one: who it is, who issued
//! it, until when, its SHA-256 fingerprint, and whether it may be a root at all.
//!
//! A trusted root can vouch for any site, so the app accepts only certificates that are
//! certificate authorities (BasicConstraints CA) and valid today, and shows the fingerprint
//! for the person to compare with what their IT department published. Every sign-in that
//! uses an extra root records its fingerprint in the transcript.

use std::fmt;

use ring::digest;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::Result;
use crate::plain_text::plain_text;

/// One certificate of an extra-root PEM bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootCertificate {
    /// The common name, else the organization, else the whole subject; plain text only.
    pub subject: String,
    pub issuer: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Upper-case hex pairs joined by colons, as certificate viewers show it.
    pub sha256: String,
    /// Whether BasicConstraints marks it a certificate authority.
    pub is_ca: bool,
}

/// Why a certificate must not become a trusted root.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RootRefusal {
    #[error(
        "\"{subject}\" is not a certificate authority, so it cannot be a root certificate. Ask \
         your IT department for the root (CA) certificate that issued it."
    )]
    NotAuthority { subject: String },
    #[error(
        "\"{subject}\" expired on {until}. Ask your IT department for the current root \
         certificate."
    )]
    Expired { subject: String, until: String },
    #[error(
        "\"{subject}\" is not valid before {from}. Check this computer's date and time, or ask \
         your IT department for the current root certificate."
    )]
    NotYetValid { subject: String, from: String },
    #[error(
        "A certificate in the text could not be read. Paste only the PEM text of your \
         company's root certificate (the \"BEGIN CERTIFICATE\" blocks)."
    )]
    Unreadable,
}

/// Reads every certificate of a PEM bundle (repaired when pasted without its line breaks).
/// Fails, as the TLS client does, on text with no readable certificate.
pub fn read_roots(pem: &[u8]) -> Result<Vec<RootCertificate>> {
    crate::tls::extra_roots(pem).map(|ders| ders.iter().filter_map(|der| describe(der)).collect())
}

/// The certificates of `pem`, when every one of them may be trusted as a root at `now`.
pub fn check_roots(
    pem: &[u8],
    now: OffsetDateTime,
) -> Result<std::result::Result<Vec<RootCertificate>, RootRefusal>> {
    let ders = crate::tls::extra_roots(pem)?;
    let mut roots = Vec::with_capacity(ders.len());
    for der in &ders {
        let Some(root) = describe(der) else {
            return Ok(Err(RootRefusal::Unreadable));
        };
        if let Some(refusal) = root.refusal_at(now) {
            return Ok(Err(refusal));
        }
        roots.push(root);
    }
    Ok(Ok(roots))
}

impl RootCertificate {
    fn refusal_at(&self, now: OffsetDateTime) -> Option<RootRefusal> {
        let subject = self.subject.clone();
        if !self.is_ca {
            Some(RootRefusal::NotAuthority { subject })
        } else if now > self.not_after {
            Some(RootRefusal::Expired {
                subject,
                until: day(self.not_after),
            })
        } else if now < self.not_before {
            Some(RootRefusal::NotYetValid {
                subject,
                from: day(self.not_before),
            })
        } else {
            None
        }
    }
}

impl fmt::Display for RootCertificate {
    /// One line for a transcript: who it is and its fingerprint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (issued by {}, valid until {}), SHA-256 {}",
            self.subject,
            self.issuer,
            day(self.not_after),
            self.sha256
        )
    }
}

fn describe(der: &[u8]) -> Option<RootCertificate> {
    let (_, certificate) = X509Certificate::from_der(der).ok()?;
    let validity = certificate.validity();
    let is_ca = certificate
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|constraints| constraints.value.ca);
    Some(RootCertificate {
        subject: name_of(certificate.subject()),
        issuer: name_of(certificate.issuer()),
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        sha256: fingerprint(der),
        is_ca,
    })
}

/// The common name, else the organization, else the whole distinguished name; without
/// control characters, since whoever made the certificate chose the text.
fn name_of(name: &x509_parser::x509::X509Name<'_>) -> String {
    let name = name
        .iter_common_name()
        .chain(name.iter_organization())
        .find_map(|attribute| attribute.as_str().ok().map(str::to_owned))
        .unwrap_or_else(|| name.to_string());
    plain_text(&name)
}

fn fingerprint(der: &[u8]) -> String {
    let digest = digest::digest(&digest::SHA256, der);
    let hex: Vec<String> = digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    hex.join(":")
}

fn day(at: OffsetDateTime) -> String {
    format!("{}-{:02}-{:02}", at.year(), u8::from(at.month()), at.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

    fn pem(ca: bool, from_days: i64, until_days: i64) -> String {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "Example Corp Root");
        if ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        let now = OffsetDateTime::now_utc();
        params.not_before = now + time::Duration::days(from_days);
        params.not_after = now + time::Duration::days(until_days);
        let key = KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    fn check(pem: &str) -> std::result::Result<Vec<RootCertificate>, RootRefusal> {
        check_roots(pem.as_bytes(), OffsetDateTime::now_utc()).unwrap()
    }

    #[test]
    fn a_current_authority_is_described_with_its_fingerprint() {
        let roots = check(&pem(true, -1, 30)).unwrap();
        assert_eq!(roots.len(), 1);
        let root = &roots[0];
        assert_eq!(root.subject, "Example Corp Root");
        assert_eq!(root.issuer, "Example Corp Root");
        assert!(root.is_ca);
        assert_eq!(root.sha256.len(), 32 * 3 - 1, "{}", root.sha256);
        assert!(root.to_string().contains(&root.sha256));
    }

    #[test]
    fn a_leaf_an_expired_and_a_future_certificate_are_refused() {
        assert!(matches!(
            check(&pem(false, -1, 30)),
            Err(RootRefusal::NotAuthority { .. })
        ));
        assert!(matches!(
            check(&pem(true, -30, -1)),
            Err(RootRefusal::Expired { .. })
        ));
        assert!(matches!(
            check(&pem(true, 2, 30)),
            Err(RootRefusal::NotYetValid { .. })
        ));
    }

    #[test]
    fn one_bad_certificate_in_a_bundle_refuses_the_bundle() {
        let bundle = format!("{}{}", pem(true, -1, 30), pem(false, -1, 30));
        assert!(check(&bundle).is_err());
        assert_eq!(read_roots(bundle.as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn text_without_a_certificate_is_an_error_not_a_refusal() {
        assert!(check_roots(b"not a certificate", OffsetDateTime::now_utc()).is_err());
    }
}
