//! `cargo xtask codegen`: a spec (and, for events, a webhooks spec) generated into a crate's
//! folder, then written with the regeneration report, or checked.
//!
//! Every crate is generated the same way. A folder whose `src/lib.rs` is hand-written
//! (`clerk-sdk`) gets the generated modules and docs; any other gets a whole crate, with its
//! `Cargo.toml` and `src/lib.rs`, naming the runtime as the maintainer chose.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::workspace::{self, RUNTIME_DIR};
use crate::{Flags, diff, display_path, overlays};

/// The default spec, relative to the workspace root.
const DEFAULT_SPEC: &str = "spec/phone_numbers.yaml";
/// The default output folder (the crate the generated paths are relative to), relative to the
/// workspace root.
const DEFAULT_OUT: &str = "clerk-sdk";
/// Clerk's webhooks spec, whose events `clerk-sdk` gets beside the operations of `DEFAULT_SPEC`.
const WEBHOOKS_SPEC: &str = "spec/webhooks.yaml";
/// How generated files begin, in Rust, Markdown and TOML.
const GENERATED_MARKERS: [&str; 3] = ["// @generated", "<!-- @generated", "# @generated"];

/// The flags `codegen` takes a value for.
pub(crate) const VALUED: [&str; 8] = [
    "--spec",
    "--out",
    "--crate-name",
    "--overlay",
    "--webhooks",
    "--runtime-path",
    "--runtime-git",
    "--runtime-rev",
];
/// The flags `codegen` takes alone.
pub(crate) const SWITCHES: [&str; 2] = ["--check", "--deny-warnings"];

/// A spec with its overlays applied, read for this generation.
struct Spec {
    label: String,
    shown: String,
    text: String,
    overlays: Vec<codegen::overlay::Overlay>,
}

