//! Any bytes served as the enrollment QR image: decoded and drawn again, or kept as the
//! original PNG with a reason; never a panic, never an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::QrUriKind;
use oktadesk_core::qr_fuzzing::render_png;

fuzz_target!(|data: &[u8]| {
    let rendered = render_png(data);
    match rendered.problem {
        None => {
            assert_ne!(rendered.uri_kind, QrUriKind::Undecoded);
            assert!(rendered.has_svg && rendered.has_terminal && !rendered.has_png_data_url);
        }
        Some(problem) => {
            assert!(!problem.is_empty());
            assert_eq!(rendered.uri_kind, QrUriKind::Undecoded);
            assert!(rendered.has_png_data_url && !rendered.has_svg && !rendered.has_terminal);
        }
    }
});
