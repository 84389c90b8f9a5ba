//! `cargo xtask` acts on the checkout it is run in, and the crates it generates whole can leave
//! the machine: it finds its checkout when it runs (never where it was compiled), and a
//! generated `Cargo.toml` names the runtime by version, by a path relative to the crate, or by
//! git, never by an absolute path.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Copies the checkout's files (those git tracks, and new ones it does not ignore) into `to`.
fn copy_checkout(to: &Path) {
    let output = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard", "-z"])
        .current_dir(workspace())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git ls-files: {}", stderr(&output));
    for name in output.stdout.split(|byte| *byte == 0).filter(|name| !name.is_empty()) {
        let name = std::str::from_utf8(name).expect("a UTF-8 file name");
        let from = workspace().join(name);
        if from.is_file() {
            let target = to.join(name);
            std::fs::create_dir_all(target.parent().expect("in a folder")).expect("creates");
            std::fs::copy(&from, &target).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// This test's xtask binary run in `dir`, as a maintainer who runs it directly would: no
/// `CARGO_MANIFEST_DIR` from cargo.
fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("xtask runs")
}

/// `cargo xtask ARGS` in the checkout `dir`, built into the shared `target`.
fn cargo_xtask_in(dir: &Path, target: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .arg("xtask")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}

/// Breaks a generated file of the checkout `dir` by hand.
fn edit_generated(dir: &Path) -> PathBuf {
    let models = dir.join("clerk-sdk/src/generated/models.rs");
    let text = std::fs::read_to_string(&models).expect("reads");
    std::fs::write(
        &models,
        text.replace("pub struct PhoneNumber {", "pub struct PhoneNumber { // edited"),
    )
    .expect("writes");
    models
}

#[test]
fn the_checkout_is_the_one_xtask_runs_in_not_the_one_it_was_built_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("other");
    copy_checkout(&other);
    edit_generated(&other);
    // Run from inside the other checkout (a folder below its root, too), this binary, built in
    // this checkout, checks the other one.
    for cwd in [other.clone(), other.join("clerk-sdk/src")] {
        let output = xtask_in(&cwd, &["codegen", "--check"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("clerk-sdk/src/generated/models.rs is stale"),
            "{}",
            stderr(&output)
        );
    }
    let outside = xtask_in(dir.path(), &["codegen", "--check"]);
    assert_eq!(outside.status.code(), Some(1));
    assert!(
        stderr(&outside).contains("is not inside a clerk-sdk-rs checkout"),
        "{}",
        stderr(&outside)
    );
}

#[test]
#[ignore = "builds xtask in two copies of the checkout (a minute or two); .ci/run runs it"]
fn two_checkouts_sharing_a_target_folder_each_act_on_their_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    copy_checkout(&first);
    copy_checkout(&second);
    let target = dir.path().join("target");
    let edited = edit_generated(&second);

    let checked = cargo_xtask_in(&first, &target, &["codegen", "--check"]);
    assert!(
        checked.status.success(),
        "the first checkout is up to date: {}",
        stderr(&checked)
    );
    // The same binary, reused from the shared folder, checks the second checkout, not the first.
    let stale = cargo_xtask_in(&second, &target, &["codegen", "--check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("clerk-sdk/src/generated/models.rs is stale"),
        "{}",
        stderr(&stale)
    );
    let repaired = cargo_xtask_in(&second, &target, &["codegen"]);
    assert!(repaired.status.success(), "{}", stderr(&repaired));
    assert!(!std::fs::read_to_string(&edited).expect("reads").contains("// edited"));

    // A crate generated from the second checkout names that checkout's runtime, relatively.
    let out = dir.path().join("generated/api");
    let args = ["codegen", "--spec", "spec/phone_numbers.yaml", "--out", path_str(&out)];
    let generated = cargo_xtask_in(
        &second,
        &target,
        &[&args[..], &["--runtime-path", "clerk-sdk/runtime"]].concat(),
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(
        manifest.contains("path = \"../../second/clerk-sdk/runtime\""),
        "{manifest}"
    );
}

#[test]
fn a_whole_crate_names_the_runtime_by_version_relative_path_or_git_never_absolutely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let generate = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["codegen", "--spec", "spec/phone_numbers.yaml", "--out", path_str(&out)];
        args.extend_from_slice(extra);
        let output = xtask_in(&workspace(), &args);
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest")
    };
    let runtime = workspace().join("clerk-sdk/runtime");
    let by_path = generate("by-path", &["--runtime-path", path_str(&runtime)]);
    let relative = pathdiff(&runtime, &dir.path().join("by-path"));
    assert!(by_path.contains(&format!("path = \"{relative}\"")), "{by_path}");
    let by_git = generate(
        "by-git",
        &[
            "--runtime-git",
            "https://example.com/clerk-sdk-rs.git",
            "--runtime-rev",
            "v0.1.0",
        ],
    );
    assert!(
        by_git.contains("clerk-sdk-runtime = { git = \"https://example.com/clerk-sdk-rs.git\", rev = \"v0.1.0\", default-features = false }"),
        "{by_git}"
    );
    let by_version = generate("by-version", &[]);
    assert!(
        by_version.contains("clerk-sdk-runtime = { version = \""),
        "{by_version}"
    );
    for manifest in [&by_path, &by_git, &by_version] {
        let absolute: Vec<&str> = manifest.lines().filter(|line| line.contains("\"/")).collect();
        assert!(absolute.is_empty(), "absolute paths: {absolute:?}");
        assert!(manifest.starts_with("# @generated"), "{manifest}");
        assert!(manifest.contains("license = \"MIT\""), "the spec's license: {manifest}");
    }
}

/// The path from `from` to `to`, as the generator writes it (through `..` from the crate).
fn pathdiff(to: &Path, from: &Path) -> String {
    let (to, from) = (to.canonicalize().expect("exists"), from.canonicalize().expect("exists"));
    let common = to
        .ancestors()
        .find(|ancestor| from.starts_with(ancestor))
        .expect("a common folder");
    let ups = from.strip_prefix(common).expect("below").components().count();
    let down = to.strip_prefix(common).expect("below");
    let mut parts = vec!["..".to_owned(); ups];
    parts.extend(
        down.components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[test]
fn runtime_flags_are_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("api");
    let run = |extra: &[&str], out: &Path| {
        let mut args = vec!["codegen", "--spec", "spec/phone_numbers.yaml", "--out", path_str(out)];
        args.extend_from_slice(extra);
        let output = xtask_in(&workspace(), &args);
        assert_eq!(output.status.code(), Some(1), "{extra:?} must fail");
        stderr(&output)
    };
    let both = run(
        &[
            "--runtime-path",
            "clerk-sdk/runtime",
            "--runtime-git",
            "https://example.com/x.git",
        ],
        &out,
    );
    assert!(
        both.contains("--runtime-path and --runtime-git name two runtimes"),
        "{both}"
    );
    let nowhere = run(&["--runtime-path", "spec"], &out);
    assert!(
        nowhere.contains("--runtime-path spec: no Cargo.toml there"),
        "{nowhere}"
    );
    let rev = run(&["--runtime-rev", "v1"], &out);
    assert!(rev.contains("--runtime-rev needs --runtime-git"), "{rev}");
    // clerk-sdk's manifest is hand-written: runtime flags do not apply to it.
    let sdk = run(&["--runtime-path", "clerk-sdk/runtime"], &workspace().join("clerk-sdk"));
    assert!(sdk.contains("--runtime-path is for a crate generated whole"), "{sdk}");
    assert!(!out.exists(), "nothing written on failure");
}

#[test]
fn an_api_and_a_webhooks_spec_generate_into_one_crate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("api");
    let args = [
        "codegen",
        "--spec",
        "spec/phone_numbers.yaml",
        "--webhooks",
        "spec/webhooks.yaml",
        "--out",
        path_str(&out),
    ];
    let output = xtask_in(&workspace(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        summary.starts_with(
            "codegen: 45 webhook events, 183 types, from spec/webhooks.yaml with spec/overlays/webhooks.yaml\n"
        ),
        "{summary}"
    );
    let events = std::fs::read_to_string(out.join("src/generated/events/mod.rs")).expect("the events module");
    assert!(
        events.starts_with(
            "// @generated by cargo xtask codegen from spec/webhooks.yaml with spec/overlays/webhooks.yaml."
        ),
        "{events}"
    );
    assert!(out.join("src/generated/events/models.rs").exists());
    let root = std::fs::read_to_string(out.join("src/generated/mod.rs")).expect("the root module");
    assert!(root.contains("pub mod events;"), "{root}");
    // A webhooks spec with no webhooks is refused.
    let refused = xtask_in(
        &workspace(),
        &[
            "codegen",
            "--spec",
            "spec/phone_numbers.yaml",
            "--webhooks",
            "spec/phone_numbers.yaml",
            "--out",
            path_str(&dir.path().join("x")),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("declares no webhooks"),
        "{}",
        stderr(&refused)
    );
}
