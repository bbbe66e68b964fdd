//! The demo phone panel's commands, in builds with the `demo` feature; the window may call
//! them only while a demo org is serving ([`crate::demo_mode::DemoMode::grant_window`]).

use bytes::Bytes;
use oktadesk_demo_org::{PhoneView, PushAnswer, ScanOutcome};
use tauri::State;

use crate::demo_mode::DemoMode;
use crate::error::{Error, Result};
use crate::sign_in::SignIns;

/// What the demo phone of `login` shows.
#[tauri::command]
pub async fn demo_phone_view(demo: State<'_, DemoMode>, login: String) -> Result<PhoneView> {
    demo.phone()?.view(&login).await
}

/// The demo phone scans the QR code on screen (the image exactly as the org served it).
#[tauri::command]
pub async fn demo_phone_scan(
    demo: State<'_, DemoMode>,
    sign_ins: State<'_, SignIns>,
    flow_id: u64,
    login: String,
) -> Result<ScanOutcome> {
    let phone = demo.phone()?;
    let record = sign_ins.record(flow_id)?;
    // The QR holds a live activation secret: it goes to the demo org only when this sign-in
    // is against that org, never from a sign-in to a real one.
    if record.account.org() != phone.org() {
        return Err(Error::NotDemo);
    }
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
) -> Result<PushAnswer> {
    let phone = demo.phone()?;
    if approve {
        phone.approve(&login, number).await
    } else {
        phone.reject(&login).await
    }
}
