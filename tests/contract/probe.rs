// The probe of every operation of a crate generated from a Clerk spec, against Stoplight Prism
// serving that spec's responses. `cargo xtask contract` generates each crate of `spec/upstream/`
// with a `tests/probe.rs` that names the crate `api` and includes this file, starts Prism and
// runs it with:
//
// - `PRISM_URL`: where Prism listens;
// - `PROBE_MODE`: `dynamic` (Prism makes up a valid response from the schema each time; each
//   operation is called three times) or `static` (Prism answers with the spec's examples or the
//   least it can make from the schema, which may lack required fields; each operation is
//   called for its success and for each error status it lists, leniently and strictly).
//
// Prism serves a copy of the spec whose operations take any request (xtask strips request
// bodies and parameters other than path ones), so every operation reaches its responses: the
// requests are checked exactly by the contract tests beside this one, the responses here.
//
// What counts: a call that gives its value or its documented error is fine, with or without
// deviations from the spec, provided Prism flags each deviation too: Prism checks every answer
// it gives against the spec (its `sl-violations` header), so a deviation it does not flag is
// the generator misreading the spec. A decode failure, a refused `Accept` (406) or any other
// failure is not fine. In static mode a strict call must fail on exactly the deviations the
// lenient call reported, and pass when there were none.

use std::fmt::Write as _;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use api::runtime::testing::{MockOperation, OperationVisitor, with_test_credentials};
use api::runtime::{Api, Call, Client};
use api::{Deviation, RetryConfig, SdkError};

/// Calls per operation in dynamic mode: Prism's answers differ each time.
const DYNAMIC_CALLS: usize = 3;
/// How many problems the report lists in full.
const LISTED: usize = 40;

/// The probe of one operation: the findings of its calls.
type Probe = for<'a> fn(&'a Context) -> Pin<Box<dyn Future<Output = Vec<Finding>> + 'a>>;

/// What every probe needs.
struct Context {
    url: String,
    http: api::reqwest::Client,
    dynamic: bool,
}

/// The probes of every operation, in spec order.
struct Probes<A> {
    probes: Vec<Probe>,
    api: PhantomData<A>,
}

impl<A: Api> OperationVisitor for Probes<A> {
    type Api = A;

    fn visit<O: MockOperation<Api = A>>(&mut self) {
        self.probes.push(probe::<O>);
    }
}

