//! Sending a prepared call: its attempts, with their hooks and retries, and reading each
//! response.

use std::time::Duration;

use bytes::BytesMut;
use reqwest::{StatusCode, Url};
use tokio::time::Instant;

use super::prepare::{Prepared, build_request};
use super::response::RawResponse;
use crate::client::ClientInner;
use crate::error::{BaseError as Error, transport_summary};
use crate::hooks::{AttemptFailure, HookContext, HookResponse};
use crate::limits::RetryCause;
use crate::limits::partition::WouldWait;
use crate::retry::RetryConfig;

/// The target of the call's log events, which applications filter on: the same whichever
/// module of `call` logs them.
const LOG_TARGET: &str = "clerk_sdk::call";

/// Why a call stopped without a 2xx response: a response with another status, to be mapped to
/// the API's error type by the caller, or an error that holds no body.
pub(super) enum Stop {
    Status(RawResponse),
    Error(Error),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Error(error)
    }
}

/// Makes attempts of a prepared call until one succeeds, one fails in a way that is not
/// retried, or the retry budget, the retry quota or the deadline runs out. Each attempt waits
/// for the instance's rate limiter first. The first attempt takes the URL `prepare` parsed; a
/// retry parses the same text again, which is cheaper than keeping a copy for every call that
/// is never retried. Not generic, so it is compiled once, not once per response type.
pub(super) async fn execute(
    prepared: &Prepared<'_>,
    first_url: Url,
    retries: &RetryConfig,
) -> Result<RawResponse, Stop> {
    let operation = prepared.operation;
    let partition = &prepared.inner.partition;
    let started = Instant::now();
    let mut context = HookContext {
        operation_id: operation.id,
        method: operation.method.clone(),
        path_template: operation.path,
        attempt: 1,
        retry_delay: None,
        rate_limit_wait: Duration::ZERO,
        retry_quota: None,
    };
    let mut first_url = Some(first_url);
    // What the last retry took from the quota, which a success gives back.
    let mut last_retry_cost = None;
    loop {
        context.rate_limit_wait = admit(prepared).await?;
        context.retry_quota = partition.quota.available();
        let url = match first_url.take() {
            Some(url) => url,
            None => Url::parse(&prepared.url).map_err(|e| Error::InvalidRequest {
                operation: operation.id,
                reason: format!("invalid URL: {e}"),
            })?,
        };
        let failure = match attempt(prepared, url, &context).await? {
            Ok(response) => {
                partition.quota.succeeded(last_retry_cost);
                return Ok(response);
            }
            Err(failure) => failure,
        };
        let wait = retry_wait(retries, prepared, &failure, context.attempt, started);
        // A 429 holds every request of the instance for the wait, even if this call stops.
        if let Some(wait) = wait.filter(|_| failure.is_throttled()) {
            partition.pause(Instant::now() + wait).await;
        }
        let Some(delay) = wait.filter(|&wait| ends_in_time(prepared, wait)) else {
            return Err(failure.into_stop(prepared));
        };
        last_retry_cost = Some(take_quota(prepared, &failure)?);
        tracing::info!(
            target: LOG_TARGET,
            attempt = context.attempt,
            delay_ms = delay.as_millis() as u64,
            reason = %failure.summary(),
            retry_quota = partition.quota.available(),
            "retrying"
        );
        tokio::time::sleep(delay).await;
        context.attempt += 1;
        context.retry_delay = Some(delay);
    }
}

/// Waits for the instance's rate limiter to admit the next attempt, and says how long that
/// took; an attempt that would wait past the call's deadline fails the call at once.
async fn admit(prepared: &Prepared<'_>) -> Result<Duration, Error> {
    let operation = prepared.operation.id;
    if prepared.deadline.is_some_and(|deadline| deadline <= Instant::now()) {
        return Err(Error::DeadlineExceeded { operation });
    }
    let waited = (prepared.inner.partition.admit(prepared.deadline).await)
        .map_err(|WouldWait(wait)| Error::RateLimited { operation, wait })?;
    if !waited.is_zero() {
        tracing::debug!(target: LOG_TARGET, waited_ms = waited.as_millis() as u64, "waited for the rate limiter");
    }
    Ok(waited)
}

/// The wait before retrying `failure`, if the retry policy retries it.
fn retry_wait(
    retries: &RetryConfig,
    prepared: &Prepared<'_>,
    failure: &Failure,
    attempt: u32,
    started: Instant,
) -> Option<Duration> {
    let class = prepared.operation.retry;
    let (retryable, headers) = match failure {
        Failure::Status(response) => (retries.retries_status(class, response.status), Some(&response.headers)),
        Failure::Transport(error) => (retries.retries_transport(class, error), None),
    };
    retryable
        .then(|| retries.delay(attempt, headers, started.elapsed()))
        .flatten()
}

/// Whether a wait of `delay` ends before the call's deadline, if it has one.
fn ends_in_time(prepared: &Prepared<'_>, delay: Duration) -> bool {
    prepared
        .deadline
        .is_none_or(|deadline| Instant::now() + delay < deadline)
}

/// Takes a retry's cost from the instance's retry quota, or fails the call at once when the
/// quota is spent.
fn take_quota(prepared: &Prepared<'_>, failure: &Failure) -> Result<u32, Error> {
    let (cause, status) = match failure {
        Failure::Status(response) => (RetryCause::Status, Some(response.status)),
        Failure::Transport(_) => (RetryCause::Transport, None),
    };
    prepared.inner.partition.quota.take(cause).ok_or_else(|| {
        tracing::warn!(
            target: LOG_TARGET,
            reason = %failure.summary(),
            "the retry quota is exhausted: the failure is not retried"
        );
        Error::RetryQuotaExhausted {
            operation: prepared.operation.id,
            status,
        }
    })
}

