//! What the window may call, read from the capability files themselves: release builds grant
//! nothing demo- or bench-only, and the optional grants stay as narrow as their names say.

use tauri::utils::acl::capability::{CapabilityFile, PermissionEntry};

const MAIN_WINDOW: &str = include_str!("../capabilities/main-window.json");
const DEMO: &str = include_str!("../capabilities/optional/demo.json");
const BENCH: &str = include_str!("../capabilities/optional/bench.json");
const CONFIG: &str = include_str!("../tauri.conf.json");

fn permissions(json: &str) -> (String, Vec<String>) {
    let CapabilityFile::Capability(capability) = json.parse().expect("a capability file parses")
    else {
        panic!("one capability per file");
    };
    let permissions = capability
        .permissions
        .iter()
        .map(|entry: &PermissionEntry| entry.identifier().get().to_owned())
        .collect();
    (capability.identifier, permissions)
}

#[test]
fn the_capability_every_build_grants_has_no_demo_or_bench_command() {
    let (_, granted) = permissions(MAIN_WINDOW);
    assert!(granted.len() >= 10, "{granted:?}");
    for permission in &granted {
        assert!(
            permission.starts_with("allow-")
                && !permission.contains("demo")
                && !permission.contains("bench"),
            "main-window grants {permission}"
        );
    }
}

#[test]
fn only_the_main_window_capability_is_listed_in_the_config() {
    let config: serde_json::Value = serde_json::from_str(CONFIG).unwrap();
    assert_eq!(
        config["app"]["security"]["capabilities"],
        serde_json::json!(["main-window"]),
        "the optional capabilities are granted at start-up, never from the config"
    );
}

#[test]
fn the_optional_grants_are_exactly_the_demo_phone_and_the_bench_report() {
    assert_eq!(
        permissions(DEMO),
        (
            "demo-phone".to_owned(),
            vec![
                "allow-demo-phone-view".to_owned(),
                "allow-demo-phone-scan".to_owned(),
                "allow-demo-phone-answer".to_owned()
            ]
        )
    );
    assert_eq!(
        permissions(BENCH),
        ("bench".to_owned(), vec!["allow-bench-ready".to_owned()])
    );
}
