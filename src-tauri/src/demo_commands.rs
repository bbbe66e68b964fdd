//! The demo phone panel's commands, in builds with the `demo` feature; the window may call
//! them only while a demo org is serving ([`crate::demo_mode::DemoMode::grant_window`]).

use bytes::Bytes;
use oktadesk_demo_org::{PhoneView, PushAnswer, ScanOutcome};
use tauri::State;

use crate::demo_mode::DemoMode;
use crate::error::{Error, Result};
use crate::sign_in::SignIns;

/// What the demo phone of `login` shows, on the demo org at `org` (the first one when not
/// given).
#[tauri::command]
pub async fn demo_phone_view(
    demo: State<'_, DemoMode>,
    login: String,
    org: Option<String>,
) -> Result<PhoneView> {
    demo.phone(org.as_deref())?.view(&login).await
}

/// The demo phone scans the QR code on screen (the image exactly as the org served it).
#[tauri::command]
pub async fn demo_phone_scan(
    demo: State<'_, DemoMode>,
    sign_ins: State<'_, SignIns>,
    flow_id: u64,
    login: String,
) -> Result<ScanOutcome> {
    // Without any demo org, that is the answer, whatever the sign-in.
    demo.phone(None)?;
    let record = sign_ins.record(flow_id)?;
    // The QR holds a live activation secret: it goes to a demo org only when this sign-in is
    // against that org, never from a sign-in to a real one.
    let phone = demo.phone(Some(&record.account().org().to_string()))?;
    let png = record.qr_png().ok_or_else(|| Error::DemoPhone {
        message: "There is no QR code on screen to scan. Sign in as enroll@demo.test to \
                      get one."
            .into(),
    })?;
    phone
        .scan(&login, Bytes::copy_from_slice(png.expose()))
        .await
}

/// The demo phone approves (with the number, for a number challenge) or denies the push.
#[tauri::command]
pub async fn demo_phone_answer(
    demo: State<'_, DemoMode>,
    login: String,
    approve: bool,
    number: Option<u8>,
    org: Option<String>,
) -> Result<PushAnswer> {
    let phone = demo.phone(org.as_deref())?;
    if approve {
        phone.approve(&login, number).await
    } else {
        phone.reject(&login).await
    }
}
