//! Sending a prepared call: its attempts, with their hooks and retries, and reading each
//! response.

use std::time::Instant;

use bytes::BytesMut;
use reqwest::{StatusCode, Url};

use super::Operation;
use super::prepare::{Prepared, build_request};
use super::response::RawResponse;
use crate::client::ClientInner;
use crate::error::{BaseError as Error, transport_summary};
use crate::hooks::{AttemptFailure, HookContext, HookResponse};
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
/// retried, or the retry budget runs out. The first attempt takes the URL `prepare` parsed; a
/// retry parses the same text again, which is cheaper than keeping a copy for every call that
/// is never retried. Not generic, so it is compiled once, not once per response type.
pub(super) async fn execute(
    prepared: &Prepared<'_>,
    first_url: Url,
    retries: &RetryConfig,
) -> Result<RawResponse, Stop> {
    let operation = prepared.operation;
    let started = Instant::now();
    let mut context = HookContext {
        operation_id: operation.id,
        method: operation.method.clone(),
        path_template: operation.path,
        attempt: 1,
        retry_delay: None,
    };
    let mut first_url = Some(first_url);
    loop {
        let url = match first_url.take() {
            Some(url) => url,
            None => Url::parse(&prepared.url).map_err(|e| Error::InvalidRequest {
                operation: operation.id,
                reason: format!("invalid URL: {e}"),
            })?,
        };
        let failure = match attempt(prepared, url, &context).await? {
            Ok(response) => return Ok(response),
            Err(failure) => failure,
        };
        let retryable = match &failure {
            Failure::Status(response) => retries.retries_status(operation.retry, response.status),
            Failure::Transport(error) => retries.retries_transport(operation.retry, error),
        };
        let delay = if retryable {
            let headers = match &failure {
                Failure::Status(response) => Some(&response.headers),
                Failure::Transport(_) => None,
            };
            retries.delay(context.attempt, headers, started.elapsed())
        } else {
            None
        };
        let Some(delay) = delay else {
            return Err(failure.into_stop(operation));
        };
        tracing::info!(
            target: LOG_TARGET,
            attempt = context.attempt,
            delay_ms = delay.as_millis() as u64,
            reason = %failure.summary(),
            "retrying"
        );
        tokio::time::sleep(delay).await;
        context.attempt += 1;
        context.retry_delay = Some(delay);
    }
}

/// A failed attempt, before it is known whether it will be retried.
enum Failure {
    // Boxed: a response is many times the size of a transport error.
    Status(Box<RawResponse>),
    Transport(reqwest::Error),
}

impl Failure {
    /// A short description for logs: the status, or the kind of transport failure.
    fn summary(&self) -> String {
        match self {
            Failure::Status(response) => response.status.to_string(),
            Failure::Transport(error) => transport_summary(error),
        }
    }

    fn into_stop(self, operation: &Operation) -> Stop {
        match self {
            Failure::Status(response) => Stop::Status(*response),
            Failure::Transport(source) => Stop::Error(Error::Transport {
                operation: operation.id,
                source,
            }),
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
    })
}
