//! The generator's cost against its floor: `codegen::generate` on the phone_numbers slice and on
//! Clerk's whole spec, next to parsing the same YAML into `openapiv3::OpenAPI`. Prints the
//! generate / parse ratios from this run's medians, and what prettyplease alone costs to print
//! the output.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::Criterion;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from)
        .join("criterion")
}

fn median_ns(path: &str) -> Option<f64> {
    let text = std::fs::read_to_string(criterion_dir().join(path).join("new/estimates.json")).ok()?;
    serde_json::from_str::<serde_json::Value>(&text).ok()?["median"]["point_estimate"].as_f64()
}

fn specs() -> [(&'static str, String); 2] {
    let read = |path: &str| std::fs::read_to_string(workspace().join(path)).expect("spec readable");
    [
        ("phone_numbers", read("spec/phone_numbers.yaml")),
        ("full", read("spec/upstream/bapi-2026-05-12.yml")),
    ]
}

fn generator(c: &mut Criterion) {
    for (name, text) in specs() {
        let mut group = c.benchmark_group(format!("codegen_{name}"));
        if name == "full" {
            group.sample_size(20);
        }
        group.bench_function("parse", |b| {
            b.iter(|| codegen::parse(black_box(&text)).expect("parses"))
        });
        group.bench_function("generate", |b| {
            b.iter(|| codegen::generate(black_box(&text), &codegen::Config::default()).expect("generates"))
        });
        group.finish();
    }
}

/// `subject`'s time over parsing `text`, from the medians of `rounds` alternating runs of each,
/// so that drift in the machine's speed hits both alike.
fn ratio_to_parse(text: &str, rounds: usize, subject: impl Fn()) -> f64 {
    let time = |f: &dyn Fn()| {
        let start = std::time::Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    let (mut measured, mut parse) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        measured.push(time(&subject));
        parse.push(time(&|| {
            drop(black_box(serde_yaml::from_str::<openapiv3::OpenAPI>(text)))
        }));
    }
    measured.sort_by(f64::total_cmp);
    parse.sort_by(f64::total_cmp);
    measured[rounds / 2] / parse[rounds / 2]
}

/// generate / parse, interleaved.
fn interleaved_ratio(text: &str, rounds: usize) -> f64 {
    let config = codegen::Config::default();
    ratio_to_parse(text, rounds, || drop(black_box(codegen::generate(text, &config))))
}

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&criterion_dir())
        .configure_from_args();
    generator(&mut criterion);
    criterion.final_summary();
    for (name, _) in specs() {
        let parse = median_ns(&format!("codegen_{name}/parse"));
        match (median_ns(&format!("codegen_{name}/generate")), parse) {
            (Some(g), Some(p)) => println!(
                "ratio codegen {name} (generate / parse): {:.2} ms / {:.2} ms = {:.2}",
                g / 1e6,
                p / 1e6,
                g / p
            ),
            _ => println!("ratio codegen {name}: not measured in this run"),
        }
    }
    for (name, text) in specs() {
        let rounds = if name == "full" { 21 } else { 201 };
        println!(
            "interleaved ratio codegen {name} (generate / parse): {:.2}",
            interleaved_ratio(&text, rounds)
        );
        println!(
            "prettyplease alone, printing {name}'s generated Rust / parse: {:.2}",
            printing_ratio(&text, rounds)
        );
    }
}

/// A floor under any generator that formats its output with prettyplease: printing the
/// generated files' syntax trees (already parsed, so neither building nor parsing them is
/// counted), against parsing the spec, interleaved.
fn printing_ratio(text: &str, rounds: usize) -> f64 {
    let generated = codegen::generate(text, &codegen::Config::default()).expect("generates");
    let trees: Vec<syn::File> = generated
        .files
        .iter()
        .filter(|file| file.path.ends_with(".rs"))
        .map(|file| syn::parse_file(&file.contents).expect("generated Rust parses"))
        .collect();
    ratio_to_parse(text, rounds, || {
        for tree in &trees {
            drop(black_box(prettyplease::unparse(tree)));
        }
    })
}
