//! The SDK's error type.
//!
//! Every failure of a call is an [`SdkError`], generic over the body of the API's error
//! responses: the schema the spec's error responses use (for Clerk's Backend API,
//! `ClerkErrors`, and each generated crate's `Error` names its API's instance). The
//! variants say where it failed:
//!
//! | variant | when |
//! |---|---|
//! | [`SdkError::Api`] | The server answered with a status the spec lists for the operation; the body is parsed into the error type. |
//! | [`SdkError::UnexpectedStatus`] | Any other non-2xx status (and a 3xx the operation does not document). The body is kept as text, and parsed as the error type if it is one. |
//! | [`SdkError::Decode`] | A response body could not be decoded: not JSON, the wrong shape at its top level, or (with strict responses) any deviation from the spec. A body that deviates is otherwise decoded leniently, see [`crate::drift`]. |
//! | [`SdkError::Transport`] | The request could not be sent, or the response could not be read. |
//! | [`SdkError::ResponseTooLarge`] | The response body was over the client's limit, so it was not read in full. |
//! | [`SdkError::InvalidRequest`] | The SDK refused to send the request (for example an empty path parameter, or no configured credential). |
//! | [`SdkError::Hook`] | A hook's `before_request` refused the request. |
//! | [`SdkError::Pagination`] | A list being paged through pointed back to a page it gave before, so paging stopped. |
//! | [`SdkError::RateLimited`] | The client's rate limiter would have held the request past the call's deadline. |
//! | [`SdkError::RetryQuotaExhausted`] | A failure that would have been retried, returned at once because the instance's retry quota is spent. |
//! | [`SdkError::DeadlineExceeded`] | The call's deadline passed before it had a response. |
//! | [`SdkError::Config`] | The client could not be built. |
//!
//! No error ever contains a credential: none is part of the request data the errors keep, and
//! transport errors are stripped of the URL, which may carry an API key sent as a query
//! parameter.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use std::convert::Infallible;

use serde::Deserialize;

use crate::drift::Deviation;

/// The longest excerpt of a response body shown in an error's `Display`.
const BODY_EXCERPT_CHARS: usize = 200;

/// The most of a response body an error keeps (64 KiB): enough for any real error page, and a
/// bound on the memory a hostile or broken server can make an error hold.
pub const MAX_KEPT_BODY_BYTES: usize = 64 * 1024;

/// The body an error keeps: its first [`MAX_KEPT_BODY_BYTES`] bytes as text (invalid UTF-8
/// replaced), and whether anything was cut.
fn kept_body(bytes: &[u8]) -> (String, bool) {
    let truncated = bytes.len() > MAX_KEPT_BODY_BYTES;
    let kept = &bytes[..bytes.len().min(MAX_KEPT_BODY_BYTES)];
    (String::from_utf8_lossy(kept).into_owned(), truncated)
}

