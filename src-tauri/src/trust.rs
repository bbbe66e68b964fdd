//! An extra root certificate the person chose to trust, for companies that inspect TLS
//! traffic: kept as a PEM file in the app's config folder and handed to the Okta client next
//! to the operating system's own trust store.
//!
//! A trusted root can vouch for any site, so nothing the page sends is enough to add one:
//! only certificate authorities valid today are accepted, and the person confirms in a native
//! dialog raised from Rust ([`crate::desktop::Desktop::confirm_trust`]) that shows what they are trusting.
//! The file is the user's alone (0600), so no other account can swap in a root of its own.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use oktadesk_core::{ClientConfig, OktaClient, RootCertificate};
use serde::Serialize;
use time::OffsetDateTime;

use crate::desktop::SharedDesktop;
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
                let path = root_file(&dir);
                run_blocking(move || read(&dir))
                    .await
                    .map_err(|source| Error::Settings { path, source })?
            }
            None => None,
        };
        let client = build(pem.as_deref())?;
        Ok(self.lock().get_or_insert(client).clone())
    }

    /// Trusts `pem` from now on, once the person confirmed it in a native dialog. Checked
    /// first: only current CA certificates, and a client must build with them, so a
    /// certificate that cannot be used never replaces one that can.
    pub async fn set(
        &self,
        dir: PathBuf,
        pem: String,
        desktop: SharedDesktop,
    ) -> Result<TrustView> {
        if pem.len() > MAX_PEM_BYTES {
            return Err(Error::invalid(
                "certificate",
                "That is too long to be a root certificate. Paste only the PEM text of your \
                 company's root certificate (the \"BEGIN CERTIFICATE\" blocks).",
            ));
        }
        let roots = oktadesk_core::check_roots(pem.as_bytes(), OffsetDateTime::now_utc())?
            .map_err(|refusal| Error::invalid("certificate", refusal.to_string()))?;
        let client = build(Some(pem.as_bytes()))?;
        if !confirm(desktop, roots).await {
            return Err(Error::TrustDeclined);
        }
        let certificates = count(pem.as_bytes());
        let path = root_file(&dir);
        let written = path.clone();
        run_blocking(move || write_private(&dir, &written, pem.as_bytes()))
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
        let path = root_file(&dir);
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
        let path = root_file(&dir);
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
    match std::fs::read(root_file(dir)) {
        Ok(pem) => Ok(Some(pem)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Where the trusted root is kept: in the app's config folder, which Tauri takes from the OS
/// (`~/.config/dev.oktadesk.desktop` on Linux, `~/Library/Application Support/...` on macOS,
/// `%APPDATA%\dev.oktadesk.desktop` on Windows).
fn root_file(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

/// Asks on the blocking pool: the native dialog waits for the person.
async fn confirm(desktop: SharedDesktop, roots: Vec<RootCertificate>) -> bool {
    tauri::async_runtime::spawn_blocking(move || desktop.confirm_trust(&roots))
        .await
        .unwrap_or(false)
}

/// Writes the PEM readable by this user alone, replacing any earlier one (and its mode).
fn write_private(dir: &Path, path: &Path, pem: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        // `mode` applies to a new file only; an older file keeps its mode unless set here.
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    std::io::Write::write_all(&mut options.open(path)?, pem)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_kept_in_the_config_folder_on_every_system() {
        for config in [
            PathBuf::from("/home/jane/.config/dev.oktadesk.desktop"),
            PathBuf::from("/Users/jane/Library/Application Support/dev.oktadesk.desktop"),
            PathBuf::from(r"C:\Users\jane\AppData\Roaming\dev.oktadesk.desktop"),
        ] {
            let file = root_file(&config);
            assert_eq!(file.parent(), Some(config.as_path()));
            assert_eq!(file.file_name().unwrap(), "trusted-root.pem");
        }
    }
}
