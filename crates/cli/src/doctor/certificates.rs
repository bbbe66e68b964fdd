//! The org's certificates as people read them: who each is for, who issued it, until when, and
//! why a handshake refused them. The handshake itself is the core's (`OktaClient::inspect_tls`).

use oktadesk_core::{TlsRefusal, plain_text};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

/// One certificate, as people read it.
#[derive(Debug, Clone)]
pub(super) struct CertificateSummary {
    pub(super) subject: String,
    pub(super) issuer: String,
    pub(super) not_after: OffsetDateTime,
}

/// The certificates of a chain that can be read (DER), in the order given.
pub(super) fn summarise_chain(chain: &[Vec<u8>]) -> Vec<CertificateSummary> {
    chain.iter().filter_map(|der| summarise(der)).collect()
}

fn summarise(der: &[u8]) -> Option<CertificateSummary> {
    let (_, certificate) = X509Certificate::from_der(der).ok()?;
    Some(CertificateSummary {
        subject: name_of(certificate.subject()),
        issuer: name_of(certificate.issuer()),
        not_after: certificate.validity().not_after.to_datetime(),
    })
}

/// The common name, else the organisation, else the whole distinguished name; without
/// control characters, since whoever made the certificate chose the text a terminal shows.
fn name_of(name: &x509_parser::x509::X509Name<'_>) -> String {
    let name = name
        .iter_common_name()
        .chain(name.iter_organization())
        .find_map(|attribute| attribute.as_str().ok().map(str::to_owned))
        .unwrap_or_else(|| name.to_string());
    plain_text(&name)
}

/// A refused handshake in words, naming the certificate when that was the problem.
pub(super) fn explain(refusal: &TlsRefusal, host: &str, chain: &[CertificateSummary]) -> String {
    let leaf = chain.first();
    let top_issuer = chain
        .last()
        .map(|summary| summary.issuer.clone())
        .unwrap_or_else(|| "an unknown CA".into());
    match refusal {
        TlsRefusal::Expired => format!(
            "the certificate of {host} expired on {}",
            leaf.map(|leaf| date(leaf.not_after))
                .unwrap_or_else(|| "an earlier date".into())
        ),
        TlsRefusal::NotValidForName => format!(
            "the certificate is for {}, not for {host}",
            leaf.map(|leaf| leaf.subject.clone())
                .unwrap_or_else(|| "another name".into())
        ),
        TlsRefusal::UnknownIssuer => format!(
            "the certificate was issued by \"{top_issuer}\", which this computer does not trust"
        ),
        TlsRefusal::Certificate(problem) => format!("the certificate was refused ({problem})"),
        TlsRefusal::Handshake(problem) => format!("the TLS handshake failed ({problem})"),
    }
}

pub(super) fn date(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    at.format(&format).unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(subject: &str, issuer: &str) -> CertificateSummary {
        CertificateSummary {
            subject: subject.into(),
            issuer: issuer.into(),
            not_after: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn refusals_name_the_certificate_and_its_issuer() {
        let chain = [
            summary("elsewhere.example", "Demo Intermediate"),
            summary("Demo Intermediate", "Demo Root"),
        ];
        assert_eq!(
            explain(&TlsRefusal::Expired, "acme.okta.com", &chain),
            "the certificate of acme.okta.com expired on 1970-01-01"
        );
        assert_eq!(
            explain(&TlsRefusal::NotValidForName, "acme.okta.com", &chain),
            "the certificate is for elsewhere.example, not for acme.okta.com"
        );
        assert_eq!(
            explain(&TlsRefusal::UnknownIssuer, "acme.okta.com", &chain),
            "the certificate was issued by \"Demo Root\", which this computer does not trust"
        );
        assert_eq!(
            explain(&TlsRefusal::UnknownIssuer, "acme.okta.com", &[]),
            "the certificate was issued by \"an unknown CA\", which this computer does not trust"
        );
    }

    #[test]
    fn unreadable_certificates_are_left_out() {
        assert!(summarise_chain(&[b"not DER".to_vec()]).is_empty());
    }
}