/// What one call came to.
#[derive(Debug)]
enum Finding {
    /// The value, or the documented error asked for, with the deviations it had, each as
    /// `Operation: deviation`, and how many of them Prism did not flag.
    Fine { deviations: Vec<String>, unexplained: usize },
    /// A problem, described.
    Problem { kind: &'static str, detail: String },
}

fn problem(kind: &'static str, operation: &str, detail: impl std::fmt::Display) -> Finding {
    let detail = detail.to_string();
    Finding::Problem {
        kind,
        // An error's text already starts with the operation.
        detail: if detail.starts_with(operation) {
            detail
        } else {
            format!("{operation}: {detail}")
        },
    }
}

/// A call's value or error, reduced to what the probe compares: the status it answered with
/// and the deviations, or the error.
type Reply<E> = Result<(u16, Vec<Deviation>, Flagged), SdkError<E>>;

/// Where Prism says its own response breaks the spec (its `sl-violations` header): its answers
/// are not always valid, as when an `allOf` narrows an enum, or when a static answer lacks
/// required properties.
#[derive(Debug)]
enum Flagged {
    /// The JSON pointers of the places it lists.
    Places(Vec<String>),
    /// More places than it lists ("Too many violations!"): the whole body.
    Everywhere,
}

/// The places in the response body that Prism's `sl-violations` header flags.
fn flagged(headers: Option<&api::reqwest::header::HeaderMap>) -> Flagged {
    let Some(header) = headers.and_then(|headers| headers.get("sl-violations")) else {
        return Flagged::Places(Vec::new());
    };
    if header.as_bytes().starts_with(b"Too many violations!") {
        return Flagged::Everywhere;
    }
    let violations: Vec<serde_json::Value> = serde_json::from_slice(header.as_bytes()).unwrap_or_default();
    let places = violations
        .iter()
        .filter_map(|violation| {
            let location = violation.get("location")?.as_array()?;
            let location: Vec<&str> = location.iter().filter_map(|segment| segment.as_str()).collect();
            let rest = location.strip_prefix(&["response", "body"][..])?;
            Some(
                rest.iter()
                    .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
                    .collect(),
            )
        })
        .collect();
    Flagged::Places(places)
}

/// Whether Prism flagged the place of `deviation`, or a place inside or around it.
fn explained(deviation: &Deviation, flagged: &Flagged) -> bool {
    let pointer = deviation.pointer();
    let within = |outer: &str, inner: &str| inner == outer || inner.starts_with(&format!("{outer}/"));
    match flagged {
        Flagged::Everywhere => true,
        Flagged::Places(places) => places
            .iter()
            .any(|place| within(place, pointer) || within(pointer, place)),
    }
}

/// Calls operation `O` once, with a placeholder for each path parameter.
async fn call<O: MockOperation>(
    client: &Client<O::Api>,
    prefer: Option<u16>,
    strict: bool,
) -> Reply<<O::Api as Api>::ErrorBody> {
    let arguments = O::OPERATION.path.matches('{').count();
    let placeholders: Vec<&str> = (0..arguments).map(|_| "probe_1").collect();
    let mut call = Call::<O::Api, O::Output>::new(client, O::OPERATION, &placeholders).strict_responses(strict);
    if let Some(status) = prefer {
        call = call.header("prefer", format!("code={status}"));
    }
    call.send_with_response().await.map(|response| {
        let flagged = flagged(Some(response.headers()));
        (response.status().as_u16(), response.deviations().to_vec(), flagged)
    })
}

/// Judges one call: a value or the documented error `expected` is fine; anything else is a
/// problem.
fn judge<E: std::fmt::Debug>(operation: &str, expected: Option<u16>, reply: &Reply<E>) -> Finding {
    let fine = |deviations: &[Deviation], flagged: &Flagged| Finding::Fine {
        deviations: deviations
            .iter()
            .map(|d| {
                let note = if explained(d, flagged) { " (Prism flags it too)" } else { "" };
                format!("{operation}: {d}{note}")
            })
            .collect(),
        unexplained: deviations.iter().filter(|d| !explained(d, flagged)).count(),
    };
    match reply {
        Ok((status, deviations, flagged)) if expected.is_none() || expected == Some(*status) => {
            fine(deviations, flagged)
        }
        Ok((status, ..)) => problem("unexpected status", operation, format!("{status} where {expected:?} was asked for")),
        Err(SdkError::Api(error)) if Some(error.status().as_u16()) == expected => {
            fine(error.deviations(), &flagged(Some(error.headers())))
        }
        Err(SdkError::Decode(error)) => problem("decode failure", operation, error),
        Err(SdkError::UnexpectedStatus(error)) if error.status() == 406 => problem("refused Accept", operation, error),
        Err(error) => problem("other failure", operation, error),
    }
}

/// A call with a deviation Prism does not flag is a problem: Prism checks every answer it
/// gives against the spec, so such a deviation is the generator misreading the spec.
fn unflagged(operation: &str, finding: Finding) -> Finding {
    match finding {
        Finding::Fine { deviations, unexplained } if unexplained > 0 => {
            problem("deviation Prism does not flag", operation, deviations.join("; "))
        }
        finding => finding,
    }
}

/// Whether the strict call failed on exactly the deviations the lenient one reported, or
/// matched it when there were none.
fn agree<E>(lenient: &Reply<E>, strict: &Reply<E>) -> bool {
    let lenient_deviations = match lenient {
        Ok((_, deviations, _)) => deviations.as_slice(),
        Err(SdkError::Api(error)) => error.deviations(),
        Err(_) => return true,
    };
    match strict {
        _ if lenient_deviations.is_empty() => match (lenient, strict) {
            (Ok((a, ..)), Ok((b, ..))) => a == b,
            (Err(SdkError::Api(a)), Err(SdkError::Api(b))) => a.status() == b.status(),
            _ => false,
        },
        Err(SdkError::Decode(error)) => error.deviations() == lenient_deviations,
        _ => false,
    }
}

/// Probes operation `O`: see the top of the file.
fn probe<O: MockOperation>(context: &Context) -> Pin<Box<dyn Future<Output = Vec<Finding>> + '_>> {
    Box::pin(async move {
        let id = O::OPERATION.id;
        let client = match with_test_credentials(Client::<O::Api>::builder())
            .server_url(&context.url)
            .http_client(context.http.clone())
            .retries(RetryConfig::none())
            .build()
        {
            Ok(client) => client,
            Err(error) => return vec![problem("other failure", id, error)],
        };
        let mut findings = Vec::new();
        if context.dynamic {
            for _ in 0..DYNAMIC_CALLS {
                findings.push(unflagged(id, judge(id, None, &call::<O>(&client, None, false).await)));
            }
            return findings;
        }
        let asked = std::iter::once(None).chain(O::OPERATION.error_statuses.iter().copied().map(Some));
        for prefer in asked {
            let lenient = call::<O>(&client, prefer, false).await;
            let strict = call::<O>(&client, prefer, true).await;
            let finding = unflagged(id, judge(id, prefer, &lenient));
            if matches!(finding, Finding::Fine { .. }) && !agree(&lenient, &strict) {
                let detail = format!("asked for {prefer:?}: lenient {lenient:?}, strict {strict:?}");
                findings.push(problem("strict disagrees", id, detail));
            } else {
                findings.push(finding);
            }
        }
        findings
    })
}

