//! The report's "Where startup goes" table: the medians of the steps both apps mark.

use std::fmt::Write as _;

use super::gui::Gui;
use super::stats::{millis, spread};

/// Medians of each startup step both apps mark, in time since `main` (the app's own
/// clock), and the time from spawning the process to `main` (exec, dynamic linking,
/// relocation), which the harness's clock minus the app's own ready time gives.
pub(super) fn write_section(md: &mut String, gui: &Gui) {
    let _ = writeln!(md, "\n### Where startup goes\n");
    let _ = writeln!(
        md,
        "Medians over the runs above, in ms. Steps are marked by the apps in bench mode: \
         `state` (OktaDesk's state built), `setup` (Tauri's setup hook), `page-load-*` \
         (the webview's load events), `first-command` (the first IPC command reaches Rust), \
         `keychain-open` (the Secret Service session, opened in the background), and the \
         page's own: `page-start` (its time origin), `page-dom-interactive`, \
         `page-script` (app.js evaluated, its imports loaded), `page-app-info`, \
         `page-accounts` (the keychain's answer, when it came before the first frame), \
         `page-drawn` (first screen in the DOM).\n"
    );
    let _ = writeln!(
        md,
        "| step | OktaDesk | hello (bare Tauri 2) |\n|---|---|---|"
    );
    let median_of = |values: Vec<f64>| (!values.is_empty()).then(|| spread(&values).0);
    let cell = |value: Option<f64>| value.map_or("—".to_owned(), |ms| format!("{ms:.0}"));
    let before_main = gui.launches.each_ref().map(|launches| {
        median_of(
            launches
                .iter()
                .filter_map(|l| Some(millis(l.startup) - l.report.ready_ms?))
                .collect(),
        )
    });
    let _ = writeln!(
        md,
        "| process spawned → `main` (exec, dynamic linking) | {} | {} |",
        cell(before_main[0]),
        cell(before_main[1])
    );
    let mut names: Vec<(String, f64)> = Vec::new();
    for launches in &gui.launches {
        for launch in launches {
            for (name, at) in &launch.report.marks {
                if !names.iter().any(|(known, _)| known == name) {
                    names.push((name.clone(), *at));
                }
            }
        }
    }
    let step = |index: usize, name: &str| {
        median_of(
            gui.launches[index]
                .iter()
                .filter_map(|l| {
                    l.report
                        .marks
                        .iter()
                        .find(|(known, _)| known == name)
                        .map(|(_, at)| *at)
                })
                .collect(),
        )
    };
    let mut rows: Vec<(String, [Option<f64>; 2])> = names
        .iter()
        .map(|(name, _)| (name.clone(), [step(0, name), step(1, name)]))
        .collect();
    rows.sort_by(|a, b| {
        let key = |row: &[Option<f64>; 2]| row[0].or(row[1]).unwrap_or(f64::MAX);
        key(&a.1).total_cmp(&key(&b.1))
    });
    for (name, [app, hello]) in rows {
        let _ = writeln!(md, "| `{name}` | {} | {} |", cell(app), cell(hello));
    }
    let ready = gui
        .launches
        .each_ref()
        .map(|launches| median_of(launches.iter().filter_map(|l| l.report.ready_ms).collect()));
    let _ = writeln!(
        md,
        "| ready (first frame reported) | {} | {} |",
        cell(ready[0]),
        cell(ready[1])
    );
}
