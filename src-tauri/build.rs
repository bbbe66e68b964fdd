/// Every command the UI may call; `capabilities/main-window.json` grants each to the window.
const COMMANDS: &[&str] = &[
    "app_info",
    "validate_org_url",
    "validate_phone_number",
    "detect_engine",
    "list_accounts",
    "forget_account",
    "forget_all_accounts",
    "rename_account",
    "set_auto_push",
    "start_sign_in",
    "start_recovery",
    "flow_command",
    "remember_device",
    "remember_account",
    "open_dashboard",
    "open_in_browser",
    "flow_transcript",
    "export_transcript",
    "trusted_certificate",
    "trust_certificate",
    "forget_certificate",
    "demo_phone_view",
    "demo_phone_scan",
    "demo_phone_answer",
    "bench_ready",
];

fn main() {
    // Declaring the app's commands makes Tauri's ACL apply to them: a window can call a
    // command only when one of its capability files grants `allow-<command>`.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to generate the Tauri build context (see the error above)");
}
