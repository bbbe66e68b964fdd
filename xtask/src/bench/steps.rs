//! The report's "Where startup goes" table: the medians of the steps the apps mark.

use std::fmt::Write as _;

use super::gui::{APPS, Gui, HELLO, OKTADESK, STATIC_FIRST_SCREEN};
use super::stats::{millis, spread};

/// Medians of each startup step the apps mark, in time since `main` (the app's own
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
         `page-script` (app.js evaluated, its imports loaded; the static page's report script), `page-app-info`, \
         `page-accounts` (the keychain's answer, when it came before the first frame), \
         `page-drawn` (first screen in the DOM).\n"
    );
    // The columns: the app, then its floors, nearest first.
    const COLUMNS: [usize; APPS] = [OKTADESK, STATIC_FIRST_SCREEN, HELLO];
    let _ = writeln!(
        md,
        "| step | OktaDesk | first screen (static) | hello (bare Tauri 2) |\n|---|---|---|---|"
    );
    let median_of = |values: Vec<f64>| (!values.is_empty()).then(|| spread(&values).0);
    let cell = |value: Option<f64>| value.map_or("—".to_owned(), |ms| format!("{ms:.0}"));
    let line = |md: &mut String, label: &str, values: [Option<f64>; APPS]| {
        let cells: Vec<String> = COLUMNS.iter().map(|&index| cell(values[index])).collect();
        let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
    };
    let before_main = gui.launches.each_ref().map(|launches| {
        median_of(
            launches
                .iter()
                .filter_map(|l| Some(millis(l.startup) - l.report.ready_ms?))
                .collect(),
        )
    });
    line(
        md,
        "process spawned → `main` (exec, dynamic linking)",
        before_main,
    );
    let mut names: Vec<String> = Vec::new();
    for launch in gui.launches.iter().flatten() {
        for (name, _) in &launch.report.marks {
            if !names.contains(name) {
                names.push(name.clone());
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
    let mut rows: Vec<(String, [Option<f64>; APPS])> = names
        .into_iter()
        .map(|name| {
            let values = std::array::from_fn(|index| step(index, &name));
            (name, values)
        })
        .collect();
    // In the order the first app that has a step reached it.
    rows.sort_by(|a, b| {
        let key = |row: &[Option<f64>; APPS]| {
            COLUMNS
                .iter()
                .find_map(|&index| row[index])
                .unwrap_or(f64::MAX)
        };
        key(&a.1).total_cmp(&key(&b.1))
    });
    for (name, values) in rows {
        line(md, &format!("`{name}`"), values);
    }
    let ready = gui
        .launches
        .each_ref()
        .map(|launches| median_of(launches.iter().filter_map(|l| l.report.ready_ms).collect()));
    line(md, "ready (first frame reported)", ready);
}
