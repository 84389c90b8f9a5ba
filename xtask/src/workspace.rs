//! Where the checkout is, found when the command runs, and what its manifests say.
//!
//! The root is never taken from when xtask was compiled (`env!("CARGO_MANIFEST_DIR")`): with a
//! `CARGO_TARGET_DIR` shared between checkouts, cargo reuses one checkout's xtask binary in
//! another, and a compiled-in path would make `cargo xtask codegen` read and write the other
//! checkout.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};

/// The checkout's root, found once by [`init`].
static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// The runtime crate's folder, relative to the root.
pub(crate) const RUNTIME_DIR: &str = "clerk-sdk/runtime";

/// Finds the checkout's root and keeps it for [`root`]: the folder of the package `cargo run`
/// started (cargo sets `CARGO_MANIFEST_DIR` for the process it runs, to this checkout's
/// `xtask/`), else the nearest folder above the current one whose `Cargo.toml` has a
/// `[workspace]` with an `xtask/` folder beside it.
///
/// # Errors
///
/// When neither leads to a checkout.
pub(crate) fn init() -> Result<&'static Path> {
    if let Some(root) = ROOT.get() {
        return Ok(root);
    }
    let from_cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|xtask| xtask.parent().map(Path::to_path_buf))
        .filter(|root| is_checkout(root));
    let root = match from_cargo {
        Some(root) => root,
        None => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            match cwd.ancestors().find(|folder| is_checkout(folder)) {
                Some(root) => root.to_path_buf(),
                None => bail!(
                    "{} is not inside a clerk-sdk-rs checkout (no Cargo.toml with a [workspace] and an xtask/ folder above it); run `cargo xtask` from the checkout",
                    cwd.display()
                ),
            }
        }
    };
    Ok(ROOT.get_or_init(|| root))
}

/// The checkout's root. [`init`] must have found it; before that, the current folder.
pub(crate) fn root() -> &'static Path {
    ROOT.get().map_or(Path::new("."), PathBuf::as_path)
}

/// Whether `folder` is a checkout's root: a workspace manifest with `xtask/` beside it.
fn is_checkout(folder: &Path) -> bool {
    folder.join("xtask/Cargo.toml").is_file()
        && std::fs::read_to_string(folder.join("Cargo.toml")).is_ok_and(|manifest| manifest.contains("[workspace]"))
}

/// A manifest, parsed.
fn manifest(path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.parse::<toml::Table>()
        .with_context(|| format!("{} is not valid TOML", path.display()))
}

/// The string at `keys` in `table`.
fn string_at<'a>(table: &'a toml::Table, keys: &[&str]) -> Option<&'a str> {
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(*key)?.as_table()?;
    }
    current.get(*last)?.as_str()
}

/// The runtime's version and the workspace's `rust-version`, which a generated crate asks for.
pub(crate) fn runtime_versions(root: &Path) -> Result<(String, String)> {
    let runtime = manifest(&root.join(RUNTIME_DIR).join("Cargo.toml"))?;
    let version = string_at(&runtime, &["package", "version"])
        .context("the runtime's Cargo.toml has no package.version")?
        .to_owned();
    let workspace = manifest(&root.join("Cargo.toml"))?;
    let rust_version = string_at(&workspace, &["workspace", "package", "rust-version"])
        .context("the workspace's Cargo.toml has no workspace.package.rust-version")?
        .to_owned();
    Ok((version, rust_version))
}

/// The package name in `dir/Cargo.toml`, if there is one.
pub(crate) fn package_name(dir: &Path) -> Option<String> {
    let manifest = manifest(&dir.join("Cargo.toml")).ok()?;
    string_at(&manifest, &["package", "name"]).map(str::to_owned)
}

/// `target` as a path relative to the folder `from`, with `/` separators, so a generated
/// `Cargo.toml` names the runtime the same way on every machine. Both are made absolute first
/// (`from` may not exist yet).
pub(crate) fn relative(target: &Path, from: &Path) -> Result<String> {
    let target = absolute(target)?;
    let from = absolute(from)?;
    let relative = pathdiff::diff_paths(&target, &from)
        .with_context(|| format!("{} cannot be named from {}", target.display(), from.display()))?;
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// `path` made absolute, and resolved through symbolic links as far as it exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    // Canonicalize the part that exists, so `..` and links resolve as the file system does.
    let existing = absolute
        .ancestors()
        .find(|ancestor| ancestor.exists())
        .unwrap_or(&absolute);
    let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
    let base = existing
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", existing.display()))?;
    Ok(base.join(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_up_and_down_with_slashes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = dir.path().join("checkout/clerk-sdk/runtime");
        std::fs::create_dir_all(&runtime).expect("creates");
        let out = dir.path().join("generated/bapi");
        assert_eq!(
            relative(&runtime, &out).expect("relative"),
            "../../checkout/clerk-sdk/runtime"
        );
        assert_eq!(relative(&runtime, &runtime).expect("relative"), ".");
        let inside = dir.path().join("checkout/target/bapi");
        assert_eq!(
            relative(&runtime, &inside).expect("relative"),
            "../../clerk-sdk/runtime"
        );
    }

    #[test]
    fn the_root_is_the_checkout_with_a_workspace_and_an_xtask() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!is_checkout(dir.path()));
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("writes");
        assert!(!is_checkout(dir.path()), "no xtask/ beside it");
        std::fs::create_dir(dir.path().join("xtask")).expect("creates");
        std::fs::write(dir.path().join("xtask/Cargo.toml"), "[package]\nname = \"xtask\"\n").expect("writes");
        assert!(is_checkout(dir.path()));
    }
}
