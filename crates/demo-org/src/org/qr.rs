//! QR codes: the PNGs the org serves and the decoding the virtual phone does, plus the URIs
//! Okta Verify and authenticator apps expect inside them.

use std::io::Cursor;

use image::{ImageFormat, Luma};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use qrcode::QrCode;

use crate::error::DemoOrgError;

/// Everything but unreserved URI characters gets escaped, so logins (`a@b`) and org URLs
/// survive as single components.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(crate) fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// `oktaverify://{login}/?t={activation token}&f={factor id}&s={org url}&issuer={org host}`,
/// the push activation URI seen in Okta's own QR codes.
pub(crate) fn push_activation_uri(
    login: &str,
    activation_token: &str,
    factor_id: &str,
    org_url: &str,
    issuer: &str,
) -> String {
    format!(
        "oktaverify://{}/?t={}&f={}&s={}&issuer={}",
        encode_component(login),
        encode_component(activation_token),
        encode_component(factor_id),
        encode_component(org_url),
        encode_component(issuer),
    )
}

/// The Key URI Format authenticator apps read: `otpauth://totp/{issuer}:{login}?secret=...`.
pub(crate) fn totp_uri(issuer: &str, login: &str, base32_secret: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        encode_component(issuer),
        encode_component(login),
        base32_secret,
        encode_component(issuer),
    )
}

/// Renders `text` as a PNG QR code with a quiet zone, sized for a desktop window.
pub(crate) fn png(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|err| err.to_string())?;
    let image = code.render::<Luma<u8>>().min_dimensions(240, 240).build();
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .map_err(|err| err.to_string())?;
    Ok(bytes)
}

/// A white square PNG: a valid image in which no decoder can find a QR code.
pub(crate) fn blank_png() -> Vec<u8> {
    let image = image::GrayImage::from_pixel(240, 240, Luma([255u8]));
    let mut bytes = Vec::new();
    // Encoding an in-memory image into a Vec cannot fail for lack of space or I/O.
    let _ = image::DynamicImage::ImageLuma8(image)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png);
    bytes
}

/// Reads the text of the first QR code found in a PNG, the way a phone camera would.
pub(crate) fn decode_png(bytes: &[u8]) -> Result<String, DemoOrgError> {
    let image = image::load_from_memory_with_format(bytes, ImageFormat::Png)
        .map_err(|err| DemoOrgError::QrUnreadable {
            reason: format!("not a PNG image ({err})"),
        })?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let grid = grids.first().ok_or_else(|| DemoOrgError::QrUnreadable {
        reason: "no QR code found in the image".into(),
    })?;
    let (_, text) = grid.decode().map_err(|err| DemoOrgError::QrUnreadable {
        reason: format!("the QR code is damaged ({err})"),
    })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trips_through_the_decoder() {
        let uri = push_activation_uri(
            "enroll@demo.test",
            "abc123",
            "opf123",
            "http://127.0.0.1:4000",
            "127.0.0.1:4000",
        );
        let png = png(&uri).expect("encodes");
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(decode_png(&png).expect("decodes"), uri);
        assert!(uri.starts_with(
            "oktaverify://enroll%40demo.test/?t=abc123&f=opf123&s=http%3A%2F%2F127.0.0.1%3A4000"
        ));
    }

    #[test]
    fn the_blank_png_is_an_image_without_a_qr_code() {
        let png = blank_png();
        assert!(png.starts_with(b"\x89PNG"));
        assert!(matches!(
            decode_png(&png),
            Err(DemoOrgError::QrUnreadable { reason }) if reason.contains("no QR code")
        ));
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(
            decode_png(b"not an image"),
            Err(DemoOrgError::QrUnreadable { .. })
        ));
    }
}
