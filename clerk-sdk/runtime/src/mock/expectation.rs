//! One expectation of one operation: which of its requests it matches, how it answers them,
//! and what those requests carried.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderValue};
use serde::Serialize;

use super::state::{self, Hidden, Matcher, Recorded, Reply, State, Step};
use super::{MockOperation, ResponseBody, lists};
use crate::api::{Api, KeyLocation};
use crate::call::{Style, query_pairs};

/// What an operation's request carried, as a test reads it back: the path parameters, the
/// query, the headers and the decoded body. Credentials are taken out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received<B> {
    /// The path parameters by name, percent-decoded.
    pub path_params: BTreeMap<String, String>,
    /// The query's pairs in order, decoded, without credentials.
    pub query: Vec<(String, String)>,
    /// The headers, without `Authorization`, API-key headers and credential cookies.
    pub headers: HeaderMap,
    /// The body, decoded as the operation sends it: the model for JSON, so a three-state
    /// field tells unset, `null` and a value apart.
    pub body: B,
}

impl<B> Received<B> {
    /// The value of query parameter `name`, the first if it was sent more than once.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        let (_, value) = self.query.iter().find(|(sent, _)| sent == name)?;
        Some(value)
    }
}

/// An expectation of the operation `O`, made by the generated per-operation method of the
/// mock (such as `mock.phone_numbers().get()`).
///
/// Conditions narrow which requests it answers. Responses are given in the order they were
/// written: each answers one request, or `n` with [`times`](Self::times)`(n)`, and the last one
/// without a count answers every request after. So `.status(503).returns(value)` answers one
/// 503, then `value` for good, and the mock fails the test if the 503 was never asked for.
/// [`never`](Self::never) instead fails the test if a matching request comes. The newest
/// expectation that matches a request answers it.
pub struct Expectation<'a, O> {
    state: &'a Arc<Mutex<State>>,
    matchers: Vec<Matcher>,
    /// Its index among the mock's expectations, once it has a response.
    entry: Option<usize>,
    operation: PhantomData<fn() -> O>,
}

impl<O: MockOperation> fmt::Debug for Expectation<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&state::describe(O::OPERATION, &self.matchers))
    }
}

impl<'a, O: MockOperation> Expectation<'a, O> {
    pub(super) fn new(state: &'a Arc<Mutex<State>>) -> Self {
        Expectation {
            state,
            matchers: Vec::new(),
            entry: None,
            operation: PhantomData,
        }
    }

    fn matching(mut self, description: String, test: impl Fn(&Recorded) -> bool + Send + Sync + 'static) -> Self {
        let matcher = Matcher {
            description,
            test: Arc::new(test),
        };
        if let Some(index) = self.entry {
            state::lock(self.state).entries[index].matchers.push(matcher.clone());
        }
        self.matchers.push(matcher);
        self
    }

    fn match_path_param(self, name: &'static str, value: String) -> Self {
        let path = O::OPERATION.path;
        let description = format!("{name} = {value:?}");
        self.matching(description, move |request| {
            state::path_params(path, &request.path).is_some_and(|params| params.get(name) == Some(&value))
        })
    }

    fn match_query(self, query: &impl Serialize, styles: &[(&str, Style)]) -> Self {
        let expected = serde_json::to_value(query)
            .map_err(|e| e.to_string())
            .and_then(|value| query_pairs(value, styles))
            .map(|pairs| decoded(&pairs));
        let description = format!("the query is {expected:?}");
        let hidden = state::lock(self.state).credential_names(KeyLocation::Query);
        self.matching(description, move |request| {
            let Ok(expected) = &expected else { return false };
            let set_by_sdk =
                |name: &str| O::SDK_QUERY.contains(&name) && !expected.iter().any(|(wanted, _)| wanted == name);
            let mut sent: Vec<&(String, String)> = request
                .query
                .iter()
                .filter(|(name, _)| !hidden.contains(&name.as_str()) && !set_by_sdk(name))
                .collect();
            let mut expected: Vec<&(String, String)> = expected.iter().collect();
            sent.sort();
            expected.sort();
            sent == expected
        })
    }

