//! `cargo xtask contract`: the SDK against Stoplight Prism, a mock server that validates every
//! request against the spec and generates responses from its schemas.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How long Prism may take to start listening.
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);

/// Stops Prism however the run ends.
struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The Frontend API spec whose generated crate is checked against Prism, and the contract test
/// copied into that crate.
const FRONTEND_SPEC: &str = "spec/upstream/fapi-2025-11-10.yml";
const FRONTEND_PACKAGE: &str = "fapi-2025-11-10";
const FRONTEND_TEST: &str = "tests/contract/fapi-2025-11-10.rs";

/// Installs Prism, then runs the contracts, each against a Prism of its own: `clerk-sdk`
/// against the phone_numbers slice, a crate generated from the Frontend API against that spec,
/// and the probe of every operation of a crate generated from each spec in `spec/upstream/`
/// (see [`crate::probe`]). Checks Prism's log of the first for the key.
pub fn run(root: &Path) -> Result<ExitCode> {
    let prism_dir = root.join("target/prism");
    install(root, &prism_dir)?;
    let sdk = sdk_contract(root, &prism_dir)?;
    let frontend = frontend_contract(root, &prism_dir)?;
    let probe = crate::probe::run(root, &prism_dir)?;
    Ok(if sdk && frontend && probe {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `clerk-sdk` against the phone_numbers slice (`tests/tests/contract.rs`); then Prism's log
/// must not show the key outside an `Authorization` header.
fn sdk_contract(root: &Path, prism_dir: &Path) -> Result<bool> {
    let log_path = prism_dir.join("prism.log");
    let status = with_prism(
        root,
        prism_dir,
        "spec/phone_numbers.yaml",
        &["--errors"],
        &log_path,
        |url| {
            Command::new(env!("CARGO"))
                .args([
                    "test",
                    "--locked",
                    "-p",
                    "tests",
                    "--test",
                    "contract",
                    "--",
                    "--ignored",
                    "--nocapture",
                ])
                .current_dir(root)
                .env("PRISM_URL", url)
                .status()
                .context("cannot run the contract tests")
        },
    )?;
    let leaks = key_lines_in_log(&log_path)?;
    if !leaks.is_empty() {
        bail!(
            "Prism's log shows the test key outside an Authorization header:\n{}",
            leaks.join("\n")
        );
    }
    Ok(status.success())
}

/// A crate generated from the Frontend API against that spec (`tests/contract/`).
fn frontend_contract(root: &Path, prism_dir: &Path) -> Result<bool> {
    let crate_dir = frontend_crate(root)?;
    let log_path = prism_dir.join("prism-fapi.log");
    let status = with_prism(root, prism_dir, FRONTEND_SPEC, &["--errors"], &log_path, |url| {
        Command::new(env!("CARGO"))
            .args(["test", "--test", "contract", "--", "--nocapture"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", root.join("target/generated-crates"))
            .env("PRISM_URL", url)
            .status()
            .context("cannot run the Frontend API contract test")
    })?;
    Ok(status.success())
}

/// Starts Prism as a mock of `spec` with the options `args` (such as `--errors`), logging to
/// `log_path`, runs `tests` with its URL, and stops it.
pub(crate) fn with_prism(
    root: &Path,
    prism_dir: &Path,
    spec: &str,
    args: &[&str],
    log_path: &Path,
    tests: impl FnOnce(&str) -> Result<ExitStatus>,
) -> Result<ExitStatus> {
    let port = free_port()?;
    let log = std::fs::File::create(log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let child = Command::new(prism_dir.join("node_modules/.bin/prism"))
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .arg(spec)
        .current_dir(root)
        .stdout(Stdio::from(log.try_clone().context("cannot share the log file")?))
        .stderr(Stdio::from(log))
        .spawn()
        .context("cannot start Prism")?;
    let mut prism = Prism(child);
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    wait_until_listening(&mut prism, address)?;
    println!("contract: Prism 5.16 is serving {spec} on {address}");
    let status = tests(&format!("http://{address}"));
    drop(prism);
    status
}

/// Generates the Frontend API's crate into `target/contract/`, with the contract test as its
/// `tests/contract.rs` and the workspace's lock file, so it builds with the same dependencies.
fn frontend_crate(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/contract").join(FRONTEND_PACKAGE);
    let _ = std::fs::remove_dir_all(&dir);
    let text =
        std::fs::read_to_string(root.join(FRONTEND_SPEC)).with_context(|| format!("cannot read {FRONTEND_SPEC}"))?;
    write_generated_crate(root, &dir, FRONTEND_PACKAGE, &text, FRONTEND_SPEC)?;
    std::fs::create_dir_all(dir.join("tests")).context("cannot create the crate's tests folder")?;
    std::fs::copy(root.join(FRONTEND_TEST), dir.join("tests/contract.rs")).context("cannot copy the contract test")?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("cannot copy Cargo.lock")?;
    Ok(dir)
}

/// Generates the spec `text` (named `label` in the files' headers) into `dir` as the whole
/// crate `package`, which uses the repository's runtime by its path from `dir`.
pub(crate) fn write_generated_crate(root: &Path, dir: &Path, package: &str, text: &str, label: &str) -> Result<()> {
    let (runtime_version, rust_version) = crate::workspace::runtime_versions(root)?;
    let runtime = crate::workspace::relative(&root.join(crate::workspace::RUNTIME_DIR), dir)?;
    let config = codegen::Config {
        spec_label: label.to_owned(),
        package_name: package.to_owned(),
        manifest: Some(codegen::Manifest {
            runtime_version,
            runtime_source: codegen::RuntimeSource::Path(runtime),
            rust_version,
            license: None,
        }),
        ..codegen::Config::default()
    };
    let generated = codegen::generate(text, &config).with_context(|| format!("cannot generate from {label}"))?;
    for file in &generated.files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// `npm ci` into `target/prism` from the checked-in manifest and lock file, unless that exact
/// lock file is already installed there.
fn install(root: &Path, prism_dir: &Path) -> Result<()> {
    let source = root.join("xtask/contract");
    let lock = std::fs::read_to_string(source.join("package-lock.json")).context("cannot read the Prism lock file")?;
    let installed = std::fs::read_to_string(prism_dir.join("package-lock.json")).unwrap_or_default();
    if installed == lock && prism_dir.join("node_modules/.bin/prism").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(prism_dir).context("cannot create target/prism")?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(file), prism_dir.join(file)).with_context(|| format!("cannot copy {file}"))?;
    }
    println!("contract: installing Prism with npm ci");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(prism_dir)
        .status()
        .context("cannot run npm (is Node.js installed?)")?;
    if !status.success() {
        bail!("npm ci failed in target/prism");
    }
    Ok(())
}

/// A port nothing listens on right now.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot bind a loopback port")?;
    Ok(listener.local_addr().context("no local address")?.port())
}

fn wait_until_listening(prism: &mut Prism, address: SocketAddr) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < STARTUP_DEADLINE {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = prism.0.try_wait().context("cannot check on Prism")? {
            bail!("Prism exited before listening ({status}); see target/prism/prism.log");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("Prism did not listen on {address} within {STARTUP_DEADLINE:?}; see target/prism/prism.log")
}

/// Lines of Prism's log that show the contract tests' key anywhere but in an Authorization
/// header.
fn key_lines_in_log(log_path: &Path) -> Result<Vec<String>> {
    let log = std::fs::read_to_string(log_path).context("cannot read target/prism/prism.log")?;
    Ok(log
        .lines()
        .filter(|line| line.contains(CONTRACT_KEY))
        .filter(|line| !line.to_ascii_lowercase().contains("authorization"))
        .map(str::to_owned)
        .collect())
}

/// The key the contract tests send (see tests/tests/contract.rs).
const CONTRACT_KEY: &str = "sk_test_contract_4f7d2c";
