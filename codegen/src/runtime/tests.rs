//! The table held against the runtime's exports, and against the emitters.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::{Item, UseTree, Visibility};

use super::{ALL, FEATURE_REEXPORTS, REEXPORTS, RUNTIME_CRATE};

/// The names each module of a parsed crate root exports, by module path (`""` for the root,
/// `"__private::testing"` for a module in a module).
type Exports = BTreeMap<String, BTreeSet<String>>;

/// What `clerk-sdk/runtime/src/lib.rs` exports, module by module.
fn runtime_exports() -> Exports {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../clerk-sdk/runtime/src/lib.rs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut exports = Exports::new();
    collect(&file.items, "", &mut exports);
    exports
}

/// Adds the names `items`, the items of module `module`, export.
fn collect(items: &[Item], module: &str, exports: &mut Exports) {
    let mut add = |name: String| exports.entry(module.to_owned()).or_default().insert(name);
    let mut nested = Vec::new();
    for item in items {
        match item {
            Item::Use(item) if is_pub(&item.vis) => use_names(&item.tree, &mut add),
            Item::Mod(item) if is_pub(&item.vis) => {
                add(item.ident.to_string());
                if let Some((_, content)) = &item.content {
                    nested.push((item.ident.to_string(), content));
                }
            }
            Item::Macro(item) if item.attrs.iter().any(|a| a.path().is_ident("macro_export")) => {
                if let Some(name) = &item.ident {
                    add(name.to_string());
                }
            }
            Item::Struct(item) if is_pub(&item.vis) => drop(add(item.ident.to_string())),
            Item::Enum(item) if is_pub(&item.vis) => drop(add(item.ident.to_string())),
            Item::Fn(item) if is_pub(&item.vis) => drop(add(item.sig.ident.to_string())),
            _ => {}
        }
    }
    for (name, content) in nested {
        let path = if module.is_empty() {
            name
        } else {
            format!("{module}::{name}")
        };
        collect(content, &path, exports);
    }
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

/// The names a `use` tree brings in.
fn use_names(tree: &UseTree, add: &mut impl FnMut(String) -> bool) {
    match tree {
        UseTree::Path(path) => use_names(&path.tree, add),
        UseTree::Name(name) => drop(add(name.ident.to_string())),
        UseTree::Rename(rename) => drop(add(rename.rename.to_string())),
        UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, add)),
        UseTree::Glob(_) => {}
    }
}

/// A table path as the runtime's module and item: `("__private::testing", "json_body")`; the
/// crate's re-exports (`crate::Nullable`) are the runtime's root items.
fn in_runtime(path: &str) -> (&str, &str) {
    let inside = path
        .strip_prefix(&format!("::{RUNTIME_CRATE}::"))
        .or_else(|| path.strip_prefix("crate::"))
        .unwrap_or_else(|| panic!("`{path}` starts neither at the runtime nor at the crate root"));
    inside.rsplit_once("::").unwrap_or(("", inside))
}

#[test]
fn every_runtime_path_is_exported_by_the_runtime() {
    let exports = runtime_exports();
    let missing: Vec<&str> = ALL
        .iter()
        .map(|path| path.as_str())
        .filter(|path| {
            let (module, name) = in_runtime(path);
            !exports.get(module).is_some_and(|names| names.contains(name))
        })
        .collect();
    assert!(missing.is_empty(), "the runtime does not export {missing:?}");
    let root = &exports[""];
    let not_exported: Vec<&&str> = REEXPORTS
        .iter()
        .chain(FEATURE_REEXPORTS)
        .filter(|name| !root.contains(**name))
        .collect();
    assert!(
        not_exported.is_empty(),
        "the runtime's root does not export {not_exported:?}"
    );
}

#[test]
fn every_crate_path_is_a_reexport() {
    for path in ALL {
        if let Some(inside) = path.as_str().strip_prefix("crate::") {
            assert!(
                REEXPORTS.contains(&inside),
                "`{inside}` is named by generated code but not re-exported"
            );
        } else {
            assert!(
                path.as_str().starts_with(&format!("::{RUNTIME_CRATE}::__private::")),
                "`{}` is neither a re-export nor in the runtime's `__private`",
                path.as_str()
            );
        }
    }
}

#[test]
fn a_path_of_the_table_is_checked_against_the_exports() {
    // The check above must fail for a path the runtime does not have.
    let exports = runtime_exports();
    assert!(!exports["__private"].contains("NotARuntimeItem"));
    assert!(exports["__private::testing"].contains("json_body"));
    assert!(exports["__private"].contains("modeled_struct"), "renamed macros count");
    assert_eq!(
        in_runtime("::clerk_sdk_runtime::__private::testing::json_body"),
        ("__private::testing", "json_body")
    );
    assert_eq!(in_runtime("crate::Nullable"), ("", "Nullable"));
}

#[test]
fn no_emitter_writes_a_runtime_path_of_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.starts_with(src.join("runtime"))
                && path != src.join("runtime.rs")
            {
                let text = std::fs::read_to_string(&path).expect("a source file");
                for (number, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if !code.starts_with("//") && (code.contains("__private") || code.contains(RUNTIME_CRATE)) {
                        offenders.push(format!("{}:{}: {code}", path.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "runtime paths outside the table:\n{}",
        offenders.join("\n")
    );
}
