//! Tauri's build step, and the static first screen (`src/first_screen_page.rs`) written to
//! `first-screen/page/` from the app's own `ui/`, so it follows every change to the real page.

#[path = "src/first_screen_page.rs"]
mod first_screen_page;

use std::path::Path;

fn main() {
    write_first_screen();
    tauri_build::build();
}

/// Generated into the crate (gitignored) rather than `OUT_DIR`, because Tauri's config names
/// the page's folder by a fixed path (`first-screen/tauri.conf.json`, `frontendDist`). The
/// config has a folder of its own as `generate_context!` reads `tauri.conf.json` from the
/// folder of the path it is given, whatever the file's name.
fn write_first_screen() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ui = crate_dir.join("../../ui");
    let out = crate_dir.join("first-screen/page");
    let index = ui.join("index.html");
    println!("cargo:rerun-if-changed={}", index.display());
    println!("cargo:rerun-if-changed=first-screen/ready.js");
    let html = std::fs::read_to_string(&index)
        .unwrap_or_else(|error| panic!("{}: {error}", index.display()));
    let page = first_screen_page::build(&html, env!("CARGO_PKG_VERSION"))
        .unwrap_or_else(|why| panic!("the static first screen: {why}"));
    let _ = std::fs::remove_dir_all(&out);
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::create_dir_all(path.parent().expect("a file in first-screen/"))
            .and_then(|()| std::fs::write(path, bytes))
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    };
    write(&out.join("index.html"), page.html.as_bytes());
    let ready = crate_dir.join("first-screen/ready.js");
    write(
        &out.join(first_screen_page::READY_SCRIPT),
        &std::fs::read(&ready).unwrap_or_else(|error| panic!("{}: {error}", ready.display())),
    );
    for asset in &page.assets {
        let from = ui.join(asset);
        println!("cargo:rerun-if-changed={}", from.display());
        let bytes =
            std::fs::read(&from).unwrap_or_else(|error| panic!("{}: {error}", from.display()));
        write(&out.join(asset), &bytes);
    }
}
