//! What the mock holds: the expectations, in the order they were given, and every request it
//! received, in order; how a request finds its expectation and is answered. What the mock says
//! when it was not used as expected is in `report.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::ResponseTemplate;

use super::ResponseBody;
use crate::api::{ApiDescription, KeyLocation, SchemeKind};
use crate::call::Operation;

/// The header on every answer the mock gives for itself rather than for an expectation (a
/// request nothing expected, one an expectation forbade, one a computed response could not
/// read), so the mock's clients can tell it from the API's answers.
pub(super) const MOCK_FAILURE_HEADER: &str = "x-clerk-sdk-mock-failure";

/// The status of those answers: 421 Misdirected Request ("this server cannot answer it"),
/// which Clerk never sends and no retry policy retries, so an application cannot take it for
/// one of Clerk's answers (a 404 "not found", say).
pub(super) const MOCK_FAILURE_STATUS: u16 = 421;

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
    pub(super) answered_by: AnsweredBy,
}

impl Recorded {
    fn of(request: &wiremock::Request) -> Self {
        Recorded {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query_pairs().into_owned().collect(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            answered_by: AnsweredBy::Server,
        }
    }

    /// Whether `other` is a request with the same method, path, query and body.
    fn same_request(&self, other: &Recorded) -> bool {
        (self.method == other.method && self.path == other.path)
            && (self.query == other.query && self.body == other.body)
    }
}

/// What answered a request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnsweredBy {
    /// The expectation with this index among those given (the first is 0).
    Expectation(usize),
    /// A mock mounted on the raw server ([`Mock::server`](super::Mock::server)).
    Server,
    /// Nothing: no expectation matched it. The mock fails the test.
    Nobody,
    /// The expectation with this index, which said [`never`](super::Expectation::never). The
    /// mock fails the test.
    Forbidden(usize),
    /// The expectation with this index could not compute its response from the request
    /// (its body did not decode), for this reason. The mock fails the test.
    Unreadable(usize, String),
}

impl AnsweredBy {
    /// The index of the expectation the request went to, whatever it answered.
    pub(super) fn expectation(&self) -> Option<usize> {
        match self {
            AnsweredBy::Expectation(index) | AnsweredBy::Forbidden(index) | AnsweredBy::Unreadable(index, _) => {
                Some(*index)
            }
            AnsweredBy::Server | AnsweredBy::Nobody => None,
        }
    }
}

/// The names of the query parameters, headers and cookies that carry credentials, which are
/// never shown in a report or handed back to a test.
pub(super) struct Hidden {
    pub(super) query: Vec<&'static str>,
    pub(super) headers: Vec<&'static str>,
    pub(super) cookies: Vec<&'static str>,
}

/// A response computed from the request: the response, or why the request could not be read.
pub(super) type Compute = Arc<dyn Fn(&Recorded, &Hidden) -> Result<ResponseTemplate, String> + Send + Sync>;

/// A condition on requests, with the words that describe it in a report.
#[derive(Clone)]
pub(super) struct Matcher {
    pub(super) description: String,
    pub(super) test: Arc<dyn Fn(&Recorded) -> bool + Send + Sync>,
}

/// How one step of an expectation answers.
#[derive(Clone)]
pub(super) enum Reply {
    /// A status and body.
    Body { status: u16, body: ResponseBody },
    /// A response the test built with wiremock.
    Template(ResponseTemplate),
    /// A response computed from the request, with the success status.
    Computed(Compute),
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Reply {
    pub(super) fn describe(&self) -> String {
        match self {
            Reply::Body { status, .. } => status.to_string(),
            Reply::Template(_) => "a custom response".to_owned(),
            Reply::Computed(_) => "a computed response".to_owned(),
        }
    }

    /// The response to `request`, or why it could not be computed.
    fn template(&self, request: &Recorded, hidden: &Hidden) -> Result<ResponseTemplate, String> {
        match self {
            Reply::Body { status, body } => Ok(body_template(*status, body)),
            Reply::Template(template) => Ok(template.clone()),
            Reply::Computed(compute) => compute(request, hidden),
        }
    }
}

/// A response of `status` with `body`.
pub(super) fn body_template(status: u16, body: &ResponseBody) -> ResponseTemplate {
    let template = ResponseTemplate::new(status);
    match body.content_type {
        Some(content_type) => template.set_body_raw(body.bytes.clone(), content_type),
        None => template,
    }
}

/// One response of an expectation: given `times` times, or for every request once it is the
/// last step without a count.
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
    /// Whether a matching request fails the test ([`never`](super::Expectation::never)).
    pub(super) never: bool,
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
    pub(super) api: &'static ApiDescription,
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

    /// The credential names of every kind.
    pub(super) fn hidden(&self) -> Hidden {
        Hidden {
            query: self.credential_names(KeyLocation::Query),
            headers: self.credential_names(KeyLocation::Header),
            cookies: self.credential_names(KeyLocation::Cookie),
        }
    }

    /// Answers `request` from the newest expectation that matches it and has a step left (or
    /// forbids it), and records it.
    fn answer(&mut self, mut request: Recorded) -> ResponseTemplate {
        let hidden = self.hidden();
        let found = self.entries.iter_mut().enumerate().rev().find_map(|(index, entry)| {
            if !entry.matches(&request) {
                return None;
            }
            if entry.never {
                return Some((AnsweredBy::Forbidden(index), None));
            }
            let step = entry.next_step()?;
            step.served += 1;
            Some(match step.reply.template(&request, &hidden) {
                Ok(template) => (AnsweredBy::Expectation(index), Some(template)),
                Err(reason) => (AnsweredBy::Unreadable(index, reason), None),
            })
        });
        let (answered_by, template) = found.unwrap_or((AnsweredBy::Nobody, None));
        request.answered_by = answered_by;
        let template = template.unwrap_or_else(|| self.failure_answer(&request));
        self.record(request);
        template
    }

    /// Logs `request`, in the place the [`Recorder`] kept for it when it came.
    fn record(&mut self, request: Recorded) {
        match self.log.last_mut() {
            // wiremock answers one request at a time, under a lock, so the last entry is this
            // request's, recorded as answered by the server before it reached the responder.
            Some(last) if last.answered_by == AnsweredBy::Server && last.same_request(&request) => *last = request,
            _ => self.log.push(request),
        }
    }
}

/// The responder of every request the raw server has no mock of its own for: it goes through
/// the typed expectations.
pub(super) struct Responder(pub(super) Arc<Mutex<State>>);

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        lock(&self.0).answer(Recorded::of(request))
    }
}

/// Logs every request as it comes, before any mock answers it, so the log holds the requests
/// the raw server's own mocks answer too, in order. wiremock has no hook that sees every
/// request, so this is a matcher, checked first, that logs the request and never matches.
pub(super) struct Recorder(pub(super) Arc<Mutex<State>>);

impl wiremock::Match for Recorder {
    fn matches(&self, request: &wiremock::Request) -> bool {
        lock(&self.0).log.push(Recorded::of(request));
        false
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
            never: false,
        };
        assert_eq!(entry.next_step().map(|s| s.times), Some(Some(1)));
        entry.steps[1].served = 1;
        assert_eq!(entry.next_step().map(|s| s.times), Some(None));
        entry.steps.pop();
        assert!(entry.next_step().is_none(), "counted steps all given");
    }
}
