//! The probe of `cargo xtask contract`: every operation of a crate generated from each spec in
//! `spec/upstream/`, called against Prism serving that spec's responses, in dynamic mode
//! (responses made up from the schemas, valid) and in static mode (the spec's examples, or the
//! least Prism can make from a schema, which may lack required fields). The test it runs in
//! each crate is `tests/contract/probe.rs`; it says what counts as a failure.
//!
//! Prism refuses a request that breaks the spec with 422 before it answers anything, and the
//! probe sends placeholders, not valid requests: so Prism serves a copy of each spec whose
//! operations take any request (no request body, no parameters but the path's, as plain
//! strings). The responses, which are what the probe checks, are the spec's own. The requests
//! the SDK sends are checked exactly by the other contract tests.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use anyhow::{Context, Result};
use serde_yaml::{Mapping, Value};

use crate::contract::with_prism;

/// The HTTP methods a path item can hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// The seed of Prism's dynamic answers, so a run answers the same on every machine.
const SEED: &str = "clerk-sdk-rs";

/// One spec under probe: its package name and where its crate is.
struct Probed {
    package: String,
    dir: PathBuf,
}

/// Generates a crate for each spec in `spec/upstream/`, builds them, and probes each in both
/// modes, each against a Prism of its own. Returns whether every probe passed.
pub fn run(root: &Path, prism_dir: &Path) -> Result<bool> {
    let workspace = root.join("target/contract/probe");
    let _ = std::fs::remove_dir_all(&workspace);
    let probed = write_workspace(root, &workspace)?;
    let status = cargo(
        root,
        &workspace,
        &[
            "test",
            "--workspace",
            "--features",
            "testing",
            "--test",
            "probe",
            "--no-run",
        ],
        &[],
    )?;
    anyhow::ensure!(status.success(), "the probed crates do not build");
    let mut passed = true;
    for crate_ in &probed {
        for (mode, prism_args) in [("dynamic", &["--dynamic", "--seed", SEED][..]), ("static", &[][..])] {
            let log = prism_dir.join(format!("prism-probe-{}-{mode}.log", crate_.package));
            let spec = crate_.dir.join("prism.yml");
            let spec = spec.to_string_lossy();
            println!("probe: {} in {mode} mode", crate_.package);
            let status = with_prism(root, prism_dir, &spec, prism_args, &log, |url| {
                cargo(
                    root,
                    &workspace,
                    &[
                        "test",
                        "-p",
                        &crate_.package,
                        "--features",
                        "testing",
                        "--test",
                        "probe",
                        "--",
                        "--nocapture",
                    ],
                    &[("PRISM_URL", url), ("PROBE_MODE", mode)],
                )
            })?;
            passed &= status.success();
        }
    }
    Ok(passed)
}

/// Writes the crates, each with its probe test and its relaxed spec, as members of one
/// workspace with the repository's lock file.
fn write_workspace(root: &Path, workspace: &Path) -> Result<Vec<Probed>> {
    let upstream = root.join("spec/upstream");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&upstream)
        .with_context(|| format!("cannot read {}", upstream.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    specs.sort();
    let mut probed = Vec::new();
    for spec in specs {
        let package = spec
            .file_stem()
            .and_then(|stem| stem.to_str())
            .context("a spec's file name is not UTF-8")?
            .to_owned();
        let dir = workspace.join(&package);
        let text = std::fs::read_to_string(&spec).with_context(|| format!("cannot read {}", spec.display()))?;
        crate::contract::write_generated_crate(root, &dir, &package, &text, &spec.to_string_lossy())?;
        // A member of the probe's workspace, rather than a workspace of its own.
        let manifest_path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).context("cannot read a generated manifest")?;
        let member = manifest.split("\n# A crate of its own").next().unwrap_or_default();
        std::fs::write(&manifest_path, member).context("cannot write a generated manifest")?;
        let probe = root.join("tests/contract/probe.rs");
        let test = format!(
            "//! The probe of every operation; see `tests/contract/probe.rs` in the repository.\n\nuse {} as api;\n\ninclude!({:?});\n",
            package.replace('-', "_"),
            probe.to_string_lossy()
        );
        std::fs::create_dir_all(dir.join("tests")).context("cannot create a tests folder")?;
        std::fs::write(dir.join("tests/probe.rs"), test).context("cannot write the probe test")?;
        let mut document: Value =
            serde_yaml::from_str(&text).with_context(|| format!("{} is not YAML", spec.display()))?;
        relax(&mut document);
        let relaxed = serde_yaml::to_string(&document).context("cannot write the relaxed spec")?;
        std::fs::write(dir.join("prism.yml"), relaxed).context("cannot write the relaxed spec")?;
        probed.push(Probed { package, dir });
    }
    let members: Vec<String> = probed.iter().map(|p| format!("{:?}", p.package)).collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).context("cannot write the workspace manifest")?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).context("cannot copy Cargo.lock")?;
    Ok(probed)
}

/// Runs cargo in `dir`, with the generated crates' shared target folder and `env`.
fn cargo(root: &Path, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<ExitStatus> {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root.join("target/generated-crates"))
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))
}

/// Makes every operation of `document` take any request: request bodies go, and every
/// parameter but the path's, which become plain strings. Responses stay as they are.
fn relax(document: &mut Value) {
    let components = document
        .get("components")
        .and_then(|components| components.get("parameters"))
        .cloned()
        .unwrap_or(Value::Null);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else { continue };
        relax_parameters(item, &components);
        for method in METHODS {
            if let Some(operation) = item.get_mut(method).and_then(Value::as_mapping_mut) {
                operation.remove("requestBody");
                relax_parameters(operation, &components);
            }
        }
    }
}

/// Keeps only the path parameters of a path item or operation, as plain strings.
fn relax_parameters(holder: &mut Mapping, components: &Value) {
    let Some(Value::Sequence(parameters)) = holder.get_mut("parameters") else {
        return;
    };
    let kept: Vec<Value> = parameters
        .iter()
        .filter_map(|parameter| {
            let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => components.get(reference.rsplit('/').next()?)?,
                None => parameter,
            };
            let name = parameter.get("name")?.clone();
            (parameter.get("in")?.as_str()? == "path").then(|| {
                let mut schema = Mapping::new();
                schema.insert("type".into(), "string".into());
                let mut relaxed = Mapping::new();
                relaxed.insert("name".into(), name);
                relaxed.insert("in".into(), "path".into());
                relaxed.insert("required".into(), true.into());
                relaxed.insert("schema".into(), Value::Mapping(schema));
                Value::Mapping(relaxed)
            })
        })
        .collect();
    *parameters = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_keep_their_path_parameters_as_strings_and_lose_the_rest() {
        let mut document: Value = serde_yaml::from_str(
            "paths:\n  /things/{id}:\n    parameters: [{$ref: '#/components/parameters/Id'}, {name: v, in: header, schema: {type: string}}]\n    post:\n      parameters: [{name: q, in: query, required: true, schema: {type: integer}}]\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    Id: {name: id, in: path, required: true, schema: {type: integer, minimum: 3}}\n",
        )
        .expect("YAML");
        relax(&mut document);
        let expected: Value = serde_yaml::from_str(
            "paths:\n  /things/{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    post:\n      parameters: []\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    Id: {name: id, in: path, required: true, schema: {type: integer, minimum: 3}}\n",
        )
        .expect("YAML");
        assert_eq!(document, expected);
    }
}
