//! The comparison is only fair while the bare app opens the same window as OktaDesk.
//! (Building this test also builds the hello binary beside the workspace's test build, which
//! `cargo xtask bench --smoke` then runs without compiling Tauri a second time.)

use serde_json::Value;

fn config(path: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn opens_the_same_window_as_oktadesk() {
    let hello = config("tauri.conf.json");
    let app = config("../../src-tauri/tauri.conf.json");
    for key in ["width", "height"] {
        assert_eq!(
            hello["app"]["windows"][0][key], app["app"]["windows"][0][key],
            "window {key}"
        );
    }
    assert_eq!(
        hello["app"]["withGlobalTauri"], app["app"]["withGlobalTauri"],
        "withGlobalTauri"
    );
    assert_eq!(
        hello["app"]["security"]["freezePrototype"],
        app["app"]["security"]["freezePrototype"]
    );
    assert!(std::path::Path::new(env!("CARGO_BIN_EXE_oktadesk-bench-hello")).is_file());
}
