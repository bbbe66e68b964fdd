//! HTTPS for the demo org: a throwaway certificate authority generated at start, and a server
//! certificate it signs. Clients trust the org only by adding the CA (its PEM is public), the
//! way a company's TLS-inspecting proxy is trusted, so tests can exercise the whole path.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio_rustls::TlsAcceptor;

use crate::error::DemoOrgError;

/// How the demo org serves HTTPS. `Default` is a valid certificate for the org's host name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Names (DNS names or IP addresses) the server certificate is valid for. Empty: the
    /// org's host plus `localhost`, `127.0.0.1` and `::1`. Set other names to test how a
    /// client reports a certificate for the wrong host.
    pub subject_names: Vec<String>,
    /// Issue a server certificate that expired a day ago, to test how a client reports it.
    pub expired: bool,
}

pub(crate) struct ServerTls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

/// Generates the CA and the server certificate for `host` and a rustls acceptor serving them.
pub(crate) fn generate(options: &TlsOptions, host: &str) -> Result<ServerTls, DemoOrgError> {
    let now = OffsetDateTime::now_utc();

    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let mut ca_params = CertificateParams::default();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "OktaDesk demo org CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.not_before = now - Duration::days(2);
    ca_params.not_after = now + Duration::days(30);
    let ca_cert = ca_params.self_signed(&ca_key).map_err(tls_error)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let names = if options.subject_names.is_empty() {
        let mut names = vec![host.to_owned()];
        for default in ["localhost", "127.0.0.1", "::1"] {
            if !names.iter().any(|name| name == default) {
                names.push(default.to_owned());
            }
        }
        names
    } else {
        options.subject_names.clone()
    };
    let server_key = KeyPair::generate().map_err(tls_error)?;
    let mut server_params = CertificateParams::new(names).map_err(tls_error)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "OktaDesk demo org");
    server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server_params.use_authority_key_identifier_extension = true;
    if options.expired {
        server_params.not_before = now - Duration::days(2);
        server_params.not_after = now - Duration::days(1);
    } else {
        server_params.not_before = now - Duration::days(1);
        server_params.not_after = now + Duration::days(7);
    }
    let server_cert = server_params
        .signed_by(&server_key, &issuer)
        .map_err(tls_error)?;

    let chain = vec![
        server_cert.der().clone(),
        CertificateDer::from(ca_cert.der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(ServerTls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca_cert.pem(),
    })
}

fn tls_error(error: impl std::fmt::Display) -> DemoOrgError {
    DemoOrgError::InvalidConfig {
        setting: "tls",
        reason: format!("the certificate could not be generated ({error})"),
    }
}
