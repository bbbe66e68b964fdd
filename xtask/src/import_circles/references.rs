//! Which file each file refers to: every `use` leaf and every `crate::`, `super::` or
//! `self::` path in the code, resolved through the module tree to the file that defines
//! what it names (re-exports and globs followed), so `use super::Thing` points at the
//! sibling that defines `Thing`, not at the `mod.rs` that merely re-exports it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use syn::visit::Visit;

use super::module_tree::{ModuleId, ModuleTree, UseLeaf, use_leaves};

/// How deep re-exports are followed before a path is given up as unresolved.
const MAX_HOPS: usize = 16;

/// From file to file, each with one path that makes the reference, for the report.
pub type References = BTreeMap<PathBuf, BTreeMap<PathBuf, String>>;

/// Adds the references between files of one crate target to `out`.
pub fn collect(tree: &ModuleTree, out: &mut References) {
    for (module, syntax) in &tree.files {
        let mut visitor = PathVisitor {
            tree,
            modules: vec![*module],
            found: Vec::new(),
        };
        visitor.visit_file(syntax);
        let from = &tree.modules[*module].file;
        for (target, written) in visitor.found {
            let to = &tree.modules[target].file;
            if to != from {
                out.entry(from.clone())
                    .or_default()
                    .entry(to.clone())
                    .or_insert(written);
            }
        }
    }
}

struct PathVisitor<'a> {
    tree: &'a ModuleTree,
    /// The module being read: the file's own, then inline modules inside it.
    modules: Vec<ModuleId>,
    found: Vec<(ModuleId, String)>,
}

impl PathVisitor<'_> {
    fn here(&self) -> ModuleId {
        *self
            .modules
            .last()
            .expect("a file's module is pushed first")
    }

    fn add(&mut self, segments: &[String]) {
        if let Some(found) = resolve(self.tree, self.here(), segments, 0) {
            self.found.push((found.file_module(), segments.join("::")));
        }
    }
}

impl<'ast> Visit<'ast> for PathVisitor<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let here = self.here();
        match (
            &item.content,
            self.tree.modules[here]
                .children
                .get(&item.ident.to_string()),
        ) {
            (Some(_), Some(&child)) => {
                self.modules.push(child);
                syn::visit::visit_item_mod(self, item);
                self.modules.pop();
            }
            _ => syn::visit::visit_item_mod(self, item),
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&item.tree, &mut Vec::new(), &mut leaves);
        for leaf in leaves {
            match leaf {
                UseLeaf::Named { path, .. } | UseLeaf::Glob(path) => self.add(&path),
            }
        }
    }

    /// `pub(in crate::a)` names where an item may be seen, not something it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        if matches!(
            segments.first().map(String::as_str),
            Some("crate" | "super" | "self")
        ) && segments.len() > 1
        {
            self.add(&segments);
        }
        syn::visit::visit_path(self, path);
    }
}

/// What a path names: a module, or an item defined in a module's file.
#[derive(Clone, Copy)]
enum Found {
    Module(ModuleId),
    Item(ModuleId),
}

impl Found {
    fn file_module(self) -> ModuleId {
        match self {
            Found::Module(module) | Found::Item(module) => module,
        }
    }
}

/// What `segments`, written in module `from`, names; `None` for another crate or the
/// standard library.
fn resolve(tree: &ModuleTree, from: ModuleId, segments: &[String], hops: usize) -> Option<Found> {
    if hops > MAX_HOPS {
        return None;
    }
    let (first, rest) = segments.split_first()?;
    match first.as_str() {
        "crate" => walk(tree, 0, rest, hops),
        "self" => walk(tree, from, rest, hops),
        "super" => {
            let mut module = tree.modules[from].parent?;
            let mut rest = rest;
            while rest.first().map(String::as_str) == Some("super") {
                module = tree.modules[module].parent?;
                rest = &rest[1..];
            }
            walk(tree, module, rest, hops)
        }
        _ => {
            // A path that does not start from a module: a name in scope here, or a crate.
            if tree.modules[from].binds(first) {
                walk(tree, from, segments, hops)
            } else {
                None
            }
        }
    }
}

/// Follows `segments` down from `module`: into child modules, through imports and globs, to
/// the module that defines the first item named.
fn walk(tree: &ModuleTree, module: ModuleId, segments: &[String], hops: usize) -> Option<Found> {
    let Some((name, rest)) = segments.split_first() else {
        return Some(Found::Module(module));
    };
    let here = &tree.modules[module];
    if let Some(&child) = here.children.get(name) {
        return walk(tree, child, rest, hops);
    }
    if here.items.contains(name) {
        return Some(Found::Item(module));
    }
    if let Some(path) = here.imports.get(name) {
        return match resolve(tree, module, path, hops + 1)? {
            Found::Module(target) => walk(tree, target, rest, hops + 1),
            item => Some(item),
        };
    }
    for glob in &here.globs {
        if let Some(Found::Module(source)) = resolve(tree, module, glob, hops + 1)
            && source != module
            && tree.modules[source].binds(name)
        {
            return walk(tree, source, segments, hops + 1);
        }
    }
    // Defined by a macro, a variant or an associated item: where it was looked up.
    Some(Found::Item(module))
}

/// Files that import each other, directly or round a longer loop (Tarjan's strongly
/// connected components of more than one file), each sorted, the groups sorted.
pub fn circles(references: &References) -> Vec<Vec<PathBuf>> {
    let files: BTreeSet<&PathBuf> = references
        .iter()
        .flat_map(|(from, tos)| std::iter::once(from).chain(tos.keys()))
        .collect();
    let index_of: BTreeMap<&PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (*file, index))
        .collect();
    let files: Vec<&PathBuf> = files.into_iter().collect();
    let edges: Vec<Vec<usize>> = files
        .iter()
        .map(|file| {
            references
                .get(*file)
                .map(|tos| tos.keys().map(|to| index_of[to]).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut groups: Vec<Vec<PathBuf>> = tarjan(&edges)
        .into_iter()
        .filter(|group| group.len() > 1)
        .map(|group| {
            let mut group: Vec<PathBuf> = group.into_iter().map(|i| files[i].clone()).collect();
            group.sort();
            group
        })
        .collect();
    groups.sort();
    groups
}

fn tarjan(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        next: usize,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        groups: Vec<Vec<usize>>,
    }
    fn connect(state: &mut State<'_>, node: usize) {
        state.index[node] = Some(state.next);
        state.low[node] = state.next;
        state.next += 1;
        state.stack.push(node);
        state.on_stack[node] = true;
        for &next in &state.edges[node] {
            match state.index[next] {
                None => {
                    connect(state, next);
                    state.low[node] = state.low[node].min(state.low[next]);
                }
                Some(index) if state.on_stack[next] => {
                    state.low[node] = state.low[node].min(index);
                }
                Some(_) => {}
            }
        }
        if Some(state.low[node]) == state.index[node] {
            let mut group = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack[member] = false;
                group.push(member);
                if member == node {
                    break;
                }
            }
            state.groups.push(group);
        }
    }
    let mut state = State {
        edges,
        next: 0,
        index: vec![None; edges.len()],
        low: vec![0; edges.len()],
        on_stack: vec![false; edges.len()],
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for node in 0..edges.len() {
        if state.index[node].is_none() {
            connect(&mut state, node);
        }
    }
    state.groups
}
