//! The enrollment QR: decode Okta's single-use PNG, draw it again crisply for screen and
//! terminal, and keep the original when it cannot be decoded.

use std::fmt;

use base64::Engine as _;
use qrcode::QrCode;
use qrcode::render::{svg, unicode};
use serde::Serialize;

use crate::secret::{Secret, SecretBytes};

/// What the enrollment QR code carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QrUriKind {
    /// `oktaverify://...`: Okta Verify push enrollment.
    OktaVerify,
    /// `otpauth://...`: a TOTP secret (or an older org's push enrollment).
    Otpauth,
    /// Decoded, but neither of the above.
    Other,
    /// The image could not be decoded; only the original PNG can be shown.
    Undecoded,
}

/// A QR code ready to show. It grants enrollment to whoever scans it, so `Debug` prints sizes
/// only and the decoded URI is never exposed.
#[derive(Clone)]
pub(crate) struct RenderedQr {
    pub uri_kind: QrUriKind,
    pub svg: Option<String>,
    pub terminal: Option<String>,
    pub png_data_url: Option<String>,
    pub png: SecretBytes,
}

impl fmt::Debug for RenderedQr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderedQr")
            .field("uri_kind", &self.uri_kind)
            .field("png", &self.png)
            .finish_non_exhaustive()
    }
}

/// Decodes the PNG and renders it again. Never fails: an undecodable image is kept as is.
pub(crate) fn render(png: SecretBytes) -> (RenderedQr, Option<String>) {
    match decode(png.expose()).and_then(|uri| draw(&uri).map(|drawn| (uri, drawn))) {
        Ok((uri, (svg, terminal))) => (
            RenderedQr {
                uri_kind: kind_of(&uri),
                svg: Some(svg),
                terminal: Some(terminal),
                png_data_url: None,
                png,
            },
            None,
        ),
        Err(problem) => (
            RenderedQr {
                uri_kind: QrUriKind::Undecoded,
                svg: None,
                terminal: None,
                png_data_url: Some(format!(
                    "data:image/png;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(png.expose())
                )),
                png,
            },
            Some(problem),
        ),
    }
}

fn decode(png: &[u8]) -> Result<Secret, String> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|error| format!("the QR image could not be read ({error})"))?
        .into_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    let grid = grids
        .first()
        .ok_or_else(|| "no QR code was found in the image".to_owned())?;
    let (_, content) = grid
        .decode()
        .map_err(|error| format!("the QR code could not be decoded ({error})"))?;
    Ok(Secret::new(content))
}

fn draw(uri: &Secret) -> Result<(String, String), String> {
    let code = QrCode::new(uri.expose().as_bytes())
        .map_err(|error| format!("the QR code could not be drawn again ({error})"))?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    // Terminals are mostly light text on dark: draw the light modules, leave the dark ones
    // as background, and the code scans the right way round.
    let terminal = code
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    Ok((svg, terminal))
}

fn kind_of(uri: &Secret) -> QrUriKind {
    let scheme = uri
        .expose()
        .split_once("://")
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("oktaverify") => QrUriKind::OktaVerify,
        Some("otpauth") => QrUriKind::Otpauth,
        _ => QrUriKind::Other,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG of a QR code, as Okta serves it.
    pub(crate) fn qr_png(content: &str) -> Vec<u8> {
        let code = QrCode::new(content.as_bytes()).unwrap();
        let scale = 4u32;
        let quiet = 4u32;
        let modules = code.width() as u32;
        let size = (modules + 2 * quiet) * scale;
        let colors = code.to_colors();
        let image = image::GrayImage::from_fn(size, size, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let dark = mx >= quiet
                && my >= quiet
                && mx < modules + quiet
                && my < modules + quiet
                && colors[((my - quiet) * modules + (mx - quiet)) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut png = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png
    }

    #[test]
    fn decodes_and_redraws_an_okta_verify_qr() {
        let uri = "oktaverify://push@demo.test/?t=20secrettoken&f=opf1&s=https://acme.okta.com&issuer=acme.okta.com";
        let png = qr_png(uri);
        let (qr, problem) = render(SecretBytes::new(png.clone()));
        assert_eq!(problem, None);
        assert_eq!(qr.uri_kind, QrUriKind::OktaVerify);
        assert!(qr.svg.as_ref().unwrap().starts_with("<?xml"));
        assert!(qr.terminal.as_ref().unwrap().contains('▀'));
        assert_eq!(qr.png.expose(), png.as_slice());
        assert_eq!(qr.png_data_url, None);
        let debug = format!("{qr:?}");
        assert!(
            !debug.contains("secrettoken") && !debug.contains("<svg"),
            "{debug}"
        );
        // The redrawn code must carry the same URI.
        assert_eq!(
            decode(&qr_png(uri)).unwrap().expose(),
            uri,
            "decoder round trip"
        );
    }

    #[test]
    fn keeps_the_original_png_when_it_cannot_be_decoded() {
        let mut blank = Vec::new();
        image::GrayImage::from_pixel(64, 64, image::Luma([255]))
            .write_to(
                &mut std::io::Cursor::new(&mut blank),
                image::ImageFormat::Png,
            )
            .unwrap();
        let (qr, problem) = render(SecretBytes::new(blank));
        assert!(problem.unwrap().contains("no QR code"));
        assert_eq!(qr.uri_kind, QrUriKind::Undecoded);
        assert!(
            qr.png_data_url
                .unwrap()
                .starts_with("data:image/png;base64,iVBOR")
        );
        assert!(qr.svg.is_none());
    }

    #[test]
    fn classifies_uris() {
        assert_eq!(
            kind_of(&Secret::new("otpauth://totp/x?secret=A")),
            QrUriKind::Otpauth
        );
        assert_eq!(kind_of(&Secret::new("https://x")), QrUriKind::Other);
    }
}
