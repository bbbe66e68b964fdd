//! Screenshots on disk, and telling a real screen from a blank one.

use std::collections::HashMap;
use std::path::PathBuf;

use fantoccini::Client;

use crate::error::{HarnessError, Result};
use crate::paths;

/// Marks the page as repainting for the length of a screenshot. WebKitWebDriver answers a
/// screenshot only after the view's next paint, and a screen with nothing moving (the success
/// screen) never paints again: the request would wait forever. A one-pixel element whose
/// colour animates keeps frames coming; it is removed once the picture is taken.
const START_REPAINTING: &str = r#"
clearInterval(window.__e2eRepaint);
document.getElementById("e2e-repaint")?.remove();
const dot = document.createElement("div");
dot.id = "e2e-repaint";
dot.setAttribute("aria-hidden", "true");
dot.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none";
document.body.append(dot);
let odd = false;
window.__e2eRepaint = setInterval(() => {
  odd = !odd;
  dot.style.background = odd ? "rgba(0,0,0,0.02)" : "rgba(0,0,0,0.01)";
}, 30);
"#;

const STOP_REPAINTING: &str = r#"
clearInterval(window.__e2eRepaint);
document.getElementById("e2e-repaint")?.remove();
"#;

/// The window as PNG bytes, through WebDriver.
pub async fn capture(client: &Client) -> Result<Vec<u8>> {
    client.execute(START_REPAINTING, Vec::new()).await?;
    let png = client.screenshot().await;
    // Best effort: a page that navigated away has no dot left to remove.
    let _ = client.execute(STOP_REPAINTING, Vec::new()).await;
    Ok(png?)
}

pub fn save(name: &str, png: &[u8]) -> Result<PathBuf> {
    let dir = paths::screenshot_dir();
    let path = dir.join(format!("{name}.png"));
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, png))
        .map_err(|source| HarnessError::File {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

/// What the pixels of a screenshot look like.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageStats {
    pub width: u32,
    pub height: u32,
    pub distinct_colours: usize,
    /// Share of pixels that differ from the most common colour (the background), 0.0–1.0.
    pub foreground_share: f64,
}

impl ImageStats {
    /// A rendered screen has text and controls: many colours (anti-aliasing alone gives
    /// dozens) and a fair share of pixels off the background. A blank or failed paint has one
    /// or two colours.
    pub fn check_not_blank(&self) -> std::result::Result<(), String> {
        if self.width == 0 || self.height == 0 {
            return Err("it has no pixels".into());
        }
        if self.distinct_colours < 32 {
            return Err(format!("only {} distinct colours", self.distinct_colours));
        }
        if self.foreground_share < 0.01 {
            return Err(format!(
                "only {:.2}% of pixels differ from the background",
                self.foreground_share * 100.0
            ));
        }
        Ok(())
    }
}

pub fn stats(png_bytes: &[u8]) -> Result<ImageStats> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info()?;
    let mut buffer = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let frame = reader.next_frame(&mut buffer)?;
    let channels = frame.color_type.samples();
    let pixels = &buffer[..frame.buffer_size()];

    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for pixel in pixels.chunks_exact(channels) {
        *counts.entry(pixel).or_default() += 1;
    }
    let total = (frame.width as usize * frame.height as usize).max(1);
    let background = counts.values().copied().max().unwrap_or(0);
    Ok(ImageStats {
        width: frame.width,
        height: frame.height,
        distinct_colours: counts.len(),
        foreground_share: (total - background) as f64 / total as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(rgb)
            .unwrap();
        out
    }

    #[test]
    fn a_single_colour_image_is_blank() {
        let png = encode(64, 64, &[255; 64 * 64 * 3]);
        let stats = stats(&png).unwrap();
        assert_eq!(stats.distinct_colours, 1);
        assert!(stats.check_not_blank().is_err());
    }

    #[test]
    fn a_busy_image_is_not_blank() {
        let rgb: Vec<u8> = (0..64 * 64 * 3).map(|i| (i * 7 % 251) as u8).collect();
        let stats = stats(&encode(64, 64, &rgb)).unwrap();
        assert!(stats.distinct_colours >= 32, "{stats:?}");
        assert_eq!(stats.check_not_blank(), Ok(()));
    }
}
