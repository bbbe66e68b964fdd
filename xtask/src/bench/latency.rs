//! Approval and activation latency at the core, as the latency bench (`bench/latency`)
//! measures it against the in-process demo org: its `name value` lines, checked and kept.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::Error;

/// `name value` lines from the latency bench.
pub(super) fn measure(latency: &Path, runs: usize) -> Result<HashMap<String, f64>, Error> {
    let description = latency.display().to_string();
    let output = Command::new(latency)
        .arg(runs.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(Error::not_started(&description))?;
    if !output.status.success() {
        return Err(Error::command_failed(
            &description,
            &output.status.to_string(),
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    let figures = parse(&text);
    match missing(&figures) {
        Some(figure) => Err(Error::command_failed(
            &description,
            &format!("its report has no {figure}; rebuild it"),
        )),
        None => Ok(figures),
    }
}

fn parse(report: &str) -> HashMap<String, f64> {
    report
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// The first figure the report needs and `figures` lacks.
fn missing(figures: &HashMap<String, f64>) -> Option<String> {
    let measures = ["approval", "activation"];
    let kinds = [
        "median_ms",
        "p95_ms",
        "min_ms",
        "max_ms",
        "polls_per_second",
    ];
    measures
        .iter()
        .flat_map(|measure| kinds.iter().map(move |kind| format!("{measure}.{kind}")))
        .find(|figure| !figures.contains_key(figure))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_value_lines_and_names_what_is_missing() {
        let mut report = String::from("poll_interval_ms 1000\nnot a figure\n");
        for measure in ["approval", "activation"] {
            for kind in ["median_ms", "p95_ms", "min_ms", "max_ms"] {
                report.push_str(&format!("{measure}.{kind} 600.5\n"));
            }
        }
        report.push_str("approval.polls_per_second 0.99\n");
        let figures = parse(&report);
        assert_eq!(figures["poll_interval_ms"], 1000.0);
        assert_eq!(figures["approval.p95_ms"], 600.5);
        assert_eq!(
            missing(&figures).as_deref(),
            Some("activation.polls_per_second")
        );
        report.push_str("activation.polls_per_second 1.0\n");
        assert_eq!(missing(&parse(&report)), None);
    }
}
