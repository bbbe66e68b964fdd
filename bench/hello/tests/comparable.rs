//! The comparison is only fair while the bare apps open the same window as OktaDesk, and the
//! static one draws OktaDesk's first screen.
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
    let app = config("../../src-tauri/tauri.conf.json");
    for bare in ["tauri.conf.json", "first-screen/tauri.conf.json"] {
        let bare = config(bare);
        for key in ["width", "height"] {
            assert_eq!(
                bare["app"]["windows"][0][key], app["app"]["windows"][0][key],
                "window {key}"
            );
        }
        assert_eq!(
            bare["app"]["withGlobalTauri"], app["app"]["withGlobalTauri"],
            "withGlobalTauri"
        );
        assert_eq!(
            bare["app"]["security"]["freezePrototype"],
            app["app"]["security"]["freezePrototype"]
        );
    }
    // The static first screen is OktaDesk's, down to its content security policy.
    assert_eq!(
        config("first-screen/tauri.conf.json")["app"]["security"]["csp"],
        app["app"]["security"]["csp"]
    );
    assert!(std::path::Path::new(env!("CARGO_BIN_EXE_oktadesk-bench-hello")).is_file());
    assert!(std::path::Path::new(env!("CARGO_BIN_EXE_oktadesk-bench-first-screen")).is_file());
}

#[test]
fn the_static_first_screen_is_the_add_account_screen_without_modules() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("first-screen/page");
    let page = std::fs::read_to_string(dir.join("index.html")).expect("build.rs wrote the page");
    assert!(page.contains(r#"id="add-account-form""#));
    assert!(!page.contains("type=\"module\""));
    assert!(!page.contains("<template"));
    assert!(dir.join("styles.css").is_file());
    assert!(dir.join("ready.js").is_file());
}