/// An error from a call or from building the client. `E` is the body of the API's error
/// responses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The server returned one of the statuses the spec lists for this operation.
    #[error(transparent)]
    Api(Box<ApiError<E>>),
    /// The server returned a non-2xx status the spec does not list for this operation.
    #[error(transparent)]
    UnexpectedStatus(Box<UnexpectedStatus<E>>),
    /// A response body could not be decoded: it is not JSON, its top level has another shape
    /// than the spec's, or (with strict responses) it deviates from the spec.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request could not be sent or the response could not be read.
    #[error("{operation}: {}", transport_summary(source))]
    Transport {
        /// The operation, such as `GetPhoneNumber`.
        operation: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// The SDK refused to send the request.
    #[error("{operation}: invalid request: {reason}")]
    InvalidRequest {
        /// The operation, such as `GetPhoneNumber`.
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The response body was longer than the client's limit
    /// ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)),
    /// so it was not read in full.
    #[error("{operation}: the {status} response's body is over the {limit}-byte limit")]
    ResponseTooLarge {
        /// The operation, such as `GetPhoneNumber`.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A [hook](crate::hooks::Hooks) stopped the call before it was sent.
    #[error("{operation}: a hook refused the request: {source}")]
    Hook {
        /// The operation, such as `GetPhoneNumber`.
        operation: &'static str,
        /// The hook's error.
        #[source]
        source: crate::hooks::HookError,
    },
    /// A list being paged through (see [`crate::pagination`]) pointed back to a page it gave
    /// before, so paging stopped instead of reading the list forever.
    #[error("{operation}: paging stopped: {reason}")]
    Pagination {
        /// The list operation, such as `GetUserList`.
        operation: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The client's rate limiter (see [`crate::limits`]) would have held the request this
    /// long, past the call's deadline, so it was not sent.
    #[error("{operation}: the client's rate limiter would hold the request {wait:?}, past the call's deadline")]
    RateLimited {
        /// The operation, such as `GetUserList`.
        operation: &'static str,
        /// How long the request would have waited for its turn.
        wait: std::time::Duration,
    },
    /// An attempt failed in a way that is retried, but the instance's retry quota (see
    /// [`RetryQuota`](crate::limits::RetryQuota)) is spent: most calls to it are failing, so
    /// the failure is returned at once instead of adding load.
    #[error("{operation}: the retry quota is exhausted, so {} is not retried", failure_text(*.status))]
    RetryQuotaExhausted {
        /// The operation, such as `GetUserList`.
        operation: &'static str,
        /// The status of the failed attempt; `None` for a timeout or a connection error.
        status: Option<StatusCode>,
    },
    /// The call's deadline (see [`Call::deadline`](crate::Call::deadline)) passed before it
    /// had a response.
    #[error("{operation}: the call's deadline passed before a response")]
    DeadlineExceeded {
        /// The operation, such as `GetUserList`.
        operation: &'static str,
    },
    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// How [`SdkError::RetryQuotaExhausted`] names the failure it did not retry.
fn failure_text(status: Option<StatusCode>) -> String {
    match status {
        Some(status) => format!("the {status} response"),
        None => "the failed attempt".to_owned(),
    }
}

/// Describes a transport error in one line, including its innermost cause (reqwest's own
/// message is often just "error sending request").
pub(crate) fn transport_summary(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "the request timed out".to_owned();
    }
    let mut message = if error.is_connect() {
        "could not connect".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    let mut innermost = None;
    while let Some(cause) = source {
        innermost = Some(cause);
        source = cause.source();
    }
    if let Some(cause) = innermost {
        message.push_str(": ");
        message.push_str(&one_line(&cause.to_string(), BODY_EXCERPT_CHARS));
    }
    message
}

/// An error that holds no error body: what the parts of the runtime that do not decode one
/// return, widened to the API's error type at the edge with [`SdkError::widen`].
pub(crate) type BaseError = SdkError<Infallible>;

impl BaseError {
    /// The same error as an error of an API whose error body is `E`; it holds no body, so
    /// nothing is lost.
    pub(crate) fn widen<E>(self) -> SdkError<E> {
        match self {
            SdkError::Api(error) => match error.errors {},
            SdkError::UnexpectedStatus(error) => SdkError::UnexpectedStatus(Box::new(UnexpectedStatus {
                response: error.response,
                errors: None,
                envelope: error.envelope,
            })),
            SdkError::Decode(error) => SdkError::Decode(error),
            SdkError::Transport { operation, source } => SdkError::Transport { operation, source },
            SdkError::InvalidRequest { operation, reason } => SdkError::InvalidRequest { operation, reason },
            SdkError::ResponseTooLarge {
                operation,
                status,
                limit,
            } => SdkError::ResponseTooLarge {
                operation,
                status,
                limit,
            },
            SdkError::Hook { operation, source } => SdkError::Hook { operation, source },
            SdkError::Pagination { operation, reason } => SdkError::Pagination { operation, reason },
            SdkError::RateLimited { operation, wait } => SdkError::RateLimited { operation, wait },
            SdkError::RetryQuotaExhausted { operation, status } => SdkError::RetryQuotaExhausted { operation, status },
            SdkError::DeadlineExceeded { operation } => SdkError::DeadlineExceeded { operation },
            SdkError::Config(message) => SdkError::Config(message),
        }
    }
}

impl<E> SdkError<E> {
    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            SdkError::Api(error) => Some(error.status),
            SdkError::UnexpectedStatus(error) => Some(error.response.status),
            SdkError::Decode(error) => Some(error.response.status),
            SdkError::Transport { source, .. } => source.status(),
            SdkError::ResponseTooLarge { status, .. } => Some(*status),
            SdkError::RetryQuotaExhausted { status, .. } => *status,
            SdkError::InvalidRequest { .. }
            | SdkError::Hook { .. }
            | SdkError::Pagination { .. }
            | SdkError::RateLimited { .. }
            | SdkError::DeadlineExceeded { .. }
            | SdkError::Config(_) => None,
        }
    }

    /// The response headers, for errors that got a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            SdkError::Api(error) => Some(&error.headers),
            SdkError::UnexpectedStatus(error) => Some(&error.response.headers),
            SdkError::Decode(error) => Some(&error.response.headers),
            SdkError::Transport { .. }
            | SdkError::ResponseTooLarge { .. }
            | SdkError::InvalidRequest { .. }
            | SdkError::Hook { .. }
            | SdkError::Pagination { .. }
            | SdkError::RateLimited { .. }
            | SdkError::RetryQuotaExhausted { .. }
            | SdkError::DeadlineExceeded { .. }
            | SdkError::Config(_) => None,
        }
    }

    /// Clerk's trace id for the failed request, when the response carried one. Include it when
    /// asking Clerk's support about a failure.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        match self {
            SdkError::Api(error) => error.clerk_trace_id(),
            SdkError::UnexpectedStatus(error) => error.clerk_trace_id(),
            _ => None,
        }
    }

    /// The `operationId` of the call that failed, such as `GetPhoneNumber`.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            SdkError::Api(error) => Some(error.operation),
            SdkError::UnexpectedStatus(error) => Some(error.response.operation),
            SdkError::Decode(error) => Some(error.response.operation),
            SdkError::Transport { operation, .. }
            | SdkError::ResponseTooLarge { operation, .. }
            | SdkError::InvalidRequest { operation, .. }
            | SdkError::Hook { operation, .. }
            | SdkError::Pagination { operation, .. }
            | SdkError::RateLimited { operation, .. }
            | SdkError::RetryQuotaExhausted { operation, .. }
            | SdkError::DeadlineExceeded { operation } => Some(operation),
            SdkError::Config(_) => None,
        }
    }

    /// Where the response body differed from the spec: the deviations of an error body that
    /// decoded leniently ([`ApiError::deviations`]), or of a body a strict call refused
    /// ([`DecodeError::deviations`]); empty for every other error. See [`crate::drift`].
    pub fn deviations(&self) -> &[Deviation] {
        match self {
            SdkError::Api(error) => &error.deviations,
            SdkError::Decode(error) => &error.deviations,
            _ => &[],
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Transport { source, .. } if source.is_timeout())
    }
}

