//! What the mock holds: the expectations, in the order they were given, and every request it
//! was sent; how a request finds its expectation; and the report of what went wrong.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::ResponseTemplate;

use super::ResponseBody;
use crate::api::{ApiDescription, KeyLocation, SchemeKind};
use crate::call::Operation;

/// The longest part of a request body a report quotes.
const QUOTED_BODY_CHARS: usize = 300;

/// The state, recovered if a test panicked while holding it.
pub(super) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One request, as the server received it.
#[derive(Debug, Clone)]
pub(super) struct Recorded {
    pub(super) method: String,
    /// The path, still percent-encoded.
    pub(super) path: String,
    /// The query's pairs, decoded, in order.
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) body: Vec<u8>,
    /// The expectation that answered it, by index; `None` if none did.
    pub(super) answered_by: Option<usize>,
}

/// A condition on requests, with the words that describe it in a report.
#[derive(Clone)]
pub(super) struct Matcher {
    pub(super) description: String,
    pub(super) test: Arc<dyn Fn(&Recorded) -> bool + Send + Sync>,
}

/// How one step of an expectation answers.
#[derive(Debug, Clone)]
pub(super) enum Reply {
    /// A status and body.
    Body { status: u16, body: ResponseBody },
    /// A response the test built with wiremock.
    Template(ResponseTemplate),
}

impl Reply {
    fn describe(&self) -> String {
        match self {
            Reply::Body { status, .. } => status.to_string(),
            Reply::Template(_) => "a custom response".to_owned(),
        }
    }

    fn template(&self) -> ResponseTemplate {
        match self {
            Reply::Body { status, body } => {
                let template = ResponseTemplate::new(*status);
                match body.content_type {
                    Some(content_type) => template.set_body_raw(body.bytes.clone(), content_type),
                    None => template,
                }
            }
            Reply::Template(template) => template.clone(),
        }
    }
}

/// One response of an expectation: given `times` times, or for every request once it is the
/// last step.
#[derive(Debug, Clone)]
pub(super) struct Step {
    pub(super) reply: Reply,
    pub(super) times: Option<usize>,
    pub(super) served: usize,
}

/// An expectation: an operation, conditions on its requests, and the responses to give in order.
pub(super) struct Entry {
    pub(super) operation: &'static Operation,
    pub(super) matchers: Vec<Matcher>,
    pub(super) steps: Vec<Step>,
}

impl Entry {
    /// Whether `request` is a call to this operation that meets every condition.
    fn matches(&self, request: &Recorded) -> bool {
        operation_matches(self.operation, request) && self.matchers.iter().all(|m| (m.test)(request))
    }

    /// The step that answers the next request: the first not yet given its count, or the
    /// last when it has no count.
    fn next_step(&mut self) -> Option<&mut Step> {
        let last = self.steps.len().checked_sub(1)?;
        let index = self
            .steps
            .iter()
            .position(|step| step.times.is_some_and(|times| step.served < times))
            .or_else(|| self.steps[last].times.is_none().then_some(last))?;
        self.steps.get_mut(index)
    }

    pub(super) fn describe(&self) -> String {
        describe(self.operation, &self.matchers)
    }
}

/// How an operation with these conditions reads in a report.
pub(super) fn describe(operation: &Operation, matchers: &[Matcher]) -> String {
    let mut text = format!("{} ({} {})", operation.id, operation.method, operation.path);
    for (index, matcher) in matchers.iter().enumerate() {
        text.push_str(if index == 0 { " where " } else { " and " });
        text.push_str(&matcher.description);
    }
    text
}

/// Whether `request` is sent to `operation`: its method, and its path fits the template.
pub(super) fn operation_matches(operation: &Operation, request: &Recorded) -> bool {
    request.method == operation.method.as_str() && path_params(operation.path, &request.path).is_some()
}

/// The path parameters of `path` under `template` (such as `/phone_numbers/{phone_number_id}`),
/// percent-decoded; `None` if the path does not fit. A parameter is a whole segment, or one
/// part of a segment between fixed text (`{id}.json`).
pub(super) fn path_params(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (pattern, segment) in template.iter().zip(path) {
        let Some((before, rest)) = pattern.split_once('{') else {
            if pattern != &segment {
                return None;
            }
            continue;
        };
        let (name, after) = rest.split_once('}')?;
        let value = segment.strip_prefix(before)?.strip_suffix(after)?;
        let decoded = percent_encoding::percent_decode_str(value).decode_utf8().ok()?;
        params.insert(name.to_owned(), decoded.into_owned());
    }
    Some(params)
}

/// Everything the mock knows.
pub(super) struct State {
    api: &'static ApiDescription,
    pub(super) entries: Vec<Entry>,
    pub(super) log: Vec<Recorded>,
}

impl State {
    pub(super) fn new(api: &'static ApiDescription) -> Self {
        State {
            api,
            entries: Vec::new(),
            log: Vec::new(),
        }
    }

