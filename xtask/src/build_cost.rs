//! `cargo xtask build-cost`: what each TLS option, and the `webhooks` and `auth` features, cost an
//! application's clean debug build of `clerk-sdk`, side by side with the build without TLS.
//!
//! Each round builds every option once, in turn, each into a target folder of its own that
//! starts empty, so the options share the machine's state of the moment; the ratio to the
//! no-TLS build of the same round is what the table reports, with its median over the rounds.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The options measured: a label and the feature flags that select it.
const OPTIONS: [(&str, &[&str]); 7] = [
    ("no TLS (`--no-default-features`)", &["--no-default-features"]),
    ("default (`rustls`: rustls + ring)", &[]),
    (
        "`rustls-aws-lc` (rustls + aws-lc-rs)",
        &["--no-default-features", "--features", "rustls-aws-lc"],
    ),
    (
        "`native-tls` (OpenSSL here)",
        &["--no-default-features", "--features", "native-tls"],
    ),
    (
        "default + `webhooks` (verification and the 45 typed events)",
        &["--features", "webhooks"],
    ),
    (
        "default + `auth` (session tokens: jsonwebtoken, spki)",
        &["--features", "auth"],
    ),
    (
        "default + `tower` (`auth` and its tower layer)",
        &["--features", "tower"],
    ),
];

/// Runs `rounds` rounds of clean builds under `scratch` and prints the table.
pub fn run(root: &Path, scratch: &Path, rounds: usize) -> Result<()> {
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Fetch once, so no round times a download.
    let status = Command::new(&cargo)
        .args(["fetch", "--locked"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cargo fetch failed");
    }
    let mut seconds = vec![Vec::new(); OPTIONS.len()];
    for round in 1..=rounds {
        for (index, (label, flags)) in OPTIONS.iter().enumerate() {
            let target = scratch.join(format!("option{index}-round{round}"));
            if target.exists() {
                std::fs::remove_dir_all(&target).with_context(|| format!("emptying {}", target.display()))?;
            }
            let started = Instant::now();
            let status = Command::new(&cargo)
                .args(["build", "--quiet", "--locked", "--offline", "-p", "clerk-sdk"])
                .args(*flags)
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(root)
                .status()?;
            if !status.success() {
                bail!("the build of {label} failed");
            }
            let elapsed = started.elapsed().as_secs_f64();
            eprintln!("round {round}: {label}: {elapsed:.1} s");
            seconds[index].push(elapsed);
            std::fs::remove_dir_all(&target).ok();
        }
    }
    print!("{}", table(&seconds));
    Ok(())
}

/// The Markdown table: each option's median time, and the median over rounds of its ratio to
/// the first option (no TLS) of the same round.
fn table(seconds: &[Vec<f64>]) -> String {
    let mut out = String::from("| build | median | × no TLS (median of per-round ratios) |\n|---|---|---|\n");
    for ((label, _), times) in OPTIONS.iter().zip(seconds) {
        let ratios: Vec<f64> = times.iter().zip(&seconds[0]).map(|(t, base)| t / base).collect();
        out.push_str(&format!(
            "| {label} | {:.1} s | {:.2} |\n",
            median(times),
            median(&ratios)
        ));
    }
    out
}

/// The median; the mean of the middle two for an even count.
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[middle],
        _ => (sorted[middle - 1] + sorted[middle]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn ratios_are_taken_within_each_round() {
        // Round two is twice as slow throughout: the ratios do not move.
        let seconds = vec![vec![10.0, 20.0], vec![12.0, 24.0], vec![30.0, 60.0], vec![20.0, 40.0]];
        let table = table(&seconds);
        assert!(
            table.contains("| no TLS (`--no-default-features`) | 15.0 s | 1.00 |"),
            "{table}"
        );
        assert!(
            table.contains("| default (`rustls`: rustls + ring) | 18.0 s | 1.20 |"),
            "{table}"
        );
        assert!(table.contains("| 45.0 s | 3.00 |"), "{table}");
    }
}
