//! `cargo xtask doc-paths`, also a step of `cargo xtask test`: every file or folder the
//! README's layout table and `ARCHITECTURE.md` name must exist, so a move or a rename that
//! forgets the docs fails here instead of misleading the next newcomer.
//!
//! A name is a code span that looks like a path: it has a `/` or ends in a source or doc
//! extension, and no spaces, globs or placeholders. In the README's layout table, a name is
//! looked for from the workspace root, the row's own folder (the first column) and its
//! `src/`; in `ARCHITECTURE.md`, from the root. Either way, a folder found joins the places
//! looked in for the rest of the row or section, so `crates/core/src/flow/` can be followed
//! by `steps/`.

use std::path::{Path, PathBuf};

use crate::error::Error;

const EXTENSIONS: &[&str] = &[
    ".rs", ".js", ".css", ".html", ".md", ".toml", ".json", ".yml",
];

pub fn run(root: &Path) -> Result<(), Error> {
    let mut missing = Vec::new();
    let readme = read(&root.join("README.md"))?;
    for row in layout_rows(&readme) {
        let spans = code_spans(row);
        let base = spans.first().cloned().unwrap_or_default();
        let bases = vec![
            root.to_path_buf(),
            root.join(&base),
            root.join(&base).join("src"),
        ];
        for name in unresolved(&spans, bases) {
            missing.push(format!("README.md layout row `{base}`: `{name}`"));
        }
    }
    let architecture = read(&root.join("ARCHITECTURE.md"))?;
    for section in architecture.split("\n## ") {
        let heading = section.lines().next().unwrap_or_default();
        for name in unresolved(&code_spans(section), vec![root.to_path_buf()]) {
            missing.push(format!("ARCHITECTURE.md, {heading}: `{name}`"));
        }
    }
    if missing.is_empty() {
        println!(
            "doc paths: every file and folder the layout table and ARCHITECTURE.md name exists"
        );
        return Ok(());
    }
    for name in &missing {
        println!("  no such file or folder: {name}");
    }
    Err(Error::DocPaths(missing.len()))
}

/// The path-like names among `spans` found under none of `bases`; each folder found joins
/// the bases (with its parent), so a text may name `crates/core/src/flow/` and then
/// `steps/` or `flow/steps/`.
fn unresolved(spans: &[String], mut bases: Vec<PathBuf>) -> Vec<String> {
    let mut missing = Vec::new();
    for name in spans.iter().filter(|span| looks_like_path(span)) {
        match bases
            .iter()
            .map(|base| base.join(name))
            .find(|path| path.exists())
        {
            Some(found) if found.is_dir() => {
                // `crates/core/src/flow/` then `flow/steps/`: its parent too.
                bases.extend(found.parent().map(Path::to_path_buf));
                bases.push(found);
            }
            Some(_) => {}
            None => missing.push(name.clone()),
        }
    }
    missing
}

fn read(file: &Path) -> Result<String, Error> {
    std::fs::read_to_string(file).map_err(|source| Error::File {
        path: file.to_path_buf(),
        source,
    })
}

/// The table rows under the README's `## Layout` heading.
fn layout_rows(readme: &str) -> Vec<&str> {
    readme
        .split("\n## ")
        .find(|section| section.starts_with("Layout"))
        .map(|section| {
            section
                .lines()
                .filter(|line| line.starts_with("| `"))
                .collect()
        })
        .unwrap_or_default()
}

fn code_spans(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn looks_like_path(span: &str) -> bool {
    let plain = !span.contains(|c: char| c.is_whitespace() || "*{}<>()=:,$".contains(c))
        && !span.starts_with(['-', '/'])
        && !span.starts_with("http");
    plain && (span.contains('/') || EXTENSIONS.iter().any(|ext| span.ends_with(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_told_from_other_code() {
        assert!(looks_like_path("crates/core/src/flow/"));
        assert!(looks_like_path("commands.rs"));
        assert!(!looks_like_path("cargo xtask test"));
        assert!(!looks_like_path("/api/v1/authn/recovery/{password,unlock}"));
        assert!(!looks_like_path("SignIn::start"));
    }

    #[test]
    fn the_layout_rows_are_the_tables_under_its_heading() {
        let readme = "# X\n| `a/` | x |\n## Layout\n\n| path | what |\n|---|---|\n| `b/` | `c.rs` |\n\n## Next\n| `d/` | y |\n";
        assert_eq!(layout_rows(readme), vec!["| `b/` | `c.rs` |"]);
    }
}
