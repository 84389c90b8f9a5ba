//! `cargo xtask`: the maintainer's commands.
//!
//! ```text
//! cargo xtask codegen [--check] [--spec PATH] [--out DIR]
//! cargo xtask slice --from PATH --paths GLOB[,GLOB...] --out PATH [--check]
//! cargo xtask diff --from OLD --to NEW [--format markdown|json] [--deny-breaking]
//! cargo xtask build-cost [--rounds N] [--scratch DIR]
//! ```

// The generator builds and drops a great many small values (token streams, syn trees, strings):
// with the system allocator, malloc and free were about 30% of its cycles. mimalloc takes the
// whole Backend API's regeneration with its report from 291 ms to 211 ms (release, hyperfine,
// BENCHMARKS.md section 3). Only the maintainer's tool uses it; the SDK does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

mod build_cost;
mod contract;
mod diff;
mod overlays;
mod probe;

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--deny-warnings] [--spec PATH] [--out DIR] [--crate-name NAME]
                     [--overlay FILE]...
      Regenerate clerk-sdk's src/generated/ and docs/ from spec/phone_numbers.yaml.
      With --spec and --out, generate from any spec into the crate folder DIR: into its
      src/generated/ and docs/ if DIR has a hand-written src/lib.rs, otherwise as a complete
      crate (Cargo.toml and src/lib.rs included, package NAME, by default the spec's
      info.title in kebab case, such as clerk-frontend-api) that
      depends on clerk-sdk by path.
      With --check, write nothing and exit 1 if any generated file is stale.
      The spec is kept beside the code as openapi.yaml; when it differs from the one
      there, the change report (as `cargo xtask diff` makes it) goes to the top of the
      crate's CHANGELOG.md, and its summary is printed.
      Every warning (a construct the generator went past) is printed and counted; with
      --deny-warnings, any warning fails the run before anything is written.
      Before anything else, OpenAPI Overlays (1.0) are applied to the spec: each file in
      spec/overlays/ whose `extends` names the spec's file, then each --overlay FILE, in
      order. The kept openapi.yaml, the change report and --check all see the overlaid
      spec, and the generated files' headers name the overlays.
  cargo xtask contract
      Install the pinned Prism (xtask/contract/) into target/prism with npm, start it on a
      free loopback port as a validating mock of spec/phone_numbers.yaml, run the contract
      tests against it, and stop it; then the same for a crate generated from the Frontend
      API (spec/upstream/fapi-2025-11-10.yml) into target/contract/, with
      tests/contract/fapi-2025-11-10.rs as its test; then probe every operation of a crate
      generated from each spec in spec/upstream/ (target/contract/probe/) against Prism
      serving that spec's responses, in dynamic and in static mode, with
      tests/contract/probe.rs, which says what fails.
  cargo xtask slice --from PATH --paths GLOB[,GLOB...] --out PATH [--check]
      Cut the given paths, and every component they reference, out of a full spec.
      With --check, write nothing and exit 1 if PATH differs from what would be written.
  cargo xtask diff --from OLD --to NEW [--format markdown|json] [--deny-breaking]
      Compare two specs as the generator reads them, and report what the new one changes
      for users of the generated crate, each change classified breaking or additive and
      tied to its JSON pointer; the last line is the summary. With --deny-breaking, exit 2
      if anything is breaking.
  cargo xtask build-cost [--rounds N] [--scratch DIR]
      Time clean debug builds of clerk-sdk with each TLS option and without TLS, side by
      side in N rounds (default 3), each in an empty target folder under DIR (default
      target/build-cost), and print the table BENCHMARKS.md shows.";

