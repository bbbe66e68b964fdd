//! The module tree of one crate target, read from its source files: which file each module
//! lives in, what each module defines, and what its `use` items bring into scope.
//!
//! Only what resolving a path to the file that defines it needs is kept: item names (not
//! their kinds), `use` leaves and globs. Macros that generate items are not expanded; a name
//! a module neither defines nor imports is taken to be defined where it is looked up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::{Item, UseTree};

use crate::error::Error;

pub type ModuleId = usize;

/// One module: a file, or an inline `mod name { ... }` inside a file.
pub struct Module {
    pub file: PathBuf,
    pub parent: Option<ModuleId>,
    pub children: BTreeMap<String, ModuleId>,
    /// Names of items defined here (structs, functions, traits, consts, macros...).
    pub items: BTreeSet<String>,
    /// `use` leaves by the name they bind here, as written.
    pub imports: BTreeMap<String, Vec<String>>,
    /// `use path::*` sources, as written.
    pub globs: Vec<Vec<String>>,
}

impl Module {
    /// Whether `name` means something here: a child module, an item, or an import.
    pub fn binds(&self, name: &str) -> bool {
        self.children.contains_key(name)
            || self.items.contains(name)
            || self.imports.contains_key(name)
    }
}

/// Every module of one crate target, the first being the crate root.
pub struct ModuleTree {
    pub modules: Vec<Module>,
    /// Each file's syntax, once, with the module its top level belongs to.
    pub files: Vec<(ModuleId, syn::File)>,
}

impl ModuleTree {
    /// Reads the crate target whose root file is `root` (a `lib.rs`, `main.rs`, a test...).
    pub fn read(root: &Path) -> Result<Self, Error> {
        let mut tree = ModuleTree {
            modules: Vec::new(),
            files: Vec::new(),
        };
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        tree.read_file(root, None, dir)?;
        Ok(tree)
    }

    /// Reads one file as a module; `dir` is where its `mod name;` declarations are looked for.
    fn read_file(
        &mut self,
        file: &Path,
        parent: Option<ModuleId>,
        dir: PathBuf,
    ) -> Result<ModuleId, Error> {
        let text = std::fs::read_to_string(file).map_err(|error| Error::Source {
            what: format!("reading {}", file.display()),
            detail: error.to_string(),
        })?;
        let syntax = syn::parse_file(&text).map_err(|error| Error::Source {
            what: format!("parsing {}", file.display()),
            detail: error.to_string(),
        })?;
        let id = self.new_module(file, parent);
        self.read_items(id, &syntax.items, &dir)?;
        self.files.push((id, syntax));
        Ok(id)
    }

    fn new_module(&mut self, file: &Path, parent: Option<ModuleId>) -> ModuleId {
        self.modules.push(Module {
            file: file.to_path_buf(),
            parent,
            children: BTreeMap::new(),
            items: BTreeSet::new(),
            imports: BTreeMap::new(),
            globs: Vec::new(),
        });
        self.modules.len() - 1
    }

    fn read_items(&mut self, id: ModuleId, items: &[Item], dir: &Path) -> Result<(), Error> {
        for item in items {
            match item {
                Item::Mod(module) => {
                    let name = module.ident.to_string();
                    let child = match &module.content {
                        Some((_, inner)) => {
                            let file = self.modules[id].file.clone();
                            let child = self.new_module(&file, Some(id));
                            self.read_items(child, inner, &dir.join(&name))?;
                            child
                        }
                        None => {
                            let file = module_file(dir, &name, path_attribute(&module.attrs))?;
                            let child_dir = if is_directory_owner(&file) {
                                file.parent().unwrap_or(dir).to_path_buf()
                            } else {
                                file.with_extension("")
                            };
                            self.read_file(&file, Some(id), child_dir)?
                        }
                    };
                    self.modules[id].children.entry(name).or_insert(child);
                }
                Item::Use(item_use) => {
                    let mut leaves = Vec::new();
                    use_leaves(&item_use.tree, &mut Vec::new(), &mut leaves);
                    for leaf in leaves {
                        match leaf {
                            UseLeaf::Named { name, path } => {
                                self.modules[id].imports.insert(name, path);
                            }
                            UseLeaf::Glob(path) => self.modules[id].globs.push(path),
                        }
                    }
                }
                other => {
                    if let Some(name) = item_name(other) {
                        self.modules[id].items.insert(name);
                    }
                }
            }
        }
        Ok(())
    }
}

/// What one leaf of a `use` tree brings into scope.
pub enum UseLeaf {
    Named { name: String, path: Vec<String> },
    Glob(Vec<String>),
}

/// Flattens `use a::{b, c::d as e, f::*, self}` into its leaves.
pub fn use_leaves(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseLeaf>) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_leaves(&path.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(name) => {
            let ident = name.ident.to_string();
            if ident == "self" {
                if let Some(last) = prefix.last() {
                    out.push(UseLeaf::Named {
                        name: last.clone(),
                        path: prefix.clone(),
                    });
                }
            } else {
                let mut path = prefix.clone();
                path.push(ident.clone());
                out.push(UseLeaf::Named { name: ident, path });
            }
        }
        UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            let ident = rename.ident.to_string();
            if ident != "self" {
                path.push(ident);
            }
            out.push(UseLeaf::Named {
                name: rename.rename.to_string(),
                path,
            });
        }
        UseTree::Glob(_) => out.push(UseLeaf::Glob(prefix.clone())),
        UseTree::Group(group) => {
            for tree in &group.items {
                use_leaves(tree, prefix, out);
            }
        }
    }
}

fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::ExternCrate(item) => item
            .rename
            .as_ref()
            .map_or(&item.ident, |(_, rename)| rename),
        Item::Fn(item) => &item.sig.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        Item::Static(item) => &item.ident,
        Item::Struct(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::TraitAlias(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

fn path_attribute(attributes: &[syn::Attribute]) -> Option<String> {
    attributes.iter().find_map(|attribute| {
        let syn::Meta::NameValue(pair) = &attribute.meta else {
            return None;
        };
        if !pair.path.is_ident("path") {
            return None;
        }
        match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        }
    })
}

fn module_file(dir: &Path, name: &str, path: Option<String>) -> Result<PathBuf, Error> {
    let candidates = match path {
        Some(path) => vec![dir.join(path)],
        None => vec![
            dir.join(format!("{name}.rs")),
            dir.join(name).join("mod.rs"),
        ],
    };
    candidates
        .iter()
        .find(|file| file.is_file())
        .cloned()
        .ok_or_else(|| Error::Source {
            what: format!("finding module `{name}` in {}", dir.display()),
            detail: "neither name.rs nor name/mod.rs exists".into(),
        })
}

/// Whether a file's `mod name;` declarations live beside it (`mod.rs`, crate roots) rather
/// than in a folder named after it.
fn is_directory_owner(file: &Path) -> bool {
    matches!(
        file.file_name().and_then(|name| name.to_str()),
        Some("mod.rs" | "lib.rs" | "main.rs")
    )
}
