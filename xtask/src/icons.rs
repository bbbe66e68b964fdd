//! `cargo xtask icons`: every icon Tauri's bundlers want, rendered from one SVG.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::Command;

use icns::{IconFamily, IconType};

use crate::error::Error;
use crate::packages::{self, Need};
use crate::workspace;

const SOURCE: &str = "icons/oktadesk.svg";

/// PNGs by file name and edge in pixels (the set `cargo tauri icon` writes).
const PNGS: &[(&str, u32)] = &[
    ("32x32.png", 32),
    ("64x64.png", 64),
    ("128x128.png", 128),
    ("128x128@2x.png", 256),
    ("icon.png", 512),
    ("Square30x30Logo.png", 30),
    ("Square44x44Logo.png", 44),
    ("Square71x71Logo.png", 71),
    ("Square89x89Logo.png", 89),
    ("Square107x107Logo.png", 107),
    ("Square142x142Logo.png", 142),
    ("Square150x150Logo.png", 150),
    ("Square284x284Logo.png", 284),
    ("Square310x310Logo.png", 310),
    ("StoreLogo.png", 50),
];

const ICO_SIZES: &[u32] = &[16, 24, 32, 48, 64, 256];

const ICNS_TYPES: &[IconType] = &[
    IconType::RGBA32_16x16,
    IconType::RGBA32_16x16_2x,
    IconType::RGBA32_32x32,
    IconType::RGBA32_32x32_2x,
    IconType::RGBA32_128x128,
    IconType::RGBA32_128x128_2x,
    IconType::RGBA32_256x256,
    IconType::RGBA32_256x256_2x,
    IconType::RGBA32_512x512,
    IconType::RGBA32_512x512_2x,
];

pub fn run() -> Result<(), Error> {
    packages::ensure(Need::Icons)?;
    let root = workspace::root();
    let source = root.join(SOURCE);
    let icons = root.join("icons");

    for (name, size) in PNGS {
        std::fs::write(icons.join(name), render(&source, *size)?).map_err(|source| {
            Error::File {
                path: icons.join(name),
                source,
            }
        })?;
    }

    let mut ico = ico::IconDir::new(ico::ResourceType::Icon);
    for size in ICO_SIZES {
        let image = ico::IconImage::read_png(render(&source, *size)?.as_slice())
            .map_err(|e| Error::Icon(format!("rsvg-convert wrote a PNG ico cannot read: {e}")))?;
        let entry = ico::IconDirEntry::encode(&image)
            .map_err(|e| Error::Icon(format!("could not encode a {size}px ICO entry: {e}")))?;
        ico.add_entry(entry);
    }
    let ico_path = icons.join("icon.ico");
    ico.write(create(&ico_path)?)
        .map_err(|source| Error::File {
            path: ico_path,
            source,
        })?;

    let mut icns = IconFamily::new();
    for icon_type in ICNS_TYPES {
        let image = icns::Image::read_png(render(&source, icon_type.pixel_width())?.as_slice())
            .map_err(|e| Error::Icon(format!("rsvg-convert wrote a PNG icns cannot read: {e}")))?;
        icns.add_icon_with_type(&image, *icon_type)
            .map_err(|e| Error::Icon(format!("could not encode {icon_type:?}: {e}")))?;
    }
    let icns_path = icons.join("icon.icns");
    icns.write(create(&icns_path)?)
        .map_err(|source| Error::File {
            path: icns_path,
            source,
        })?;

    // The window shows the same mark; ui/ is served as is, so it keeps its own copy.
    let mark = root.join("ui/img/mark.svg");
    std::fs::copy(&source, &mark).map_err(|source| Error::File { path: mark, source })?;

    println!("Wrote {} icons to {}", PNGS.len() + 2, icons.display());
    Ok(())
}

fn render(source: &Path, size: u32) -> Result<Vec<u8>, Error> {
    let size = size.to_string();
    let output = Command::new("rsvg-convert")
        .args(["--width", &size, "--height", &size, "--keep-aspect-ratio"])
        .arg(source)
        .output()
        .map_err(Error::not_started("rsvg-convert"))?;
    if !output.status.success() {
        return Err(Error::Icon(format!(
            "rsvg-convert could not render {} at {size}px: {}",
            source.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

fn create(path: &Path) -> Result<BufWriter<File>, Error> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|source| Error::File {
            path: path.to_owned(),
            source,
        })
}
