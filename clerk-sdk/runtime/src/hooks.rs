//! [`Hooks`]: code of yours that runs around every attempt, like the Python SDK's SDK hooks.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// The error type a hook may fail with.
pub type HookError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Callbacks around each attempt of each call. Register them with
/// [`ClientBuilder::hook`](crate::ClientBuilder::hook) (a generated crate's
/// `ClerkBuilder::hook`); several hooks run in the order they were registered.
///
/// Every method has a default that does nothing, so implement only what you need. Hooks run on
/// every attempt, retries included: `before_request` before each send, then exactly one of
/// `after_success` (a 2xx or 3xx response) or `after_error` (a 4xx or 5xx, or no response at
/// all). Once per
/// call, `on_deviations` learns where the final response strayed from the spec, if it did.
///
/// Hooks are synchronous and run on the task making the call; keep them quick.
///
/// ```
/// use clerk_sdk::hooks::{HookContext, HookError, Hooks};
///
/// /// Adds a correlation id to every request.
/// struct CorrelationId(String);
///
/// impl Hooks for CorrelationId {
///     fn before_request(&self, _: &HookContext, request: &mut reqwest::Request) -> Result<(), HookError> {
///         request.headers_mut().insert("x-correlation-id", self.0.parse()?);
///         Ok(())
///     }
/// }
///
/// # fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::builder()
///     .bearer_auth("sk_test_...")
///     .hook(CorrelationId("req-42".into()))
///     .build()?;
/// # Ok(()) }
/// ```
pub trait Hooks: Send + Sync + 'static {
    /// Runs before each attempt is sent. It may change the request, for example add a header.
    /// Returning an error stops the call with [`SdkError::Hook`](crate::SdkError::Hook); nothing is
    /// sent.
    ///
    /// The request carries the call's credentials: the `Authorization` and `Cookie` headers
    /// (marked sensitive) and, for an API key sent as a query parameter, the URL. Do not log
    /// them.
    fn before_request(&self, context: &HookContext, request: &mut reqwest::Request) -> Result<(), HookError> {
        let _ = (context, request);
        Ok(())
    }

    /// Runs after an attempt got a 2xx or 3xx response, before the body is decoded. The SDK
    /// follows no redirect, so a 3xx is an answer: the operations that document one return it,
    /// and for any other the call then fails with `SdkError::UnexpectedStatus`.
    fn after_success(&self, context: &HookContext, response: &HookResponse<'_>) {
        let _ = (context, response);
    }

    /// Runs after an attempt failed: a 4xx or 5xx response, or no response at all. It runs whether
    /// or not the attempt will be retried; [`HookContext::attempt`] tells which attempt it was.
    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        let _ = (context, failure);
    }

    /// Runs once per call whose response body deviated from the spec, after it was decoded
    /// (or, with strict responses, refused), with every deviation: count them to see how far
    /// Clerk's responses drift from the spec the SDK was generated from. It runs for error
    /// bodies too. `context` is that of the attempt that got the response. See
    /// [`crate::drift`].
    ///
    /// A deviation carries the JSON pointer of the value and what it holds instead, never the
    /// value itself, so it can be logged or sent to metrics.
    fn on_deviations(&self, context: &HookContext, deviations: &[crate::Deviation]) {
        let _ = (context, deviations);
    }
}

/// What a hook knows about the call and the attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HookContext {
    /// The spec's `operationId`, such as `GetPhoneNumber`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub path_template: &'static str,
    /// The attempt number, starting at 1.
    pub attempt: u32,
    /// How long the SDK waited before this attempt; `None` for the first attempt.
    pub retry_delay: Option<Duration>,
    /// How long this attempt waited for the instance's rate limiter (see
    /// [`crate::limits`]): zero when it went at once or there is no limiter.
    pub rate_limit_wait: Duration,
    /// The tokens left in the instance's retry quota as this attempt went (see
    /// [`RetryQuota`](crate::limits::RetryQuota)); `None` with the quota off.
    pub retry_quota: Option<u32>,
}

/// A response as hooks see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct HookResponse<'a> {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body, read in full.
    pub body: &'a [u8],
}

/// Why an attempt failed, as hooks see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttemptFailure<'a> {
    /// The server answered with a non-2xx status.
    Status(HookResponse<'a>),
    /// There was no response: the connection failed, timed out or broke.
    Transport(&'a reqwest::Error),
}