    fn match_body(self, body: O::Body) -> Self {
        let description = format!("the body is {body:?}");
        self.matching(description, move |request| {
            O::decode_body(&request.body).is_ok_and(|sent| sent == body)
        })
    }

    fn match_body_where(
        self,
        description: String,
        predicate: impl Fn(&O::Body) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matching(description, move |request| {
            O::decode_body(&request.body).is_ok_and(|sent| predicate(&sent))
        })
    }

    /// Adds a step that answers with `reply`. A step before it without a count now answers
    /// once, as written, instead of for good.
    fn then(mut self, reply: Reply) -> Self {
        let step = Step {
            reply,
            times: None,
            served: 0,
        };
        let mut state = state::lock(self.state);
        match self.entry {
            Some(index) => {
                let entry = &mut state.entries[index];
                if entry.never {
                    drop(state);
                    panic!(
                        "{}: an expectation that says never() gives no response; make another expectation for the requests it answers",
                        O::OPERATION.id
                    );
                }
                if let Some(last) = entry.steps.last_mut() {
                    last.times.get_or_insert(1);
                }
                entry.steps.push(step);
            }
            None => self.entry = Some(push_entry::<O>(&mut state, &self.matchers, vec![step], false)),
        }
        drop(state);
        self
    }

    fn forbid(mut self) -> Self {
        if self.entry.is_some() {
            panic!(
                "{}: never() cannot follow a response; write it on an expectation of its own, as in mock.expect::<Op>().never()",
                O::OPERATION.id
            );
        }
        let mut state = state::lock(self.state);
        self.entry = Some(push_entry::<O>(&mut state, &self.matchers, Vec::new(), true));
        drop(state);
        self
    }

    fn answer_value(self, value: &O::Response) -> Self {
        let body = O::encode_response(value);
        self.then(Reply::Body {
            status: O::SUCCESS_STATUS,
            body,
        })
    }

    fn answer_error(self, status: u16, errors: &<O::Api as Api>::ErrorBody) -> Self {
        self.then(Reply::Body {
            status,
            body: super::json_response(errors),
        })
    }

    fn answer_status(self, status: u16) -> Self {
        self.then(Reply::Body {
            status,
            body: super::empty_response(&()),
        })
    }

    fn answer_template(self, template: wiremock::ResponseTemplate) -> Self {
        self.then(Reply::Template(template))
    }

    fn answer_computed(self, compute: impl Fn(&Received<O::Body>) -> O::Response + Send + Sync + 'static) -> Self {
        self.then(Reply::Computed(std::sync::Arc::new(move |request, hidden| {
            let received = received::<O>(request, hidden)?;
            let body = O::encode_response(&compute(&received));
            Ok(state::body_template(O::SUCCESS_STATUS, &body))
        })))
    }

    /// `serves_list`: every request answered with its page of `items`.
    fn answer_list<I: Serialize>(self, items: &[I]) -> Self {
        let Some(paging) = O::PAGING else {
            panic!(
                "{}: serves_list(..) is for list operations, and this one is not",
                O::OPERATION.id
            );
        };
        let items: Vec<serde_json::Value> = items
            .iter()
            .map(|item| {
                serde_json::to_value(item).unwrap_or_else(|e| {
                    panic!(
                        "{}: an item of serves_list(..) does not serialize: {e}",
                        O::OPERATION.id
                    )
                })
            })
            .collect();
        self.then(Reply::Computed(std::sync::Arc::new(move |request, _| {
            let body = lists::page_body(paging, &items, &request.query);
            let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
            Ok(state::body_template(
                O::SUCCESS_STATUS,
                &ResponseBody {
                    content_type: Some("application/json"),
                    bytes,
                },
            ))
        })))
    }

    /// `pages`: each page once, in order.
    fn answer_pages(mut self, pages: Vec<O::Response>) -> Self {
        if pages.is_empty() {
            panic!("{}: pages(..) needs at least one page", O::OPERATION.id);
        }
        for page in &pages {
            self = self.answer_value(page).count_last(1);
        }
        self
    }

