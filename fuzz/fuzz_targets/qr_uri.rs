//! Any text carried by an enrollment QR code: classified by scheme without panicking, and,
//! drawn as Okta draws it, decoded back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::QrUriKind;
use oktadesk_core::qr_fuzzing::{decode_uri, okta_style_png};

fuzz_target!(|uri: &str| {
    let kind = QrUriKind::of_uri(uri);
    assert_ne!(kind, QrUriKind::Undecoded);
    if kind != QrUriKind::Other {
        let scheme = uri
            .split_once("://")
            .expect("a classified URI has a scheme")
            .0;
        assert!(
            scheme.eq_ignore_ascii_case("otpauth") || scheme.eq_ignore_ascii_case("oktaverify")
        );
    }
    let Some(png) = okta_style_png(uri) else {
        return;
    };
    // The rest of `render` (drawing it again) is the qr_png target's job.
    assert_eq!(decode_uri(&png).as_deref(), Ok(uri));
});