/// The server's answer for a status the spec lists for the operation, with its body parsed into
/// the API's error type `E`.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) errors: E,
    pub(crate) headers: HeaderMap,
    pub(crate) envelope: Envelope,
    pub(crate) deviations: Vec<Deviation>,
}

impl<E> ApiError<E> {
    /// Where the error body differed from the spec, if it did: it was decoded leniently, as
    /// success bodies are. See [`crate::drift`].
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The operation that failed, such as `CreatePhoneNumber`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The parsed body: for Clerk's APIs, each error's code and messages, `meta` and the trace
    /// id.
    pub fn errors(&self) -> &E {
        &self.errors
    }

    /// Takes the parsed body.
    pub fn into_errors(self) -> E {
        self.errors
    }

    /// Clerk's trace id for the request, if the body had one.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.envelope.clerk_trace_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `code` of the first error, such as `form_identifier_not_found`.
    pub fn code(&self) -> Option<&str> {
        self.envelope.errors.first().map(|error| error.code.as_str())
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with {}", self.operation, self.status)?;
        if let Some(first) = self.envelope.errors.first() {
            let message = if first.long_message.is_empty() {
                &first.message
            } else {
                &first.long_message
            };
            write!(f, ": {}: {}", first.code, one_line(message, BODY_EXCERPT_CHARS))?;
            let more = self.envelope.errors.len() - 1;
            if more > 0 {
                write!(f, " (and {more} more)")?;
            }
        }
        if let Some(trace) = self.clerk_trace_id() {
            write!(f, " [trace id {trace}]")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// What every Clerk API's error body shares, read from the raw JSON whatever type the spec
/// gives it: `{"errors": [{"code", "message", "long_message"}], "clerk_trace_id"}`. It gives
/// every API the same one-line `Display` and [`SdkError::clerk_trace_id`], without the runtime
/// knowing the generated type; a body of another shape just leaves it empty.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default, deserialize_with = "lenient")]
    errors: Vec<EnvelopeError>,
    #[serde(default, deserialize_with = "lenient")]
    clerk_trace_id: Option<String>,
}

/// One entry of [`Envelope::errors`].
#[derive(Debug, Clone, Default, Deserialize)]
struct EnvelopeError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    long_message: String,
}

impl Envelope {
    /// The envelope of a response body; empty when the body is not JSON of that shape.
    pub(crate) fn read(body: &[u8]) -> Envelope {
        serde_json::from_slice(body).unwrap_or_default()
    }
}

/// Reads a field as `T`, or as `T`'s default when it has another shape, so one odd field does
/// not hide the others.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// The response an error got, as the error keeps it: what [`UnexpectedStatus`] and
/// [`DecodeError`] share, and whose methods they have.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    body_truncated: bool,
}