    fn count_last(self, n: usize) -> Self {
        let Some(index) = self.entry else {
            panic!("times({n}) counts the response before it; give a response first, as in .status(503).times({n})");
        };
        if n == 0 {
            panic!(
                "{}: times(0) would give the response to no request; to fail the test if such a request comes, write .never() on an expectation of its own",
                O::OPERATION.id
            );
        }
        let mut state = state::lock(self.state);
        let Some(step) = state.entries[index].steps.last_mut() else {
            drop(state);
            panic!(
                "{}: times({n}) counts a response, and never() gives none",
                O::OPERATION.id
            );
        };
        step.times = Some(n);
        drop(state);
        self
    }

    /// The requests to this operation that meet this expectation's conditions, in the order
    /// they came, whether or not it answered them.
    ///
    /// # Panics
    ///
    /// If a request's body does not decode as the operation's body, with the reason.
    pub fn received(&self) -> Vec<Received<O::Body>> {
        let state = state::lock(self.state);
        let hidden = state.hidden();
        state
            .log
            .iter()
            .filter(|request| state::operation_matches(O::OPERATION, request))
            .filter(|request| self.matchers.iter().all(|m| (m.test)(request)))
            .map(|request| received::<O>(request, &hidden).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }
}

/// Adds an expectation of `O` to the mock and returns its index.
fn push_entry<O: MockOperation>(state: &mut State, matchers: &[Matcher], steps: Vec<Step>, never: bool) -> usize {
    state.entries.push(state::Entry {
        operation: O::OPERATION,
        matchers: matchers.to_vec(),
        steps,
        never,
    });
    state.entries.len() - 1
}

/// `request`, a request to `O`, as a test reads it back, without the credentials `hidden`
/// names.
///
/// # Errors
///
/// If its body does not decode as `O`'s body, with the reason.
pub(super) fn received<O: MockOperation>(request: &Recorded, hidden: &Hidden) -> Result<Received<O::Body>, String> {
    let body = O::decode_body(&request.body)
        .map_err(|e| format!("{} was sent a body it cannot read: {e}", O::OPERATION.id))?;
    Ok(Received {
        path_params: state::path_params(O::OPERATION.path, &request.path).unwrap_or_default(),
        query: (request.query.iter())
            .filter(|(name, _)| !hidden.query.contains(&name.as_str()))
            .cloned()
            .collect(),
        headers: without_credentials(&request.headers, &hidden.headers, &hidden.cookies),
        body,
    })
}

/// Writes the methods of [`__expectation_methods!`](crate::__expectation_methods) as methods of
/// the runtime's `Expectation`, each running its body.
macro_rules! runtime_methods {
    (; $($(#[$attr:meta])* fn $name:ident($receiver:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*) => {
        impl<O: MockOperation> Expectation<'_, O> {
            $(
                $(#[$attr])*
                pub fn $name(self $(, $arg: $ty)*) -> Self {
                    let $receiver = self;
                    $body
                }
            )*
        }
    };
}

crate::__expectation_methods!(runtime_methods,);

/// Encoded pairs, decoded, to compare with what the server read.
fn decoded(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let text: Vec<String> = pairs.iter().map(|(name, value)| format!("{name}={value}")).collect();
    form_urlencoded::parse(text.join("&").as_bytes()).into_owned().collect()
}

/// `headers` without `Authorization`, the API-key headers and the credential cookies.
pub(super) fn without_credentials(headers: &HeaderMap, hidden: &[&str], cookies: &[&str]) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for (name, value) in headers {
        if name == AUTHORIZATION || hidden.iter().any(|h| name.as_str().eq_ignore_ascii_case(h)) {
            continue;
        }
        if name == COOKIE {
            let text = value.to_str().unwrap_or_default();
            let rest: Vec<&str> = text
                .split("; ")
                .filter(|pair| !cookies.iter().any(|c| pair.split('=').next() == Some(*c)))
                .collect();
            if let (false, Ok(value)) = (rest.is_empty(), HeaderValue::from_str(&rest.join("; "))) {
                kept.append(COOKIE, value);
            }
            continue;
        }
        kept.append(name.clone(), value.clone());
    }
    kept
}
