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

impl QrUriKind {
    /// What a URI decoded from an enrollment QR code is, by its scheme (`scheme://...`,
    /// case-insensitive as RFC 3986 says). Anything else, including no scheme at all, is
    /// [`QrUriKind::Other`].
    pub fn of_uri(uri: &str) -> Self {
        let Some((scheme, rest)) = uri.split_once(':') else {
            return Self::Other;
        };
        if !rest.starts_with("//") {
            return Self::Other;
        }
        if scheme.eq_ignore_ascii_case("oktaverify") {
            Self::OktaVerify
        } else if scheme.eq_ignore_ascii_case("otpauth") {
            Self::Otpauth
        } else {
            Self::Other
        }
    }
}

/// Okta's enrollment QR images are a few hundred pixels wide. Anything far larger is not a
/// QR code for a phone to scan, and a small PNG can claim a huge canvas (a decompression
/// bomb), so the decoder refuses it before allocating.
const MAX_QR_IMAGE_SIDE: u32 = 4096;
const MAX_QR_DECODE_BYTES: u64 = 64 * 1024 * 1024;

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
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_QR_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_QR_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_QR_DECODE_BYTES);
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(png), image::ImageFormat::Png);
    reader.limits(limits);
    let image = reader
        .decode()
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
    QrUriKind::of_uri(uri.expose())
}

/// Entry points for the cargo-fuzz targets in `fuzz/` (built with `--cfg fuzzing` only).
#[cfg(fuzzing)]
pub mod fuzzing {
    use super::*;

    /// What [`render`] made of an image, without the secret parts.
    #[derive(Debug)]
    pub struct Rendered {
        pub uri_kind: QrUriKind,
        pub problem: Option<String>,
        pub has_svg: bool,
        pub has_terminal: bool,
        pub has_png_data_url: bool,
    }

    /// The whole path an enrollment QR image takes from Okta's response to the screen.
    pub fn render_png(png: &[u8]) -> Rendered {
        let (rendered, problem) = render(SecretBytes::new(png.to_vec()));
        assert_eq!(rendered.png.expose(), png, "the original image is kept");
        Rendered {
            uri_kind: rendered.uri_kind,
            problem,
            has_svg: rendered.svg.is_some(),
            has_terminal: rendered.terminal.is_some(),
            has_png_data_url: rendered.png_data_url.is_some(),
        }
    }

    /// A PNG of `uri` as Okta draws it, or `None` when the text does not fit in a QR code.
    pub fn okta_style_png(uri: &str) -> Option<Vec<u8>> {
        let code = QrCode::new(uri.as_bytes()).ok()?;
        Some(png_of(&code))
    }

    /// The URI [`render`]'s decoder reads from a PNG.
    pub fn decode_uri(png: &[u8]) -> Result<String, String> {
        decode(png).map(|uri| uri.expose().to_owned())
    }
}

/// A PNG of a QR code at 4 pixels a module with the standard quiet zone, as Okta serves it.
#[cfg(any(test, fuzzing))]
fn png_of(code: &QrCode) -> Vec<u8> {
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
        .expect("a PNG encodes into memory");
    png
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG of a QR code, as Okta serves it.
    pub(crate) fn qr_png(content: &str) -> Vec<u8> {
        png_of(&QrCode::new(content.as_bytes()).unwrap())
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
        assert_eq!(
            QrUriKind::of_uri("OktaVerify://push@x/?t=1"),
            QrUriKind::OktaVerify
        );
        for other in [
            "https://x",
            "",
            "otpauth",
            "otpauth:totp/x",
            "https://x/?next=otpauth://totp/x",
            "x-otpauth://totp/x",
        ] {
            assert_eq!(QrUriKind::of_uri(other), QrUriKind::Other, "{other:?}");
        }
    }

    #[test]
    fn refuses_an_image_too_large_to_be_a_qr_code_before_decoding_it() {
        // A white canvas just over the limit compresses to a few kilobytes.
        let side = MAX_QR_IMAGE_SIDE + 1;
        let mut huge = Vec::new();
        image::GrayImage::from_pixel(side, 1, image::Luma([255]))
            .write_to(
                &mut std::io::Cursor::new(&mut huge),
                image::ImageFormat::Png,
            )
            .unwrap();
        let (qr, problem) = render(SecretBytes::new(huge));
        assert!(
            problem.as_deref().unwrap().contains("could not be read"),
            "{problem:?}"
        );
        assert_eq!(qr.uri_kind, QrUriKind::Undecoded);
    }
}
