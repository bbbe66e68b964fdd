//! `cargo xtask import-circles`, also a step of `cargo xtask test`: no two source files may
//! import each other, directly or round a longer loop, in any crate target of the workspace.
//!
//! A circle between files is a module that cannot be read, tested or moved alone; crates
//! already cannot form one (cargo refuses), and this keeps files to the same rule. A `mod.rs`
//! that declares its children and re-exports from them is fine: re-exports are followed to
//! the file that defines the item, so only real two-way dependence is reported.

mod module_tree;
mod references;

use std::path::{Path, PathBuf};

use crate::error::Error;

use self::module_tree::ModuleTree;

/// Folders that hold no workspace source.
const SKIPPED_FOLDERS: &[&str] = &["target", "node_modules"];

/// Checks every crate target under `root`; prints each circle with one import per arrow.
pub fn run(root: &Path) -> Result<(), Error> {
    let mut references = references::References::new();
    let mut targets = 0;
    for crate_root in crate_roots(root)? {
        let tree = ModuleTree::read(&crate_root)?;
        references::collect(&tree, &mut references);
        targets += 1;
    }
    let circles = references::circles(&references);
    for (number, circle) in circles.iter().enumerate() {
        println!("import circle {} ({} files):", number + 1, circle.len());
        for from in circle {
            for to in circle {
                if let Some(written) = references.get(from).and_then(|tos| tos.get(to)) {
                    println!(
                        "  {} -> {}  (`{written}`)",
                        shown(root, from),
                        shown(root, to)
                    );
                }
            }
        }
    }
    if circles.is_empty() {
        let files = references.len();
        println!(
            "import circles: none ({targets} crate targets, {files} files that import others)"
        );
        Ok(())
    } else {
        Err(Error::ImportCircles(circles.len()))
    }
}

fn shown(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Every crate target's root file: libraries, binaries, tests, benches, examples, build
/// scripts and fuzz targets of each package under `root`.
fn crate_roots(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut packages = Vec::new();
    find_packages(root, &mut packages)?;
    let mut roots = Vec::new();
    for package in packages {
        for file in ["src/lib.rs", "src/main.rs", "build.rs"] {
            let file = package.join(file);
            if file.is_file() {
                roots.push(file);
            }
        }
        for folder in ["src/bin", "tests", "benches", "examples", "fuzz_targets"] {
            roots.extend(rust_files(&package.join(folder))?);
        }
    }
    roots.sort();
    Ok(roots)
}

fn find_packages(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if dir.join("Cargo.toml").is_file() {
        out.push(dir.to_path_buf());
    }
    for entry in read_dir(dir)? {
        let name = entry
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if entry.is_dir() && !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_str()) {
            find_packages(&entry, out)?;
        }
    }
    Ok(())
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    Ok(read_dir(dir)?
        .into_iter()
        .filter(|file| file.is_file() && file.extension().is_some_and(|ext| ext == "rs"))
        .collect())
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::File {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a small package into a fresh folder and returns its circles.
    fn circles_in(name: &str, files: &[(&str, &str)]) -> Vec<Vec<String>> {
        let dir =
            std::env::temp_dir().join(format!("import-circles-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"t\"\n").unwrap();
        for (path, text) in files {
            let file = dir.join("src").join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let mut references = references::References::new();
        for crate_root in crate_roots(&dir).unwrap() {
            references::collect(&ModuleTree::read(&crate_root).unwrap(), &mut references);
        }
        let circles = references::circles(&references)
            .into_iter()
            .map(|circle| {
                circle
                    .iter()
                    .map(|file| shown(&dir.join("src"), file))
                    .collect()
            })
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        circles
    }

    #[test]
    fn two_files_using_each_other_are_a_circle() {
        let circles = circles_in(
            "pair",
            &[
                ("lib.rs", "mod a;\nmod b;\n"),
                ("a.rs", "pub struct A;\npub fn f(_: crate::b::B) {}\n"),
                ("b.rs", "use super::a::A;\npub struct B(A);\n"),
            ],
        );
        assert_eq!(circles, vec![vec!["a.rs".to_owned(), "b.rs".to_owned()]]);
    }

    #[test]
    fn a_parent_that_re_exports_its_children_is_not_in_a_circle() {
        // `crate::flow::Stage` is defined in flow/stage.rs; flow/mod.rs only re-exports it.
        let circles = circles_in(
            "re-export",
            &[
                ("lib.rs", "mod flow;\nmod user;\n"),
                (
                    "flow/mod.rs",
                    "mod stage;\nmod steps;\npub use self::stage::Stage;\n",
                ),
                ("flow/stage.rs", "pub struct Stage;\n"),
                (
                    "flow/steps.rs",
                    "use super::Stage;\npub fn next() -> Stage { Stage }\n",
                ),
                ("user.rs", "pub fn go() { let _ = crate::flow::Stage; }\n"),
            ],
        );
        assert!(circles.is_empty(), "{circles:?}");
    }

    #[test]
    fn a_child_using_what_its_parent_defines_while_the_parent_uses_it_is_a_circle() {
        let circles = circles_in(
            "parent",
            &[
                ("lib.rs", "mod wire;\n"),
                (
                    "wire/mod.rs",
                    "mod factor;\npub struct Links;\npub use self::factor::Body;\n",
                ),
                ("wire/factor.rs", "pub struct Body(pub super::Links);\n"),
            ],
        );
        assert_eq!(
            circles,
            vec![vec!["wire/factor.rs".to_owned(), "wire/mod.rs".to_owned()]]
        );
    }
}
