//! One run of each measurement, so the bench cannot rot. Asserts nothing about time.

use std::process::Command;

#[test]
fn one_run_reports_approval_and_activation() {
    let output = Command::new(env!("CARGO_BIN_EXE_oktadesk-bench-latency"))
        .arg("1")
        .output()
        .expect("the latency bench starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    for measure in ["approval", "activation"] {
        assert_eq!(report[measure]["runs"], 1, "{report}");
        assert!(report[measure]["median_ms"].is_number(), "{report}");
    }
}
