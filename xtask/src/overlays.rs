//! Which overlays a generation applies: those in `spec/overlays/` whose `extends` names the
//! spec's file, in file-name order, then each `--overlay FILE`, in the order given.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use codegen::overlay::Overlay;

use crate::display_path;

/// A spec as a generation reads it: with its overlays applied.
pub(crate) struct Overlaid {
    /// How generated headers name it: the spec's path, with the overlays' (see
    /// [`crate::file_label`]).
    pub(crate) label: String,
    /// How messages name it: the spec's path as given.
    pub(crate) shown: String,
    /// The overlaid spec.
    pub(crate) text: String,
    /// The overlays applied, in order.
    pub(crate) overlays: Vec<Overlay>,
    /// The overlays' warnings (actions that selected nothing).
    pub(crate) warnings: Vec<codegen::Warning>,
}

/// Reads the spec at `spec_path` and applies its overlays ([`for_spec`]).
pub(crate) fn overlaid_spec(root: &Path, spec_path: &Path, given: &[&str]) -> Result<Overlaid> {
    let overlays = for_spec(root, spec_path, given)?;
    let spec_file = display_path(spec_path);
    let raw = crate::read_spec(spec_path, &spec_file)?;
    let (text, warnings) = codegen::overlay::apply_all(&raw, &overlays)
        .with_context(|| format!("cannot apply the overlays to {spec_file}"))?;
    Ok(Overlaid {
        label: label(&crate::file_label(spec_path), &overlays),
        shown: spec_file.clone(),
        text,
        overlays,
        warnings,
    })
}

/// The folder of the overlays applied by default.
pub(crate) const OVERLAY_DIR: &str = "spec/overlays";

/// The overlays for the spec at `spec_path`, read and checked.
fn for_spec(root: &Path, spec_path: &Path, given: &[&str]) -> Result<Vec<Overlay>> {
    let file_name = spec_path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let mut overlays = Vec::new();
    for path in default_overlays(&root.join(OVERLAY_DIR))? {
        let overlay = read(&path)?;
        if overlay.extends_file(file_name) {
            overlays.push(overlay);
        }
    }
    for path in given {
        overlays.push(read(Path::new(path))?);
    }
    Ok(overlays)
}

/// The `.yaml`, `.yml` and `.json` files of `dir`, sorted; none if it does not exist.
fn default_overlays(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let extension = path.extension().and_then(|e| e.to_str());
            matches!(extension, Some("yaml" | "yml" | "json"))
        })
        .collect();
    paths.sort();
    Ok(paths)
}

fn read(path: &Path) -> Result<Overlay> {
    let shown = display_path(path);
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the overlay {shown}"))?;
    Overlay::parse(&text, &crate::file_label(path)).with_context(|| format!("cannot read the overlay {shown}"))
}

/// How a generated file's header names a spec with its overlays:
/// `spec/upstream/x.yml with spec/overlays/x.yaml`.
fn label(spec_label: &str, overlays: &[Overlay]) -> String {
    let names: Vec<&str> = overlays.iter().map(|overlay| overlay.label.as_str()).collect();
    if names.is_empty() {
        spec_label.to_owned()
    } else {
        format!("{spec_label} with {}", names.join(", "))
    }
}
