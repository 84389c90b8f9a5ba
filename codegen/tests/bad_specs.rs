//! Bad and unsupported specs: every file in `bad_specs/` must be refused with the exact error
//! its first line expects (`# expect: ...`), located by a JSON pointer where there is a
//! construct to point at. None may panic.

use std::path::PathBuf;

fn corpus() -> Vec<(String, String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let text = std::fs::read_to_string(&path).expect("readable");
            let expected = text
                .lines()
                .next()
                .and_then(|line| line.strip_prefix("# expect: "))
                .unwrap_or_else(|| panic!("{name} lacks an `# expect:` first line"))
                .to_owned();
            (name, text, expected)
        })
        .collect()
}

#[test]
fn every_bad_spec_gets_its_located_error_and_none_panics() {
    let corpus = corpus();
    assert!(corpus.len() >= 20, "the corpus has {} specs", corpus.len());
    let mut mismatches = Vec::new();
    for (name, text, expected) in &corpus {
        let outcome = std::panic::catch_unwind(|| codegen::generate(text, &codegen::Config::default()));
        match outcome {
            Err(_) => mismatches.push(format!("{name}: panicked")),
            Ok(Ok(_)) => mismatches.push(format!("{name}: was accepted")),
            Ok(Err(error)) if error.to_string() != *expected => {
                mismatches.push(format!("{name}:\n  expected {expected}\n  got      {error}"));
            }
            Ok(Err(_)) => {}
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