    /// The names of query parameters and headers that carry credentials, which are never
    /// shown in a report or handed back to a test.
    pub(super) fn credential_names(&self, location: KeyLocation) -> Vec<&'static str> {
        self.api
            .schemes
            .iter()
            .filter_map(|scheme| match scheme.kind {
                SchemeKind::ApiKey { location: at, name } if at == location => Some(name),
                _ => None,
            })
            .collect()
    }

    /// Answers `request` from the newest expectation that matches it and has a step left, and
    /// records it.
    fn answer(&mut self, mut request: Recorded) -> ResponseTemplate {
        let found = self.entries.iter_mut().enumerate().rev().find_map(|(index, entry)| {
            if !entry.matches(&request) {
                return None;
            }
            let step = entry.next_step()?;
            step.served += 1;
            Some((index, step.reply.template()))
        });
        let template = match found {
            Some((index, template)) => {
                request.answered_by = Some(index);
                template
            }
            None => {
                let message = format!("the mock has no expectation for {}", self.describe_request(&request));
                ResponseTemplate::new(404).set_body_json(serde_json::json!({
                    "errors": [{
                        "code": "mock_unmatched_request",
                        "message": message,
                        "long_message": format!("{message}.\n{}", self.describe_expectations()),
                    }]
                }))
            }
        };
        self.log.push(request);
        template
    }

    /// A request in a report: method, path, the query without credentials, and the start of
    /// the body.
    fn describe_request(&self, request: &Recorded) -> String {
        let hidden = self.credential_names(KeyLocation::Query);
        let query: Vec<String> = request
            .query
            .iter()
            .filter(|(name, _)| !hidden.contains(&name.as_str()))
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let mut text = format!("{} {}", request.method, request.path);
        if !query.is_empty() {
            let _ = write!(text, "?{}", query.join("&"));
        }
        if request.body.is_empty() {
            text.push_str(" without a body");
        } else {
            let body = String::from_utf8_lossy(&request.body);
            let quoted: String = body.chars().take(QUOTED_BODY_CHARS).collect();
            let cut = if quoted.len() < body.len() { "..." } else { "" };
            let _ = write!(text, " with body {quoted}{cut}");
        }
        text
    }

    fn describe_expectations(&self) -> String {
        if self.entries.is_empty() {
            return "No expectations were given.".to_owned();
        }
        let mut text = "Expectations, newest last:".to_owned();
        for entry in &self.entries {
            let steps: Vec<String> = entry
                .steps
                .iter()
                .map(|step| match step.times {
                    Some(times) => format!("{} x{times} ({} given)", step.reply.describe(), step.served),
                    None => format!("{} ({} given)", step.reply.describe(), step.served),
                })
                .collect();
            let _ = write!(text, "\n  - {}: {}", entry.describe(), steps.join(", then "));
        }
        text
    }

    /// The requests that matched no expectation, and the steps given a count they did not
    /// reach.
    pub(super) fn report(&self) -> Result<(), String> {
        let unmatched: Vec<String> = self
            .log
            .iter()
            .filter(|request| request.answered_by.is_none())
            .map(|request| format!("\n  - {}", self.describe_request(request)))
            .collect();
        let mut unmet = Vec::new();
        for entry in &self.entries {
            for (number, step) in entry.steps.iter().enumerate() {
                if let Some(times) = step.times.filter(|times| step.served < *times) {
                    unmet.push(format!(
                        "\n  - {}: response {} ({}) expected {times} time(s), given {}",
                        entry.describe(),
                        number + 1,
                        step.reply.describe(),
                        step.served
                    ));
                }
            }
        }
        if unmatched.is_empty() && unmet.is_empty() {
            return Ok(());
        }
        let mut report = format!("the mock of {} was not used as expected.", self.api.title);
        if !unmatched.is_empty() {
            let _ = write!(report, "\nRequests that matched no expectation:{}", unmatched.concat());
        }
        if !unmet.is_empty() {
            let _ = write!(report, "\nExpected requests that did not come:{}", unmet.concat());
        }
        let _ = write!(report, "\n{}", self.describe_expectations());
        Err(report)
    }
}

/// The responder the raw server runs every request through.
pub(super) struct Responder(pub(super) Arc<Mutex<State>>);

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let recorded = Recorded {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query_pairs().into_owned().collect(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            answered_by: None,
        };
        lock(&self.0).answer(recorded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_from_whole_segments_and_parts() {
        let params = path_params("/phone_numbers/{id}", "/phone_numbers/phone%201").expect("fits");
        assert_eq!(params["id"], "phone 1");
        let params = path_params("/files/{name}.json/x", "/files/a.json/x").expect("fits");
        assert_eq!(params["name"], "a");
        for path in ["/phone_numbers", "/phone_numbers/a/b", "/users/a"] {
            assert_eq!(path_params("/phone_numbers/{id}", path), None, "{path}");
        }
        assert_eq!(path_params("/files/{name}.json", "/files/a.yaml"), None);
    }

    fn step(times: Option<usize>, served: usize) -> Step {
        Step {
            reply: Reply::Body {
                status: 200,
                body: super::super::empty_response(&()),
            },
            times,
            served,
        }
    }

    #[test]
    fn steps_are_given_in_order_and_the_last_without_a_count_repeats() {
        const OPERATION: Operation = Operation {
            id: "Get",
            method: reqwest::Method::GET,
            path: "/a",
            error_statuses: &[],
            retry: crate::retry::RetryClass::Idempotent,
            security: &[],
            default_errors: false,
            accept: "application/json",
        };
        let mut entry = Entry {
            operation: &OPERATION,
            matchers: Vec::new(),
            steps: vec![step(Some(2), 2), step(Some(1), 0), step(None, 5)],
        };
        assert_eq!(entry.next_step().map(|s| s.times), Some(Some(1)));
        entry.steps[1].served = 1;
        assert_eq!(entry.next_step().map(|s| s.times), Some(None));
        entry.steps.pop();
        assert!(entry.next_step().is_none(), "counted steps all given");
    }
}
