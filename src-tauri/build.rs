fn main() {
    // Declaring the app's commands makes Tauri's ACL apply to them: a window can call a
    // command only when one of its capability files grants `allow-<command>`.
    let manifest = tauri_build::AppManifest::new().commands(&["app_info", "validate_org_url"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to generate the Tauri build context (see the error above)");
}
