//! The SDK's error type.
//!
//! Every failure of a call is an [`Error`]. The variants say where it failed:
//!
//! | variant | when |
//! |---|---|
//! | [`Error::Api`] | Clerk answered with a status the spec lists for the operation; the body is the parsed [`ClerkErrors`](crate::models::ClerkErrors). |
//! | [`Error::UnexpectedStatus`] | Any other non-2xx status. The body is kept as text, and parsed as [`ClerkErrors`](crate::models::ClerkErrors) if it is one. |
//! | [`Error::Decode`] | A response body did not match its schema. |
//! | [`Error::Transport`] | The request could not be sent, or the response could not be read. |
//! | [`Error::InvalidRequest`] | The SDK refused to send the request (for example an empty path parameter). |
//! | [`Error::Hook`] | A hook's `before_request` refused the request. |
//! | [`Error::Config`] | The client could not be built. |
//!
//! No error ever contains the secret key: it is not part of any request data the errors keep.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::generated::ErrorBody as ClerkErrors;

/// The longest excerpt of a response body shown in an error's `Display`.
const BODY_EXCERPT_CHARS: usize = 200;

/// The most of a response body an error keeps (64 KiB): enough for any real error page, and a
/// bound on the memory a hostile or broken server can make an error hold.
pub const MAX_KEPT_BODY_BYTES: usize = 64 * 1024;

/// The body an error keeps: its first [`MAX_KEPT_BODY_BYTES`] bytes as text (invalid UTF-8
/// replaced), and whether anything was cut.
pub(crate) fn kept_body(bytes: &[u8]) -> (String, bool) {
    let truncated = bytes.len() > MAX_KEPT_BODY_BYTES;
    let kept = &bytes[..bytes.len().min(MAX_KEPT_BODY_BYTES)];
    (String::from_utf8_lossy(kept).into_owned(), truncated)
}

/// An error from a call or from building the client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Clerk returned one of the statuses the spec lists for this operation.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server returned a non-2xx status the spec does not list for this operation.
    #[error(transparent)]
    UnexpectedStatus(Box<UnexpectedStatus>),
    /// A response body did not match its schema.
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
    /// A [hook](crate::hooks::Hooks) stopped the call before it was sent.
    #[error("{operation}: a hook refused the request: {source}")]
    Hook {
        /// The operation, such as `GetPhoneNumber`.
        operation: &'static str,
        /// The hook's error.
        #[source]
        source: crate::hooks::HookError,
    },
    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(String),
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

impl Error {
    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::UnexpectedStatus(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest { .. } | Error::Hook { .. } | Error::Config(_) => None,
        }
    }

    /// The response headers, for errors that got a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(error) => Some(&error.headers),
            Error::UnexpectedStatus(error) => Some(&error.headers),
            Error::Decode(error) => Some(&error.headers),
            Error::Transport { .. } | Error::InvalidRequest { .. } | Error::Hook { .. } | Error::Config(_) => None,
        }
    }

    /// Clerk's trace id for the failed request, when the response carried one. Include it when
    /// asking Clerk's support about a failure.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        match self {
            Error::Api(error) => error.clerk_trace_id(),
            Error::UnexpectedStatus(error) => error.clerk_trace_id(),
            _ => None,
        }
    }

    /// The `operationId` of the call that failed, such as `GetPhoneNumber`.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(error) => Some(error.operation),
            Error::UnexpectedStatus(error) => Some(error.operation),
            Error::Decode(error) => Some(error.operation),
            Error::Transport { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::Hook { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }
}

/// Clerk's answer for a status the spec lists for the operation.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) errors: ClerkErrors,
    pub(crate) headers: HeaderMap,
}

impl ApiError {
    /// The operation that failed, such as `CreatePhoneNumber`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The parsed body: each error's code and messages, `meta` and the trace id.
    pub fn errors(&self) -> &ClerkErrors {
        &self.errors
    }

    /// Takes the parsed body.
    pub fn into_errors(self) -> ClerkErrors {
        self.errors
    }

    /// Clerk's trace id for the request, if the body had one.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.errors.clerk_trace_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `code` of the first error, such as `form_identifier_not_found`.
    pub fn code(&self) -> Option<&str> {
        self.errors.errors.first().map(|error| error.code.as_str())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with {}", self.operation, self.status)?;
        if let Some(first) = self.errors.errors.first() {
            let message = if first.long_message.is_empty() {
                &first.message
            } else {
                &first.long_message
            };
            write!(f, ": {}: {}", first.code, one_line(message, BODY_EXCERPT_CHARS))?;
            let more = self.errors.errors.len() - 1;
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

impl std::error::Error for ApiError {}

/// A non-2xx status the spec does not list for the operation.
#[derive(Debug, Clone)]
pub struct UnexpectedStatus {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
    pub(crate) body_truncated: bool,
    pub(crate) errors: Option<ClerkErrors>,
}

impl UnexpectedStatus {
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

    /// The body parsed as Clerk errors, if it is one.
    pub fn errors(&self) -> Option<&ClerkErrors> {
        self.errors.as_ref()
    }

    /// Clerk's trace id, if the body is a Clerk error that has one.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.errors.as_ref()?.clerk_trace_id.as_deref()
    }
}

impl fmt::Display for UnexpectedStatus {
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

impl std::error::Error for UnexpectedStatus {}

/// A response body that did not match its schema.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) body: String,
    pub(crate) body_truncated: bool,
}

impl DecodeError {
    /// The operation whose response failed to decode.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Where in the body decoding failed, such as `verification.attempts` (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong there.
    pub fn message(&self) -> &str {
        &self.message
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

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the {} response at `{}`: {}",
            self.operation,
            self.status,
            self.path,
            one_line(&self.message, BODY_EXCERPT_CHARS)
        )
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