/// The default spec, relative to the workspace root.
const DEFAULT_SPEC: &str = "spec/phone_numbers.yaml";
/// The default output folder (the crate the generated paths are relative to), relative to the
/// workspace root.
const DEFAULT_OUT: &str = "clerk-sdk";
/// Clerk's webhooks spec, whose events `clerk-sdk` gets beside the operations of `DEFAULT_SPEC`.
const WEBHOOKS_SPEC: &str = "spec/webhooks.yaml";
/// The largest spec read, so a wrong path (a disk image, a log) is refused instead of being read
/// into memory; Clerk's whole spec is under 1 MiB.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;
/// How generated files begin, in Rust and in Markdown.
const GENERATED_MARKERS: [&str; 3] = ["// @generated", "<!-- @generated", "# @generated"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    match command.as_str() {
        "codegen" => codegen(&Flags::parse(
            rest,
            &["--spec", "--out", "--crate-name", "--overlay"],
            &["--check", "--deny-warnings"],
        )?),
        "slice" => slice(&Flags::parse(rest, &["--from", "--paths", "--out"], &["--check"])?),
        "diff" => diff::run(&Flags::parse(
            rest,
            &["--from", "--to", "--format"],
            &["--deny-breaking"],
        )?),
        "build-cost" => {
            let flags = Flags::parse(rest, &["--rounds", "--scratch"], &[])?;
            let root = workspace_root();
            let rounds = match flags.value("--rounds") {
                Some(text) => text.parse().with_context(|| format!("--rounds {text}: not a count"))?,
                None => 3,
            };
            let scratch = flags
                .value("--scratch")
                .map_or_else(|| root.join("target/build-cost"), PathBuf::from);
            build_cost::run(&root, &scratch, rounds)?;
            Ok(ExitCode::SUCCESS)
        }
        "contract" => {
            Flags::parse(rest, &[], &[])?;
            contract::run(&workspace_root())
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

/// Parsed `--flag value` and `--switch` arguments.
struct Flags {
    values: Vec<(String, String)>,
    switches: Vec<String>,
}

impl Flags {
    fn parse(args: &[String], valued: &[&str], switches: &[&str]) -> Result<Self> {
        let mut flags = Flags {
            values: Vec::new(),
            switches: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            if valued.contains(&name) {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().with_context(|| format!("`{name}` needs a value"))?.clone(),
                };
                flags.values.push((name.to_owned(), value));
            } else if switches.contains(&name) && inline.is_none() {
                flags.switches.push(name.to_owned());
            } else {
                bail!("unexpected argument `{arg}`\n{USAGE}");
            }
        }
        Ok(flags)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given to a repeatable flag, in order.
    fn values(&self, name: &str) -> Vec<&str> {
        (self.values.iter())
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `path` relative to the workspace root if it is inside it, with `/` separators, for
/// messages and headers that must read the same on every machine.
fn display_path(path: &Path) -> String {
    let root = workspace_root();
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    match absolute.strip_prefix(&root) {
        Ok(inside) => inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// `cargo xtask codegen`: generates, then writes (with the regeneration report) or checks.
fn codegen(flags: &Flags) -> Result<ExitCode> {
    let started = Instant::now();
    let root = workspace_root();
    let spec_path = flags
        .value("--spec")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(DEFAULT_SPEC));
    let out_dir = flags
        .value("--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(DEFAULT_OUT));
    let spec = overlays::overlaid_spec(&root, &spec_path, &flags.values("--overlay"))?;
    let (spec_label, text, overlays) = (spec.label, spec.text, spec.overlays);
    let config = codegen_config(flags, &root, &out_dir, &spec_label, &text)?;
    let mut generated =
        codegen::generate(&text, &config).with_context(|| format!("cannot generate from {spec_label}"))?;
    generated.warnings.splice(0..0, spec.warnings);
    print_warnings(&generated.warnings, &spec_label, flags.switch("--deny-warnings"))?;
    // The spec itself goes beside the code, so the next generation can say what changed.
    let mut files = std::mem::take(&mut generated.files);
    if flags.value("--spec").is_none() && config.standalone.is_none() {
        files.extend(events_files(&root, flags)?);
    }
    files.push(codegen::GeneratedFile {
        path: diff::SPEC_COPY.to_owned(),
        contents: diff::spec_copy(&spec_label, &text),
    });
    if flags.switch("--check") {
        return check_files(&out_dir, &files);
    }
    // A previous spec this generator can no longer read must not stop the regeneration.
    let change = diff::report_regeneration(&out_dir, &spec_label, &text, &generated.api).unwrap_or_else(|error| {
        eprintln!("warning: no change report: {error:#}");
        None
    });
    let written = write_files(&out_dir, &files)?;
    let crate_note = match &config.standalone {
        Some(standalone) => format!(" as crate `{}`", standalone.package_name),
        None => String::new(),
    };
    println!(
        "codegen: {}/{} operations, {} types, {} warnings, {} files written ({} unchanged){crate_note} in {} ms",
        generated.api.operation_count(),
        generated.spec_operations,
        generated.api.types.len(),
        generated.warnings.len(),
        written,
        files.len() - written,
        started.elapsed().as_millis()
    );
    for overlay in &overlays {
        println!("overlay applied: {} ({})", overlay.label, overlay.title);
    }
    if let Some(change) = change {
        println!("{change}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The webhook events `clerk-sdk` gets from Clerk's webhooks spec (`spec/webhooks.yaml`, with
/// its overlays): `src/generated/events/`, behind the `webhooks` feature.
fn events_files(root: &Path, flags: &Flags) -> Result<Vec<codegen::GeneratedFile>> {
    let spec = overlays::overlaid_spec(root, &root.join(WEBHOOKS_SPEC), &[])?;
    let config = codegen::Config {
        spec_label: spec.label.clone(),
        events_only: true,
        ..codegen::Config::default()
    };
    let mut generated = codegen::generate(&spec.text, &config)
        .with_context(|| format!("cannot generate the webhook events from {}", spec.label))?;
    generated.warnings.splice(0..0, spec.warnings);
    print_warnings(&generated.warnings, &spec.label, flags.switch("--deny-warnings"))?;
    if !flags.switch("--check") {
        println!(
            "codegen: {} webhook events, {} types, from {}",
            generated.api.webhooks.len(),
            generated.api.types.len(),
            spec.label
        );
    }
    Ok(generated.files)
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

/// The generator's settings: into `clerk-sdk`'s modules when `out_dir` has a hand-written
/// `src/lib.rs`, otherwise as a crate of its own named by `--crate-name`.
fn codegen_config(
    flags: &Flags,
    root: &Path,
    out_dir: &Path,
    spec_label: &str,
    spec_text: &str,
) -> Result<codegen::Config> {
    let standalone = if has_hand_written_lib(out_dir) {
        None
    } else {
        let package_name = match flags.value("--crate-name") {
            Some(name) => crate_name(name)?,
            None => default_crate_name(spec_text),
        };
        Some(codegen::Standalone {
            package_name,
            sdk_path: root.join("clerk-sdk").to_string_lossy().into_owned(),
        })
    };
    Ok(codegen::Config {
        spec_label: spec_label.to_owned(),
        standalone,
        ..codegen::Config::default()
    })
}

/// The package name of a crate generated on its own without `--crate-name`: its spec's
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

/// Reads a spec, refusing files over [`MAX_SPEC_BYTES`] before reading them.
pub(crate) fn read_spec(path: &Path, label: &str) -> Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {label}"))?
        .len();
    if size > MAX_SPEC_BYTES {
        bail!(
            "{label} is {} MiB; specs over {} MiB are refused",
            size / (1024 * 1024),
            MAX_SPEC_BYTES / (1024 * 1024)
        );
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {label}"))
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

fn slice(flags: &Flags) -> Result<ExitCode> {
    let (Some(from), Some(paths), Some(out)) = (flags.value("--from"), flags.value("--paths"), flags.value("--out"))
    else {
        bail!("slice needs --from, --paths and --out\n{USAGE}");
    };
    let from_label = display_path(Path::new(from));
    let out_path = PathBuf::from(out);
    let patterns: Vec<&str> = paths.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let text = read_spec(Path::new(from), &from_label)?;
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&text).with_context(|| format!("{from_label} is not valid YAML"))?;
    let sliced = codegen::slice::slice(&spec, &patterns).with_context(|| format!("cannot slice {from_label}"))?;
    let body = serde_yaml::to_string(&sliced).context("cannot serialize the slice")?;
    let contents = format!(
        "# Sliced from {from_label} by `cargo xtask slice --from {from_label} --paths '{}' --out {}`. Do not edit.\n{body}",
        patterns.join(","),
        display_path(&out_path),
    );

    if flags.switch("--check") {
        if std::fs::read_to_string(&out_path).ok().as_deref() == Some(contents.as_str()) {
            println!("slice --check: {} is up to date", display_path(&out_path));
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is stale; rerun the command in its first line",
            display_path(&out_path)
        );
        return Ok(ExitCode::FAILURE);
    }
    std::fs::write(&out_path, contents).with_context(|| format!("cannot write {}", display_path(&out_path)))?;
    let count = sliced
        .get("paths")
        .and_then(serde_yaml::Value::as_mapping)
        .map_or(0, |p| p.len());
    println!(
        "slice: {count} paths from {from_label} written to {}",
        display_path(&out_path)
    );
    Ok(ExitCode::SUCCESS)
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
