//! A sign-in's transcript saved as a text file, for help-desk staff to attach to a ticket.

use std::path::PathBuf;

use oktadesk_core::ReportHeader;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::flow_record::FlowRecord;

/// Saves the report of `record` ([`oktadesk_core::Transcript::report`]) in `dir` as
/// `OktaDesk transcript <time>.txt`, and returns where. `dir` is `None` when the desktop
/// has no folder to offer.
pub async fn save(record: &FlowRecord, app_version: &str, dir: Option<PathBuf>) -> Result<PathBuf> {
    let dir = dir.ok_or_else(|| Error::Export {
        path: PathBuf::from("Downloads"),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no folder to save in"),
    })?;
    let saved_at = OffsetDateTime::now_utc();
    let stamp = saved_at
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .map_err(Error::internal)?;
    let path = dir.join(format!("OktaDesk transcript {stamp}.txt"));
    let report = record.transcript.report(&ReportHeader {
        app_version,
        org: record.account().org(),
        username: record.account().username().as_str(),
        saved_at,
    });
    let written = path.clone();
    tauri::async_runtime::spawn_blocking(move || std::fs::write(&written, report))
        .await
        .map_err(Error::internal)?
        .map_err(|source| Error::Export {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}