#[tokio::test]
async fn every_operation_decodes_what_prism_answers() {
    let context = Context {
        url: std::env::var("PRISM_URL").expect("PRISM_URL is set by `cargo xtask contract`"),
        http: {
            api::tls::install_default_provider();
            api::reqwest::Client::builder()
                .redirect(api::reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client")
        },
        dynamic: std::env::var("PROBE_MODE").as_deref() == Ok("dynamic"),
    };
    let mut probes = Probes {
        probes: Vec::new(),
        api: PhantomData,
    };
    api::testing::for_each_operation(&mut probes);
    // One after another, so Prism's seeded answers come in the same order on every run.
    let mut findings = Vec::new();
    for probe in &probes.probes {
        findings.extend(probe(&context).await);
    }
    let report = report(probes.probes.len(), &findings, context.dynamic);
    println!("{report}");
    let problems = findings
        .iter()
        .filter(|finding| matches!(finding, Finding::Problem { .. }))
        .count();
    assert_eq!(problems, 0, "{report}");
}

/// The summary line and the problems, listed.
fn report(operations: usize, findings: &[Finding], dynamic: bool) -> String {
    let fine: Vec<&[String]> = findings
        .iter()
        .filter_map(|finding| match finding {
            Finding::Fine { deviations, .. } => Some(deviations.as_slice()),
            Finding::Problem { .. } => None,
        })
        .collect();
    let count = |kind: &str| {
        findings
            .iter()
            .filter(|finding| matches!(finding, Finding::Problem { kind: k, .. } if *k == kind))
            .count()
    };
    let mut text = format!(
        "probe: {} mode, {operations} operations, {} calls: {} fine ({} with deviations, {} deviations in all); \
         {} decode failures, {} refused Accept, {} deviations Prism does not flag, {} strict disagreements, \
         {} unexpected statuses, {} other failures",
        if dynamic { "dynamic" } else { "static" },
        findings.len(),
        fine.len(),
        fine.iter().filter(|deviations| !deviations.is_empty()).count(),
        fine.iter().map(|deviations| deviations.len()).sum::<usize>(),
        count("decode failure"),
        count("refused Accept"),
        count("deviation Prism does not flag"),
        count("strict disagrees"),
        count("unexpected status"),
        count("other failure"),
    );
    let problems = findings.iter().filter_map(|finding| match finding {
        Finding::Problem { kind, detail } => Some(format!("{kind}: {detail}")),
        Finding::Fine { .. } => None,
    });
    list(&mut text, "problems", problems);
    // What a spec's static examples lack, for the reader: these are not failures.
    list(&mut text, "deviations", fine.iter().flat_map(|deviations| deviations.iter().cloned()));
    text
}

/// Appends the first [`LISTED`] of `items` under `heading`, if there are any.
fn list(text: &mut String, heading: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return;
    }
    let _ = write!(text, "\n{heading} ({}):", items.len());
    for item in items.iter().take(LISTED) {
        let _ = write!(text, "\n  {item}");
    }
    if items.len() > LISTED {
        text.push_str("\n  …");
    }
}