impl ErrorResponse {
    /// The response of `operation`, keeping at most [`MAX_KEPT_BODY_BYTES`] of its body.
    pub(crate) fn new(operation: &'static str, status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let (body, body_truncated) = kept_body(body);
        ErrorResponse {
            operation,
            status,
            headers,
            body,
            body_truncated,
        }
    }

    /// The operation that failed, such as `GetPhoneNumber`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body as text (invalid UTF-8 replaced), at most
    /// [`MAX_KEPT_BODY_BYTES`] of it.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Whether the body was longer than [`MAX_KEPT_BODY_BYTES`] and [`body`](Self::body) is
    /// only its beginning.
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }
}

/// A non-2xx status the spec does not list for the operation. Its response's operation,
/// status, headers and body are [`ErrorResponse`]'s methods.
#[derive(Debug, Clone)]
pub struct UnexpectedStatus<E> {
    pub(crate) response: ErrorResponse,
    pub(crate) errors: Option<E>,
    pub(crate) envelope: Envelope,
}

impl<E> UnexpectedStatus<E> {
    /// The body parsed as the API's error type, if it is one.
    pub fn errors(&self) -> Option<&E> {
        self.errors.as_ref()
    }

    /// Clerk's trace id, if the body is a Clerk error that has one.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.envelope.clerk_trace_id.as_deref()
    }
}

impl<E> std::ops::Deref for UnexpectedStatus<E> {
    type Target = ErrorResponse;

    /// The response: `error.status()`, `error.body()` and the rest.
    fn deref(&self) -> &ErrorResponse {
        &self.response
    }
}

impl<E> fmt::Display for UnexpectedStatus<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: unexpected status {}", self.operation, self.status)?;
        if !self.body.trim().is_empty() {
            write!(f, ": {}", one_line(&self.body, BODY_EXCERPT_CHARS))?;
        }
        if let Some(trace) = self.clerk_trace_id() {
            write!(f, " [trace id {trace}]")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for UnexpectedStatus<E> {}

/// A response body that could not be decoded: it is not JSON, its top level has another shape
/// than the spec's, or (with strict responses) it deviates from the spec. Its response's
/// operation, status, headers and body are [`ErrorResponse`]'s methods.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(crate) response: ErrorResponse,
    pub(crate) pointer: String,
    pub(crate) message: String,
    pub(crate) deviations: Vec<Deviation>,
}

impl DecodeError {
    /// The JSON pointer (RFC 6901) of the place in the body where decoding failed, such as
    /// `/verification/attempts`: with strict responses, the first deviation's. Empty for the
    /// body itself.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What was wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Every place where the body deviated from the spec: with strict responses, what made
    /// the call fail; otherwise those found before decoding failed.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }
}

impl std::ops::Deref for DecodeError {
    type Target = ErrorResponse;

    /// The response: `error.status()`, `error.body()` and the rest.
    fn deref(&self) -> &ErrorResponse {
        &self.response
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: cannot decode the {} response ", self.operation, self.status)?;
        if self.pointer.is_empty() {
            f.write_str("body")?;
        } else {
            write!(f, "at `{}`", self.pointer)?;
        }
        write!(f, ": {}", one_line(&self.message, BODY_EXCERPT_CHARS))
    }
}

impl std::error::Error for DecodeError {}

/// Folds text onto one line and cuts it to `max` characters, so `Display` stays one line.
fn one_line(text: &str, max: usize) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        folded
    } else {
        let cut: String = folded.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_folds_and_cuts() {
        assert_eq!(one_line("a\n  b\tc", 10), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
