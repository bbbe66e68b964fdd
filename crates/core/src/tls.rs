//! The one place TLS trust is built: the operating system's trust store plus any extra CA
//! certificates (PEM, repaired when pasted), checked by the platform verifier. The sign-in's
//! HTTP client and the handshake inspection of `doctor` both use it, so a CA file one accepts
//! the other accepts too.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use crate::error::{Error, Result};

const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_END: &str = "-----END CERTIFICATE-----";

/// The certificates this computer trusts for Okta, built once per client: every TLS
/// configuration made from it verifies with the same verifier.
#[derive(Debug, Clone)]
pub(crate) struct Trust {
    provider: Arc<CryptoProvider>,
    verifier: Arc<rustls_platform_verifier::Verifier>,
}

impl Trust {
    /// The OS trust store, plus the certificates in `extra_ca_pem` when given. Fails on an
    /// extra CA bundle that holds no readable certificate.
    pub(crate) fn new(extra_ca_pem: Option<&[u8]>) -> Result<Self> {
        // ring instead of aws-lc-rs: see Cargo.toml.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let extra_roots = match extra_ca_pem {
            Some(pem) => extra_roots(pem)?,
            None => Vec::new(),
        };
        let verifier =
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
                .map_err(|error| {
                    Error::Config(format!(
                        "The system's trusted certificates could not be loaded ({error}). Check the extra CA certificate, or the system certificate store."
                    ))
                })?;
        Ok(Self {
            provider,
            verifier: Arc::new(verifier),
        })
    }

    /// The TLS configuration of the sign-in's HTTP client.
    pub(crate) fn client_config(&self) -> Result<rustls::ClientConfig> {
        self.config_with(self.verifier.clone())
    }

    fn config_with(&self, verifier: Arc<dyn ServerCertVerifier>) -> Result<rustls::ClientConfig> {
        let mut tls = rustls::ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|error| Error::Config(format!("TLS could not be set up ({error}).")))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tls)
    }

    /// Connects to `address`, shakes hands as `host` with this trust, and reports what the
    /// server showed, keeping its certificates even when they are refused. Blocks: run it on
    /// a blocking thread.
    pub(crate) fn inspect(
        &self,
        address: SocketAddr,
        host: &str,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> Result<TlsInspection> {
        let recorder = Arc::new(RecordingVerifier {
            inner: self.verifier.clone(),
            chain: Mutex::default(),
        });
        let config = self.config_with(recorder.clone())?;
        let name = ServerName::try_from(host.to_owned()).map_err(|_| {
            Error::Config(format!(
                "\"{host}\" is not a valid TLS server name. Check the org URL."
            ))
        })?;
        let mut connection = rustls::ClientConnection::new(Arc::new(config), name)
            .map_err(|error| Error::Config(format!("TLS could not start ({error}).")))?;
        let mut socket =
            TcpStream::connect_timeout(&address, connect_timeout).map_err(|error| {
                Error::Network {
                    host: host.to_owned(),
                    detail: format!("could not connect to {address} ({error})"),
                }
            })?;
        let _ = socket.set_read_timeout(Some(io_timeout));
        let _ = socket.set_write_timeout(Some(io_timeout));
        let mut refusal = None;
        while connection.is_handshaking() {
            if let Err(error) = connection.complete_io(&mut socket) {
                refusal = Some(TlsRefusal::from_handshake(&error));
                break;
            }
        }
        let _ = socket.flush();
        Ok(TlsInspection {
            chain: recorder.chain(),
            protocol: connection
                .protocol_version()
                .and_then(|version| version.as_str().map(str::to_owned)),
            refusal,
        })
    }
}

/// What a TLS handshake with an org showed, for diagnosis (see `OktaClient::inspect_tls`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TlsInspection {
    /// The certificates the server sent, DER-encoded, its own first; kept when refused too.
    pub chain: Vec<Vec<u8>>,
    /// The protocol agreed on, such as `TLSv1_3`; `None` when the handshake did not finish.
    pub protocol: Option<String>,
    /// Why the handshake failed; `None` when the chain was verified.
    pub refusal: Option<TlsRefusal>,
}

/// Why a TLS handshake failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsRefusal {
    /// The server's certificate has expired.
    Expired,
    /// The server's certificate is for another name.
    NotValidForName,
    /// The chain leads to a CA this computer does not trust.
    UnknownIssuer,
    /// Another problem with the certificate, as the TLS library names it.
    Certificate(String),
    /// The handshake failed for a reason other than the certificate.
    Handshake(String),
}

