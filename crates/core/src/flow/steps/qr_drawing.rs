//! The enrollment QR code, the same for both drivers: taken from the answer when Okta sends
//! the image inline (`data:image/png;base64,…`, never fetched, never a link) or fetched once
//! from the org, decoded and drawn again off the async workers, and shown once however often
//! the enrollment is polled.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use time::OffsetDateTime;

use super::factor_state::FactorState;
use crate::client::Api;
use crate::flow::conversation::{Conversation, Step};
use crate::qr;
use crate::secret::{Secret, SecretBytes};
use crate::stage::{EnrollQr, FactorKind, LinkChannel, Stage};

/// What a QR stage says beside the image: the protocol's own facts.
#[derive(Default)]
pub(crate) struct QrShown {
    pub expires_at: Option<OffsetDateTime>,
    pub expires_in_seconds: Option<u64>,
    pub link_channels: Vec<LinkChannel>,
    pub shared_secret: Option<Secret>,
}

/// Shows the QR code at `href` for a `kind` being enrolled, unless it is the one already
/// shown.
pub(crate) async fn show_qr(
    io: &Conversation,
    api: &Api,
    state: &mut FactorState,
    kind: FactorKind,
    href: &Secret,
    shown: QrShown,
) -> Step<()> {
    if !state.qr_is_new(href) {
        return Ok(());
    }
    state.qr_shown(href);
    let png = match inline_png(href.expose()) {
        Some(png) => png.map_err(|detail| api.unexpected_step(detail))?,
        // A link to the image (as Classic serves it): fetched once, on the org.
        None => {
            let url = api.resolve(href.expose())?;
            api.get_png(&url).await?
        }
    };
    let (rendered, problem) = tokio::task::spawn_blocking(move || qr::render(png))
        .await
        .map_err(|_| api.unexpected_step("a QR code that crashed the decoder"))?;
    if let Some(problem) = problem {
        api.note(
            "qr decode",
            format!("{problem}; showing the original image"),
        );
    }
    io.emit(Stage::EnrollQr(EnrollQr {
        factor: kind,
        uri_kind: rendered.uri_kind,
        svg: rendered.svg,
        terminal: rendered.terminal,
        png_data_url: rendered.png_data_url,
        expires_at: shown.expires_at,
        expires_in_seconds: shown.expires_in_seconds,
        link_channels: shown.link_channels,
        shared_secret: shown.shared_secret,
        original_png: rendered.png,
    }))
    .await
}

/// The activation link channel Okta names `name` (`email`, `sms`), if OktaDesk offers it.
pub(crate) fn link_channel(name: &str) -> Option<LinkChannel> {
    match name {
        "email" => Some(LinkChannel::Email),
        "sms" => Some(LinkChannel::Sms),
        _ => None,
    }
}

/// Standard base64, with or without its padding: data URIs come both ways.
const DATA_URI_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The PNG of a `data:` QR link: `None` when the link is not one (it is fetched then),
/// `Some(Err)` when it is one we cannot draw.
fn inline_png(href: &str) -> Option<std::result::Result<SecretBytes, &'static str>> {
    let (scheme, rest) = href.trim_start().split_once(':')?;
    if !scheme.trim().eq_ignore_ascii_case("data") {
        return None;
    }
    let Some((media, data)) = rest.split_once(',') else {
        return Some(Err("a QR code link that is an empty data: link"));
    };
    let mut parts = media.split(';').map(str::trim);
    let is_png = parts
        .next()
        .is_some_and(|kind| kind.eq_ignore_ascii_case("image/png"));
    if !is_png || !parts.any(|part| part.eq_ignore_ascii_case("base64")) {
        return Some(Err("a QR code sent inline that is not a base64 PNG image"));
    }
    let data: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    Some(
        DATA_URI_BASE64
            .decode(data.as_bytes())
            .ok()
            .filter(|png| png.starts_with(b"\x89PNG"))
            .map(SecretBytes::new)
            .ok_or("a QR code sent inline that is not a PNG image"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest";

    #[test]
    fn inline_images_come_padded_or_not_and_anything_else_is_fetched() {
        let padded = base64::engine::general_purpose::STANDARD.encode(PNG);
        let unpadded = padded.trim_end_matches('=');
        for href in [
            format!("data:image/png;base64,{padded}"),
            format!("DATA:image/PNG; base64,{unpadded}"),
        ] {
            let png = inline_png(&href).expect("inline").expect("a PNG");
            assert_eq!(png.expose(), PNG);
        }
        assert!(inline_png("https://acme.okta.com/qr.png").is_none());
        assert!(inline_png("/api/v1/users/00u/factors/opf/qr/abc").is_none());
        assert!(inline_png("data:text/plain;base64,aGk=").unwrap().is_err());
        assert!(inline_png("data:image/png;base64,aGk=").unwrap().is_err());
    }
}