/// `cargo xtask codegen`: generates, then writes (with the regeneration report) or checks.
pub(crate) fn run(flags: &Flags) -> Result<ExitCode> {
    let started = Instant::now();
    let root = workspace::root();
    let defaults = flags.value("--spec").is_none();
    let spec_path = flags
        .value("--spec")
        .map_or_else(|| root.join(DEFAULT_SPEC), PathBuf::from);
    let out_dir = flags
        .value("--out")
        .map_or_else(|| root.join(DEFAULT_OUT), PathBuf::from);
    let deny = flags.switch("--deny-warnings");
    let spec = read(root, &spec_path, &flags.values("--overlay"), deny)?;
    let events_path = match flags.value("--webhooks") {
        Some(path) => Some(PathBuf::from(path)),
        None => defaults.then(|| root.join(WEBHOOKS_SPEC)),
    };
    let events = events_path.map(|path| read(root, &path, &[], deny)).transpose()?;
    let config = config(flags, root, &out_dir, &spec)?;
    let events_spec = events.as_ref().map(|events| codegen::EventsSpec {
        label: &events.label,
        text: &events.text,
    });
    let mut generated = codegen::generate_with_events(&spec.text, events_spec, &config)
        .with_context(|| format!("cannot generate from {}", spec.shown))?;
    report_warnings(&generated, &spec, events.as_ref(), deny)?;
    // The spec itself goes beside the code, so the next generation can say what changed.
    let mut files = std::mem::take(&mut generated.files);
    files.push(codegen::GeneratedFile {
        path: diff::SPEC_COPY.to_owned(),
        contents: diff::spec_copy(&spec.label, &spec.text),
    });
    if flags.switch("--check") {
        return check_files(&out_dir, &files);
    }
    // A previous spec this generator can no longer read must not stop the regeneration.
    let change = diff::report_regeneration(&out_dir, &spec.label, &spec.text, &generated.api).unwrap_or_else(|error| {
        eprintln!("warning: no change report: {error:#}");
        None
    });
    let written = write_files(&out_dir, &files)?;
    print_summary(
        &generated,
        &config,
        &spec,
        events.as_ref(),
        (written, files.len()),
        started,
    );
    if let Some(change) = change {
        println!("{change}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the spec at `path` with its overlays; with `deny`, an overlay's warning is an error.
fn read(root: &Path, path: &Path, given: &[&str], deny: bool) -> Result<Spec> {
    let overlaid = overlays::overlaid_spec(root, path, given)?;
    print_warnings(&overlaid.warnings, &overlaid.label, deny)?;
    Ok(Spec {
        label: overlaid.label,
        shown: overlaid.shown,
        text: overlaid.text,
        overlays: overlaid.overlays,
    })
}

/// Prints the warnings of the API's spec and of the webhooks spec; with `deny`, any is an
/// error.
fn report_warnings(generated: &codegen::Generated, spec: &Spec, events: Option<&Spec>, deny: bool) -> Result<()> {
    print_warnings(&generated.warnings, &spec.label, deny)?;
    if let (Some(lowered), Some(events)) = (&generated.events, events) {
        print_warnings(&lowered.warnings, &events.label, deny)?;
    }
    Ok(())
}

/// Prints each warning; with `deny`, any warning is an error.
fn print_warnings(warnings: &[codegen::Warning], spec_label: &str, deny: bool) -> Result<()> {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    if deny && !warnings.is_empty() {
        bail!(
            "{spec_label} gave {} warnings, and --deny-warnings makes them errors",
            warnings.len()
        );
    }
    Ok(())
}

/// What a generation that wrote its files prints: the events, the API, the overlays.
fn print_summary(
    generated: &codegen::Generated,
    config: &codegen::Config,
    spec: &Spec,
    events: Option<&Spec>,
    (written, total): (usize, usize),
    started: Instant,
) {
    if let (Some(lowered), Some(events)) = (&generated.events, events) {
        println!(
            "codegen: {} webhook events, {} types, from {}",
            lowered.api.webhooks.len(),
            lowered.api.types.len(),
            events.label
        );
    }
    let crate_note = match &config.manifest {
        Some(_) => format!(" as crate `{}`", config.package_name),
        None => String::new(),
    };
    let warnings = generated.warnings.len() + generated.events.as_ref().map_or(0, |events| events.warnings.len());
    println!(
        "codegen: {}/{} operations, {} types, {warnings} warnings, {written} files written ({} unchanged){crate_note} in {} ms",
        generated.api.operation_count(),
        generated.spec_operations,
        generated.api.types.len(),
        total - written,
        started.elapsed().as_millis()
    );
    for overlay in spec
        .overlays
        .iter()
        .chain(events.iter().flat_map(|events| &events.overlays))
    {
        println!("overlay applied: {} ({})", overlay.label, overlay.title);
    }
}

/// The generator's settings: into a crate with a hand-written `src/lib.rs` (its modules only,
/// named as its `Cargo.toml` says), or else a whole crate named by `--crate-name`, whose
/// `Cargo.toml` names the runtime as `--runtime-path` or `--runtime-git` say (by version
/// otherwise).
fn config(flags: &Flags, root: &Path, out_dir: &Path, spec: &Spec) -> Result<codegen::Config> {
    let whole = !has_hand_written_lib(out_dir);
    let runtime_flags = ["--runtime-path", "--runtime-git", "--runtime-rev", "--crate-name"];
    if !whole && let Some(flag) = runtime_flags.iter().find(|flag| flags.value(flag).is_some()) {
        bail!(
            "{flag} is for a crate generated whole, but {} has a hand-written src/lib.rs and Cargo.toml",
            display_path(out_dir)
        );
    }
    let package_name = match flags.value("--crate-name") {
        Some(name) => crate_name(name)?,
        None if whole => default_crate_name(&spec.text),
        None => workspace::package_name(out_dir).with_context(|| {
            format!(
                "{} has a src/lib.rs but no package name in its Cargo.toml",
                display_path(out_dir)
            )
        })?,
    };
    let manifest = whole.then(|| manifest(flags, root, out_dir)).transpose()?;
    Ok(codegen::Config {
        spec_label: spec.label.clone(),
        package_name,
        manifest,
        ..codegen::Config::default()
    })
}

/// How a whole crate's `Cargo.toml` names the runtime.
fn manifest(flags: &Flags, root: &Path, out_dir: &Path) -> Result<codegen::Manifest> {
    let (runtime_version, rust_version) = workspace::runtime_versions(root)?;
    let runtime_source = match (flags.value("--runtime-path"), flags.value("--runtime-git")) {
        (Some(_), Some(_)) => bail!("--runtime-path and --runtime-git name two runtimes; give one"),
        (Some(path), None) => {
            let path = Path::new(path);
            if !path.join("Cargo.toml").is_file() {
                bail!(
                    "--runtime-path {}: no Cargo.toml there (the runtime is {RUNTIME_DIR} of a checkout)",
                    path.display()
                );
            }
            codegen::RuntimeSource::Path(workspace::relative(path, out_dir)?)
        }
        (None, Some(url)) => codegen::RuntimeSource::Git {
            url: url.to_owned(),
            rev: flags.value("--runtime-rev").map(str::to_owned),
        },
        (None, None) if flags.value("--runtime-rev").is_some() => bail!("--runtime-rev needs --runtime-git"),
        (None, None) => codegen::RuntimeSource::Registry,
    };
    Ok(codegen::Manifest {
        runtime_version,
        runtime_source,
        rust_version,
        license: None,
    })
}

/// The package name of a crate generated whole without `--crate-name`: its spec's
/// `info.title` in kebab case (`Clerk Frontend API` gives `clerk-frontend-api`), so that crates
/// generated from different APIs never share a name, which would make cargo take one for the
/// other in a shared target folder. `clerk-api` when the title gives no name.
fn default_crate_name(spec_text: &str) -> String {
    let spec: Option<serde_yaml::Value> = serde_yaml::from_str(spec_text).ok();
    let title = spec
        .as_ref()
        .and_then(|spec| spec.get("info")?.get("title")?.as_str())
        .unwrap_or_default();
    let lowered: String = (title.chars())
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let words: Vec<&str> = lowered.split('-').filter(|word| !word.is_empty()).collect();
    match words.first() {
        Some(first) if first.starts_with(|c: char| c.is_ascii_alphabetic()) => words.join("-"),
        Some(_) => format!("api-{}", words.join("-")),
        None => "clerk-api".to_owned(),
    }
}

/// `name` if Cargo accepts it as a package name that is also a Rust library name once `-` is
/// `_`: ASCII letters, digits, `-` and `_`, not starting with a digit or `-`.
fn crate_name(name: &str) -> Result<String> {
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !valid {
        bail!(
            "--crate-name `{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        );
    }
    Ok(name.to_owned())
}

/// `--check`: nothing is written; each stale file is named with the command that fixes it.
fn check_files(out_dir: &Path, files: &[codegen::GeneratedFile]) -> Result<ExitCode> {
    let stale = stale_files(out_dir, files)?;
    if stale.is_empty() {
        println!("codegen --check: {} files are up to date", files.len());
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &stale {
        eprintln!("{problem}; run `cargo xtask codegen` to update it");
    }
    Ok(ExitCode::FAILURE)
}

/// Whether `out_dir` is a crate with its own, hand-written `src/lib.rs` (such as `clerk-sdk`),
/// into which only the generated modules and docs go.
fn has_hand_written_lib(out_dir: &Path) -> bool {
    std::fs::read_to_string(out_dir.join("src/lib.rs"))
        .is_ok_and(|text| !GENERATED_MARKERS.iter().any(|marker| text.starts_with(marker)))
}

/// Writes files whose contents changed and removes generated files the spec no longer
/// produces. Returns how many files were written.
fn write_files(out_dir: &Path, files: &[codegen::GeneratedFile]) -> Result<usize> {
    let mut written = 0;
    for file in files {
        let path = out_dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", display_path(parent)))?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).with_context(|| format!("cannot write {}", display_path(&path)))?;
            written += 1;
        }
    }
    for orphan in orphans(out_dir, files)? {
        std::fs::remove_file(&orphan).with_context(|| format!("cannot remove {}", display_path(&orphan)))?;
    }
    Ok(written)
}

/// One message per generated file that is missing, differs, or should no longer exist.
fn stale_files(out_dir: &Path, files: &[codegen::GeneratedFile]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in files {
        let path = out_dir.join(&file.path);
        match std::fs::read_to_string(&path) {
            Ok(current) if current == file.contents => {}
            Ok(_) => problems.push(format!("{} is stale", display_path(&path))),
            Err(_) => problems.push(format!("{} is missing", display_path(&path))),
        }
    }
    for orphan in orphans(out_dir, files)? {
        problems.push(format!("{} is no longer generated", display_path(&orphan)));
    }
    Ok(problems)
}

/// Files that carry the `@generated` header, in the folders the generator writes to, but are
/// not in `files`.
fn orphans(out_dir: &Path, files: &[codegen::GeneratedFile]) -> Result<Vec<PathBuf>> {
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| out_dir.join(&f.path)).collect();
    let folders: BTreeSet<PathBuf> = expected
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let mut found = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot list {}", display_path(&folder)))?
                .path();
            let generated = std::fs::read_to_string(&path)
                .is_ok_and(|text| GENERATED_MARKERS.iter().any(|marker| text.starts_with(marker)));
            if generated && !expected.contains(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_crate_name_comes_from_the_spec_title() {
        let name =
            |title: &str| default_crate_name(&format!("openapi: 3.0.3\ninfo: {{title: '{title}', version: '1'}}\n"));
        assert_eq!(name("Clerk Backend API"), "clerk-backend-api");
        assert_eq!(name("Clerk Frontend API"), "clerk-frontend-api");
        assert_eq!(name("  Things & more (v2) "), "things-more-v2");
        assert_eq!(name("2FA service"), "api-2fa-service");
        assert_eq!(name("Ünïcode"), "n-code");
        assert_eq!(name("!!!"), "clerk-api");
        assert_eq!(default_crate_name("not: [yaml"), "clerk-api");
        for title in ["Clerk Backend API", "2FA service", "Ünïcode"] {
            assert!(crate_name(&name(title)).is_ok(), "{title}");
        }
    }
}
