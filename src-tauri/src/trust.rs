//! An extra root certificate the person chose to trust, for companies that inspect TLS
//! traffic: kept as a PEM file in the app's config folder (it is public, not a secret) and
//! handed to the Okta client next to the operating system's own trust store.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use oktadesk_core::{ClientConfig, OktaClient};
use serde::Serialize;

use crate::error::{Error, Result};

const FILE_NAME: &str = "trusted-root.pem";
/// A chain of a few certificates is a few kilobytes; anything near this is not one.
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// What the settings show about the extra certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustView {
    /// Whether an extra root certificate is trusted.
    pub trusted: bool,
    /// How many certificates the PEM holds.
    pub certificates: usize,
    /// Where it is kept, for help-desk staff.
    pub path: Option<String>,
}

/// The client sign-ins use, built with the stored certificate the first time it is needed and
/// rebuilt whenever the certificate changes.
#[derive(Default)]
pub struct Trust {
    client: Mutex<Option<OktaClient>>,
}

impl Trust {
    /// The client for the next sign-in. Reading the stored certificate touches the disk, so
    /// the first call runs that on the blocking pool.
    pub async fn client(&self, dir: Option<PathBuf>) -> Result<OktaClient> {
        if let Some(client) = self.lock().clone() {
            return Ok(client);
        }
        let pem = match dir {
            Some(dir) => {
                let path = dir.join(FILE_NAME);
                run_blocking(move || read(&dir))
                    .await
                    .map_err(|source| Error::Settings { path, source })?
            }
            None => None,
        };
        let client = build(pem.as_deref())?;
        Ok(self.lock().get_or_insert(client).clone())
    }

    /// Trusts `pem` from now on: checked by building a client with it before it is saved, so
    /// a certificate that cannot be used never replaces one that can.
    pub async fn set(&self, dir: PathBuf, pem: String) -> Result<TrustView> {
        if pem.len() > MAX_PEM_BYTES {
            return Err(Error::invalid(
                "certificate",
                "That is too long to be a root certificate. Paste only the PEM text of your \
                 company's root certificate (the \"BEGIN CERTIFICATE\" blocks).",
            ));
        }
        let client = build(Some(pem.as_bytes()))?;
        let certificates = count(pem.as_bytes());
        let path = dir.join(FILE_NAME);
        let written = path.clone();
        run_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&written, pem)
        })
        .await
        .map_err(|source| Error::Settings {
            path: path.clone(),
            source,
        })?;
        *self.lock() = Some(client);
        Ok(TrustView {
            trusted: true,
            certificates,
            path: Some(path.display().to_string()),
        })
    }

    /// Goes back to the operating system's trust store alone.
    pub async fn clear(&self, dir: PathBuf) -> Result<TrustView> {
        let path = dir.join(FILE_NAME);
        let removed = path.clone();
        run_blocking(move || match std::fs::remove_file(&removed) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        })
        .await
        .map_err(|source| Error::Settings { path, source })?;
        *self.lock() = Some(build(None)?);
        Ok(TrustView {
            trusted: false,
            certificates: 0,
            path: None,
        })
    }

    /// What is trusted now, as stored.
    pub async fn view(&self, dir: PathBuf) -> Result<TrustView> {
        let path = dir.join(FILE_NAME);
        let pem = run_blocking(move || read(&dir))
            .await
            .map_err(|source| Error::Settings {
                path: path.clone(),
                source,
            })?;
        Ok(match pem {
            Some(pem) => TrustView {
                trusted: true,
                certificates: count(&pem),
                path: Some(path.display().to_string()),
            },
            None => TrustView {
                trusted: false,
                certificates: 0,
                path: None,
            },
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<OktaClient>> {
        self.client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn build(pem: Option<&[u8]>) -> Result<OktaClient> {
    Ok(OktaClient::new(ClientConfig {
        extra_ca_pem: pem.map(<[u8]>::to_vec),
        ..ClientConfig::default()
    })?)
}

fn read(dir: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(dir.join(FILE_NAME)) {
        Ok(pem) => Ok(Some(pem)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

fn count(pem: &[u8]) -> usize {
    String::from_utf8_lossy(pem)
        .matches("-----BEGIN CERTIFICATE-----")
        .count()
}

async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}
