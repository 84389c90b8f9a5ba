//! `cargo xtask`: the maintainer's commands.
//!
//! ```text
//! cargo xtask codegen [--check] [--spec PATH] [--webhooks PATH] [--out DIR] [--runtime-path DIR]
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

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

mod build_cost;
mod contract;
mod diff;
mod generate;
mod overlays;
mod probe;
mod workspace;

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--deny-warnings] [--spec PATH] [--webhooks PATH] [--out DIR]
                     [--crate-name NAME] [--runtime-path DIR | --runtime-git URL [--runtime-rev REV]]
                     [--overlay FILE]...
      Regenerate clerk-sdk's src/generated/ and docs/ from spec/phone_numbers.yaml, with the
      events of Clerk's webhooks spec, spec/webhooks.yaml.
      With --spec and --out, generate from any spec into the crate folder DIR, with the
      events of the webhooks spec --webhooks PATH (if given) in its `events` module: into
      its src/generated/ and docs/ if DIR has a hand-written src/lib.rs, otherwise as a
      whole crate (Cargo.toml and src/lib.rs included, package NAME, by default the spec's
      info.title in kebab case, such as clerk-frontend-api). A whole crate depends on the
      runtime, clerk-sdk-runtime, by version (from crates.io), or with --runtime-path DIR
      by the path from the crate's folder to DIR (such as clerk-sdk/runtime of this
      checkout), or with --runtime-git by git. Its Cargo.toml never holds an absolute path.
      With --check, write nothing and exit 1 if any generated file is stale.
      The spec is kept beside the code as openapi.yaml; when it differs from the one
      there, the change report (as `cargo xtask diff` makes it) goes to the top of the
      crate's CHANGELOG.md, and its summary is printed.
      Every warning (a construct the generator went past) is printed and counted; with
      --deny-warnings, any warning fails the run before anything is written.
      Before anything else, OpenAPI Overlays (1.0) are applied to each spec: each file in
      spec/overlays/ whose `extends` names the spec's file, then (for the API's spec) each
      --overlay FILE, in order. The kept openapi.yaml, the change report and --check all see
      the overlaid spec, and the generated files' headers name the overlays.
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

/// The largest spec read, so a wrong path (a disk image, a log) is refused instead of being read
/// into memory; Clerk's whole spec is under 1 MiB.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

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
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let root = workspace::init()?;
    match command.as_str() {
        "codegen" => generate::run(&Flags::parse(rest, &generate::VALUED, &generate::SWITCHES)?),
        "slice" => slice(&Flags::parse(rest, &["--from", "--paths", "--out"], &["--check"])?),
        "diff" => diff::run(&Flags::parse(
            rest,
            &["--from", "--to", "--format"],
            &["--deny-breaking"],
        )?),
        "build-cost" => {
            let flags = Flags::parse(rest, &["--rounds", "--scratch"], &[])?;
            let rounds = match flags.value("--rounds") {
                Some(text) => text.parse().with_context(|| format!("--rounds {text}: not a count"))?,
                None => 3,
            };
            let scratch = flags
                .value("--scratch")
                .map_or_else(|| root.join("target/build-cost"), PathBuf::from);
            build_cost::run(root, &scratch, rounds)?;
            Ok(ExitCode::SUCCESS)
        }
        "contract" => {
            Flags::parse(rest, &[], &[])?;
            contract::run(root)
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

/// `path` relative to the workspace root if it is inside it, with `/` separators, for
/// messages and headers that must read the same on every machine.
fn display_path(path: &Path) -> String {
    let root = workspace::root();
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    match absolute.strip_prefix(root) {
        Ok(inside) => inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// How generated files name an input: its path in the checkout, or just its file name when it
/// is outside, so that a generated crate says the same on every machine and holds no path of
/// the machine it was made on.
fn file_label(path: &Path) -> String {
    let inside = std::path::absolute(path).is_ok_and(|absolute| absolute.starts_with(workspace::root()));
    match path.file_name() {
        Some(name) if !inside => name.to_string_lossy().into_owned(),
        _ => display_path(path),
    }
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