/// A failed attempt, before it is known whether it will be retried.
enum Failure {
    // Boxed: a response is many times the size of a transport error.
    Status(Box<RawResponse>),
    Transport(reqwest::Error),
}

impl Failure {
    /// Whether the instance said the client is over its rate limit (429), which pauses every
    /// request of the instance for the retry's wait.
    fn is_throttled(&self) -> bool {
        matches!(self, Failure::Status(response) if response.status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// A short description for logs: the status, or the kind of transport failure.
    fn summary(&self) -> String {
        match self {
            Failure::Status(response) => response.status.to_string(),
            Failure::Transport(error) => transport_summary(error),
        }
    }

    /// The failure as the call's outcome: a timeout once the call's deadline has passed is
    /// the deadline's.
    fn into_stop(self, prepared: &Prepared<'_>) -> Stop {
        let operation = prepared.operation.id;
        match self {
            Failure::Status(response) => Stop::Status(*response),
            Failure::Transport(source)
                if source.is_timeout() && prepared.deadline.is_some_and(|deadline| deadline <= Instant::now()) =>
            {
                Stop::Error(Error::DeadlineExceeded { operation })
            }
            Failure::Transport(source) => Stop::Error(Error::Transport { operation, source }),
        }
    }
}

/// Makes one attempt and runs the hooks around it. The outer error stops the call at once
/// (a hook refused); the inner result is the attempt's outcome.
async fn attempt(
    prepared: &Prepared<'_>,
    url: Url,
    context: &HookContext,
) -> Result<Result<RawResponse, Failure>, Error> {
    let Prepared { inner, operation, .. } = *prepared;
    let mut request = build_request(prepared, url);
    if let Some(deadline) = prepared.deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        *request.timeout_mut() = Some(prepared.timeout.min(left));
    }
    for hook in &inner.hooks {
        hook.before_request(context, &mut request)
            .map_err(|source| Error::Hook {
                operation: operation.id,
                source,
            })?;
    }

    tracing::debug!(target: LOG_TARGET, attempt = context.attempt, "sending");
    let sent_at = Instant::now();
    let outcome = send(inner, request).await;
    let elapsed_ms = sent_at.elapsed().as_millis() as u64;
    match outcome {
        Err(Received::TooLarge { status }) => {
            tracing::debug!(target: LOG_TARGET, attempt = context.attempt, status = status.as_u16(), elapsed_ms, "response body over the limit");
            Err(Error::ResponseTooLarge {
                operation: operation.id,
                status,
                limit: inner.max_response_body,
            })
        }
        Ok(response) => Ok(answered(inner, context, response, elapsed_ms)),
        Err(Received::Transport(error)) => {
            tracing::debug!(target: LOG_TARGET, attempt = context.attempt, elapsed_ms, error = %transport_summary(&error), "no response");
            let failure = AttemptFailure::Transport(&error);
            inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
            Ok(Err(Failure::Transport(error)))
        }
    }
}

/// An attempt that got a response: logged, told to the hooks, and a success (a 2xx or 3xx)
/// or a failure.
fn answered(
    inner: &ClientInner,
    context: &HookContext,
    mut response: RawResponse,
    elapsed_ms: u64,
) -> Result<RawResponse, Failure> {
    response.attempt = context.attempt;
    response.retry_delay = context.retry_delay;
    response.rate_limit_wait = context.rate_limit_wait;
    tracing::debug!(
        target: LOG_TARGET,
        attempt = context.attempt,
        status = response.status.as_u16(),
        elapsed_ms,
        "response"
    );
    let view = HookResponse {
        status: response.status,
        headers: &response.headers,
        body: &response.body,
    };
    // A 3xx is a response too: the SDK does not follow redirects, and an operation that
    // documents one returns it.
    if response.status.is_success() || response.status.is_redirection() {
        inner.hooks.iter().for_each(|hook| hook.after_success(context, &view));
        Ok(response)
    } else {
        let failure = AttemptFailure::Status(view);
        inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
        Err(Failure::Status(Box::new(response)))
    }
}

/// Why no whole response was read.
enum Received {
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// The body is longer than the client's limit (announced, or found while reading).
    TooLarge { status: StatusCode },
}

impl From<reqwest::Error> for Received {
    /// A transport error loses its URL, which may carry an API key sent as a query parameter.
    fn from(error: reqwest::Error) -> Self {
        Received::Transport(error.without_url())
    }
}

/// Sends the request and reads the whole response, up to the client's body limit: a body
/// whose `Content-Length` is over it is not read at all, and one that grows past it while
/// read stops there, after at most one chunk more than the limit.
async fn send(inner: &ClientInner, request: reqwest::Request) -> Result<RawResponse, Received> {
    let mut response = inner.http.execute(request).await?;
    let status = response.status();
    let limit = inner.max_response_body;
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(Received::TooLarge { status });
    }
    let headers = std::mem::take(response.headers_mut());
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > limit {
            return Err(Received::TooLarge { status });
        }
    }
    Ok(RawResponse {
        status,
        headers,
        body: body.freeze(),
        attempt: 1,
        retry_delay: None,
        rate_limit_wait: Duration::ZERO,
    })
}
