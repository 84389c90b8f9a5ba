//! `cargo xtask diff`, and the change report `cargo xtask codegen` makes when it regenerates:
//! what a new spec changes for users of the generated crate.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use codegen::diff::Diff;

use crate::{Flags, read_spec};

/// The copy of the spec a crate was generated from, which the next generation compares with.
pub const SPEC_COPY: &str = "openapi.yaml";
/// The changelog the report goes into, in the crate's folder.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// The lowered model of a spec's text.
fn lower(text: &str, label: &str) -> Result<codegen::model::Api> {
    let config = codegen::Config {
        spec_label: label.to_owned(),
        ..codegen::Config::default()
    };
    let generated = codegen::generate(text, &config).with_context(|| format!("cannot read {label}"))?;
    Ok(generated.api)
}

/// The file name of a path, as reports name specs.
fn name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// `cargo xtask diff --from OLD --to NEW [--format markdown|json] [--deny-breaking]`.
pub fn run(flags: &Flags) -> Result<ExitCode> {
    let (Some(from), Some(to)) = (flags.value("--from"), flags.value("--to")) else {
        bail!("diff needs --from and --to\n{}", crate::USAGE);
    };
    let (from, to) = (Path::new(from), Path::new(to));
    let old = lower(&read_spec(from, &from.display().to_string())?, &name(from))?;
    let new = lower(&read_spec(to, &to.display().to_string())?, &name(to))?;
    let diff = Diff::new(name(from), &old, name(to), &new);
    match flags.value("--format").unwrap_or("markdown") {
        "markdown" => print!("{}", diff.markdown()),
        "json" => print!("{}", diff.json()),
        other => bail!("--format {other}: expected markdown or json"),
    }
    if flags.switch("--deny-breaking") && diff.breaking > 0 {
        eprintln!(
            "error: {} breaking, and --deny-breaking makes that a failure",
            diff.breaking
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares the spec copy in `out_dir` (from the last generation, if any) with `new_text`, and
/// when something changed for users, puts the report at the top of the crate's changelog.
/// Returns the line to print.
pub fn report_regeneration(out_dir: &Path, new_label: &str, new_text: &str) -> Result<Option<String>> {
    let copy = out_dir.join(SPEC_COPY);
    let Ok(previous) = std::fs::read_to_string(&copy) else {
        return Ok(None); // The first generation: nothing to compare with.
    };
    let old_label = previous
        .lines()
        .next()
        .and_then(|line| line.split(" from ").nth(1))
        .and_then(|rest| rest.split(". ").next())
        .unwrap_or("the previous spec")
        .to_owned();
    let old = lower(&previous, &old_label)?;
    let new = lower(new_text, new_label)?;
    // The path is often the same file, overwritten: the versions tell the specs apart.
    let (old_label, new_label) = (
        format!("{old_label} {}", old.version),
        format!("{new_label} {}", new.version),
    );
    let diff = Diff::new(old_label, &old, new_label, &new);
    if diff.is_empty() {
        return Ok(Some("api: no change for users of the crate".to_owned()));
    }
    let changelog_path = out_dir.join(CHANGELOG);
    let changelog = std::fs::read_to_string(&changelog_path).ok();
    let updated = codegen::diff::add_to_changelog(changelog.as_deref(), &diff.changelog_entry());
    std::fs::write(&changelog_path, updated).with_context(|| format!("writing {}", changelog_path.display()))?;
    Ok(Some(format!("api: {} (added to {CHANGELOG})", diff.summary())))
}
