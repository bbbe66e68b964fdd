//! TLS for `doctor`: the same trust as the sign-in client (the OS trust store plus
//! `--ca-file`), and a handshake that keeps the certificate chain even when verification
//! fails, so the report can say which certificate, which CA, and until when.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

/// The client TLS configuration: the platform verifier with the extra roots, as the core's.
pub(crate) fn client_config(
    extra_ca_pem: Option<&[u8]>,
) -> Result<(rustls::ClientConfig, Arc<RecordingVerifier>), String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = Vec::new();
    if let Some(pem) = extra_ca_pem {
        for certificate in CertificateDer::pem_slice_iter(pem) {
            roots.push(certificate.map_err(|error| {
                format!("the CA file is not valid PEM ({error}); use one with \"BEGIN CERTIFICATE\" blocks")
            })?);
        }
        if roots.is_empty() {
            return Err(
                "the CA file holds no certificate; use one with \"BEGIN CERTIFICATE\" blocks"
                    .into(),
            );
        }
    }
    let platform =
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone()).map_err(
            |error| format!("the system's trusted certificates could not be loaded ({error})"),
        )?;
    let verifier = Arc::new(RecordingVerifier {
        inner: Arc::new(platform),
        chain: Mutex::default(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS could not be set up ({error})"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((config, verifier))
}

/// Delegates every decision to the platform verifier and remembers the chain it was shown.
#[derive(Debug)]
pub(crate) struct RecordingVerifier {
    inner: Arc<rustls_platform_verifier::Verifier>,
    chain: Mutex<Vec<CertificateDer<'static>>>,
}

impl RecordingVerifier {
    fn chain(&self) -> Vec<CertificateDer<'static>> {
        self.chain
            .lock()
            .map(|chain| chain.clone())
            .unwrap_or_default()
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|certificate| certificate.clone().into_owned())
                .collect();
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// One certificate, as people read it.
#[derive(Debug, Clone)]
pub(crate) struct CertificateSummary {
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) not_after: OffsetDateTime,
}

/// What the handshake showed.
#[derive(Debug)]
pub(crate) struct TlsReport {
    pub(crate) chain: Vec<CertificateSummary>,
    pub(crate) protocol: Option<String>,
    /// Why the handshake failed, in words; `None` when the chain verified.
    pub(crate) problem: Option<String>,
}

/// Connects to `address`, shakes hands as `host` and reports. Blocks: run it on a blocking
/// thread.
pub(crate) fn probe(
    address: SocketAddr,
    host: &str,
    extra_ca_pem: Option<&[u8]>,
    timeout: Duration,
) -> Result<TlsReport, String> {
    let (config, verifier) = client_config(extra_ca_pem)?;
    let name = ServerName::try_from(host.to_owned())
        .map_err(|_| format!("\"{host}\" is not a valid TLS server name"))?;
    let mut connection = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|error| format!("TLS could not start ({error})"))?;
    let mut socket = TcpStream::connect_timeout(&address, timeout)
        .map_err(|error| format!("could not connect to {address} ({error})"))?;
    let _ = socket.set_read_timeout(Some(timeout));
    let _ = socket.set_write_timeout(Some(timeout));
    let mut problem = None;
    while connection.is_handshaking() {
        if let Err(error) = connection.complete_io(&mut socket) {
            problem = Some(explain(&error, host, &verifier.chain()));
            break;
        }
    }
    let _ = socket.flush();
    let chain = verifier.chain().iter().filter_map(summarise).collect();
    Ok(TlsReport {
        chain,
        protocol: connection
            .protocol_version()
            .and_then(|version| version.as_str().map(str::to_owned)),
        problem,
    })
}

fn summarise(der: &CertificateDer<'_>) -> Option<CertificateSummary> {
    let (_, certificate) = X509Certificate::from_der(der.as_ref()).ok()?;
    Some(CertificateSummary {
        subject: name_of(certificate.subject()),
        issuer: name_of(certificate.issuer()),
        not_after: certificate.validity().not_after.to_datetime(),
    })
}

/// The common name, else the organisation, else the whole distinguished name.
fn name_of(name: &x509_parser::x509::X509Name<'_>) -> String {
    name.iter_common_name()
        .chain(name.iter_organization())
        .find_map(|attribute| attribute.as_str().ok().map(str::to_owned))
        .unwrap_or_else(|| name.to_string())
}

/// A handshake error in words, naming the certificate when that was the problem.
fn explain(error: &std::io::Error, host: &str, chain: &[CertificateDer<'static>]) -> String {
    let summaries: Vec<CertificateSummary> = chain.iter().filter_map(summarise).collect();
    let rustls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let Some(rustls::Error::InvalidCertificate(certificate_error)) = rustls_error else {
        return format!("the TLS handshake failed ({error})");
    };
    let leaf = summaries.first();
    let top_issuer = summaries
        .last()
        .map(|summary| summary.issuer.clone())
        .unwrap_or_else(|| "an unknown CA".into());
    match certificate_error {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
            "the certificate of {host} expired on {}",
            leaf.map(|leaf| date(leaf.not_after))
                .unwrap_or_else(|| "an earlier date".into())
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!(
                "the certificate is for {}, not for {host}",
                leaf.map(|leaf| leaf.subject.clone())
                    .unwrap_or_else(|| "another name".into())
            )
        }
        CertificateError::UnknownIssuer => format!(
            "the certificate was issued by \"{top_issuer}\", which this computer does not trust"
        ),
        other => format!("the certificate was refused ({other:?})"),
    }
}

pub(crate) fn date(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    at.format(&format).unwrap_or_else(|_| at.to_string())
}