impl TlsRefusal {
    fn from_handshake(error: &std::io::Error) -> Self {
        let rustls_error = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        let Some(rustls::Error::InvalidCertificate(certificate_error)) = rustls_error else {
            return Self::Handshake(error.to_string());
        };
        match certificate_error {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => Self::Expired,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Self::NotValidForName
            }
            CertificateError::UnknownIssuer => Self::UnknownIssuer,
            other => Self::Certificate(format!("{other:?}")),
        }
    }
}

/// Delegates every decision to the platform verifier and remembers the chain it was shown.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<rustls_platform_verifier::Verifier>,
    chain: Mutex<Vec<CertificateDer<'static>>>,
}

impl RecordingVerifier {
    fn chain(&self) -> Vec<Vec<u8>> {
        self.chain
            .lock()
            .map(|chain| chain.iter().map(|der| der.to_vec()).collect())
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
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
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
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The certificates of an extra CA bundle, repaired first if it was pasted.
pub(crate) fn extra_roots(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>> {
    let pem = normalise_pem(pem);
    let mut roots = Vec::new();
    for certificate in CertificateDer::pem_slice_iter(&pem) {
        roots.push(certificate.map_err(|error| {
            Error::Config(format!(
                "The extra CA certificate could not be read: {}. Use PEM text with one or more \"BEGIN CERTIFICATE\" blocks.",
                pem_problem(&error)
            ))
        })?);
    }
    if roots.is_empty() {
        return Err(Error::Config(
            "The extra CA certificate file holds no certificate. Use a PEM file with one or more \"BEGIN CERTIFICATE\" blocks.".into(),
        ));
    }
    Ok(roots)
}

/// Certificates pasted from an e-mail or a web page often lose their line breaks, or gain
/// spaces; PEM parsers want each marker on a line of its own. Every complete BEGIN...END
/// block is rewritten in the standard layout; text without one is left for the parser to
/// report.
fn normalise_pem(pem: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(pem) else {
        return pem.to_vec();
    };
    let mut normalised = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(PEM_BEGIN) {
        let after_begin = &rest[start + PEM_BEGIN.len()..];
        let Some(end) = after_begin.find(PEM_END) else {
            break;
        };
        let body: String = after_begin[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        normalised.push_str(PEM_BEGIN);
        normalised.push('\n');
        for line in body.as_bytes().chunks(64) {
            normalised.push_str(&String::from_utf8_lossy(line));
            normalised.push('\n');
        }
        normalised.push_str(PEM_END);
        normalised.push('\n');
        rest = &after_begin[end + PEM_END.len()..];
    }
    if normalised.is_empty() {
        pem.to_vec()
    } else {
        normalised.into_bytes()
    }
}

/// What is wrong with PEM text, in words (the parser's own message lists raw bytes).
fn pem_problem(error: &rustls::pki_types::pem::Error) -> &'static str {
    use rustls::pki_types::pem::Error as Pem;
    match error {
        Pem::MissingSectionEnd { .. } => "a BEGIN line has no matching END line",
        Pem::IllegalSectionStart { .. } => "a BEGIN line is malformed",
        Pem::Base64Decode(_) => "the text between BEGIN and END is not a valid certificate",
        _ => "it is not PEM text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_pem_is_laid_out_again() {
        let body = "QUJD".repeat(40);
        let squashed =
            format!("junk {PEM_BEGIN}{body} {PEM_END} more {PEM_BEGIN} QUJD\r\nQUJD {PEM_END}");
        let normalised = String::from_utf8(normalise_pem(squashed.as_bytes())).unwrap();
        let lines: Vec<&str> = normalised.lines().collect();
        assert_eq!(lines[0], PEM_BEGIN);
        assert_eq!(lines[1].len(), 64);
        assert!(
            lines
                .iter()
                .all(|line| line.len() <= 64 || line.starts_with("-----"))
        );
        assert_eq!(lines.iter().filter(|line| **line == PEM_END).count(), 2);
        assert!(lines.contains(&"QUJDQUJD"));
        assert_eq!(normalise_pem(b"not pem"), b"not pem");
    }

    #[test]
    fn a_refused_connection_is_a_network_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let trust = Trust::new(None).unwrap();
        let error = trust
            .inspect(
                SocketAddr::from(([127, 0, 0, 1], port)),
                "127.0.0.1",
                Duration::from_secs(5),
                Duration::from_secs(5),
            )
            .unwrap_err();
        assert_eq!(error.kind().as_str(), "network", "{error}");
    }
}
