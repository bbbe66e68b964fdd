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
    let report = String::from_utf8(output.stdout).expect("the report is text");
    for measure in ["approval", "activation"] {
        assert!(report.contains(&format!("{measure}.runs 1\n")), "{report}");
        for figure in ["median_ms", "p95_ms", "polls_per_second"] {
            let value = report
                .lines()
                .find_map(|line| line.strip_prefix(&format!("{measure}.{figure} ")))
                .unwrap_or_else(|| panic!("no {measure}.{figure} in {report}"));
            assert!(value.parse::<f64>().is_ok(), "{measure}.{figure}: {value}");
        }
    }
}
