//! Runs drift cases: response bodies that stray from the spec, each with the deviations the SDK
//! must report for it, decoded as the operation's response exactly as a call decodes it. In the
//! default, lenient mode each body must decode and report exactly its deviations, in order; in
//! strict mode each that deviates must fail with exactly those deviations, and each that does
//! not must decode.
//!
//! A module of the test that includes it, which names the crate under test `api` (`clerk_sdk`,
//! or a crate generated from one of `spec/upstream/`).

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::Path;

use serde_json::Value;

use super::api;
use api::runtime::Api;
use api::runtime::testing::{MockOperation, OperationVisitor, decode_as};
use api::{Deviation, SdkError};

#[path = "format.rs"]
pub mod format;
pub use format::{Sample, apply};

/// One case, as a file of the hand-written corpus holds it: a whole `body`, or a `base` body
/// (a file beside it) changed by a JSON Patch (RFC 6902).
#[derive(Debug, serde::Deserialize)]
pub struct Case {
    /// What the case is, and the report it is modelled on.
    pub about: String,
    /// The `operationId` whose response it is.
    pub operation: String,
    /// The status it is answered with.
    pub status: u16,
    /// The body, if it is written whole.
    #[serde(default)]
    pub body: Option<Value>,
    /// The file of the body this one starts from.
    #[serde(default)]
    pub base: Option<String>,
    /// The changes to `base`.
    #[serde(default)]
    pub patch: Option<json_patch::Patch>,
    /// Each deviation as `[pointer, kind, resolution]`, kinds and resolutions as `Debug`
    /// names them.
    pub deviations: Vec<[String; 3]>,
}

/// What decoding a body as an operation's response came to.
#[derive(Debug)]
enum Outcome {
    /// The value, or the documented error, with these deviations.
    Decoded(Vec<Deviation>),
    /// A strict decode's refusal of a body with these deviations.
    Refused(Vec<Deviation>),
    /// Any other failure.
    Failed(String),
}

/// Decodes a body, answered with a status, as one operation's response.
type Decoder = fn(u16, &[u8], bool) -> Outcome;

/// Each operation's decoder, by `operationId`.
struct Decoders<A> {
    by_id: BTreeMap<&'static str, Decoder>,
    api: PhantomData<A>,
}

impl<A: Api> OperationVisitor for Decoders<A> {
    type Api = A;

    fn visit<O: MockOperation<Api = A>>(&mut self) {
        self.by_id.insert(O::OPERATION.id, decode::<O>);
    }
}

fn decode<O: MockOperation>(status: u16, body: &[u8], strict: bool) -> Outcome {
    match decode_as::<O>(status, body, strict) {
        Ok(response) => Outcome::Decoded(response.deviations().to_vec()),
        Err(SdkError::Api(error)) => Outcome::Decoded(error.deviations().to_vec()),
        Err(SdkError::Decode(error)) if strict && !error.deviations().is_empty() => {
            Outcome::Refused(error.deviations().to_vec())
        }
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// The decoders of every operation of the crate under test.
fn decoders() -> BTreeMap<&'static str, Decoder> {
    let mut decoders = Decoders {
        by_id: BTreeMap::new(),
        api: PhantomData,
    };
    api::testing::for_each_operation(&mut decoders);
    decoders.by_id
}

/// A deviation as the cases write it.
fn triple(deviation: &Deviation) -> [String; 3] {
    [
        deviation.pointer().to_owned(),
        format!("{:?}", deviation.kind()),
        format!("{:?}", deviation.resolution()),
    ]
}

/// Runs every case, and returns a line per case that failed.
pub fn run(cases: &[(String, Case)]) -> Vec<String> {
    let decoders = decoders();
    let mut failures = Vec::new();
    for (name, case) in cases {
        let Some(body) = &case.body else {
            failures.push(format!("{name}: no body"));
            continue;
        };
        if let Err(failure) = check(&decoders, &case.operation, case.status, body, &case.deviations) {
            failures.push(format!("{name} ({}, {}): {failure}", case.operation, case.about));
        }
    }
    failures
}

/// Runs every sample and each of its mutations; returns how many bodies that was, and a line
/// per body that failed.
pub fn run_samples(samples: &[Sample]) -> (usize, Vec<String>) {
    let decoders = decoders();
    let mut count = 0;
    let mut failures = Vec::new();
    for sample in samples {
        let Sample {
            operation,
            status,
            body,
            mutations,
        } = sample;
        count += 1;
        if let Err(failure) = check(&decoders, operation, *status, body, &[]) {
            failures.push(format!("{operation}, the sample: {failure}"));
        }
        for mutation in mutations {
            count += 1;
            let mut mutated = body.clone();
            apply(&mut mutated, mutation);
            let expected = std::slice::from_ref(&mutation.expected);
            if let Err(failure) = check(&decoders, operation, *status, &mutated, expected) {
                failures.push(format!("{operation}, {}: {failure}", mutation.about));
            }
        }
    }
    (count, failures)
}

/// Decodes `body` as `operation`'s response leniently, then strictly, and checks that it
/// reports exactly `expected` and that the strict decode refuses exactly that (or, when it
/// deviates nowhere, decodes).
fn check(
    decoders: &BTreeMap<&'static str, Decoder>,
    operation: &str,
    status: u16,
    body: &Value,
    expected: &[[String; 3]],
) -> Result<(), String> {
    let decode = decoders
        .get(operation)
        .ok_or_else(|| format!("no operation {operation}"))?;
    let bytes = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    let found = match decode(status, &bytes, false) {
        Outcome::Decoded(deviations) => deviations,
        Outcome::Failed(error) => return Err(format!("does not decode leniently: {error}")),
        Outcome::Refused(_) => return Err("a lenient decode refused it".to_owned()),
    };
    let triples: Vec<[String; 3]> = found.iter().map(triple).collect();
    if triples != expected {
        return Err(format!("reports {triples:?}, expected {expected:?}"));
    }
    match (decode(status, &bytes, true), found.is_empty()) {
        (Outcome::Decoded(none), true) if none.is_empty() => Ok(()),
        (Outcome::Refused(refused), false) if refused == found => Ok(()),
        (Outcome::Failed(error), _) => Err(format!("strictly, fails otherwise: {error}")),
        (other, _) => Err(format!("strictly: {other:?}")),
    }
}

/// The hand-written cases in `dir`: every `*.json` file but the bases they name, each with its
/// body made, sorted by file name.
pub fn cases_in(dir: &Path) -> Vec<(String, Case)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let mut cases = Vec::new();
    let mut bases = std::collections::BTreeSet::new();
    for name in &names {
        let value = read(name);
        if value.get("deviations").is_none() {
            continue;
        }
        let mut case: Case = serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(base) = &case.base {
            bases.insert(base.clone());
            let mut body = read(base);
            if let Some(patch) = &case.patch {
                json_patch::patch(&mut body, patch).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            case.body = Some(body);
        }
        cases.push((name.clone(), case));
    }
    let unused: Vec<&String> = names
        .iter()
        .filter(|name| !bases.contains(*name) && !cases.iter().any(|(case, _)| case == *name))
        .collect();
    assert!(unused.is_empty(), "files that are neither cases nor bases: {unused:?}");
    cases
}
