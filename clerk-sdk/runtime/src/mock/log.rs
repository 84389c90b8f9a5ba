//! The mock's log: every request it received, in order, whatever answered it.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;

use super::expectation::{received, without_credentials};
use super::state::{self, AnsweredBy, Hidden, Recorded};
use super::{MockOperation, Received};

/// One request the mock received, as [`Mock::requests`](super::Mock::requests) lists them: in
/// the order they came, whether an expectation, a raw mock of
/// [`server`](super::Mock::server) or nothing answered. Credentials are taken out, as in
/// [`Received`].
///
/// Read it raw (method, path, query, headers, body), or typed as an operation's request with
/// [`as_request_of`](Self::as_request_of).
#[derive(Clone)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The method, such as `PATCH`.
    pub method: String,
    /// The path as sent, percent-encoded.
    pub path: String,
    /// The query's pairs in order, decoded, without credentials.
    pub query: Vec<(String, String)>,
    /// The headers, without `Authorization`, API-key headers and credential cookies.
    pub headers: HeaderMap,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// What answered it.
    pub answered_by: AnsweredBy,
    /// The id of the operation of the expectation it went to (such as `UpdatePhoneNumber`),
    /// if one did; a test asserts the order of calls across operations with it.
    pub operation: Option<&'static str>,
    /// The request as received, credentials and all, to read it typed; never shown.
    raw: Recorded,
    hidden: Arc<Hidden>,
}

impl fmt::Debug for LoggedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoggedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("answered_by", &self.answered_by)
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl LoggedRequest {
    pub(super) fn new(raw: &Recorded, operation: Option<&'static str>, hidden: &Arc<Hidden>) -> Self {
        LoggedRequest {
            method: raw.method.clone(),
            path: raw.path.clone(),
            query: (raw.query.iter())
                .filter(|(name, _)| !hidden.query.contains(&name.as_str()))
                .cloned()
                .collect(),
            headers: without_credentials(&raw.headers, &hidden.headers, &hidden.cookies),
            body: raw.body.clone(),
            answered_by: raw.answered_by.clone(),
            operation,
            raw: raw.clone(),
            hidden: hidden.clone(),
        }
    }

    /// Whether it is a request to the operation `O`: its method, and a path that fits `O`'s.
    pub fn is<O: MockOperation>(&self) -> bool {
        state::operation_matches(O::OPERATION, &self.raw)
    }

    /// The request typed as a request to the operation `O`, as
    /// [`Expectation::received`](super::Expectation::received) reads it back; `None` if it is
    /// not a request to `O`.
    ///
    /// # Errors
    ///
    /// Inside the `Some`: the body does not decode as `O`'s, with the reason.
    pub fn as_request_of<O: MockOperation>(&self) -> Option<Result<Received<O::Body>, String>> {
        self.is::<O>().then(|| received::<O>(&self.raw, &self.hidden))
    }
}
