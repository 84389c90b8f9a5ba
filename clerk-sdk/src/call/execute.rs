//! Sending a call: its checks, the security alternative it sends, its attempts with their hooks
//! and retries, and the request each attempt builds.

use std::time::{Duration, Instant};

use bytes::BytesMut;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{StatusCode, Url};
use secrecy::ExposeSecret;

use super::form::{encode, join};
use super::response::RawResponse;
use super::{API_VERSION_HEADER, CallOptions, EncodedBody, Operation, SDK_USER_AGENT, UrlText};
use crate::client::{ClientInner, check_cleartext, normalize_server_url};
use crate::credentials::{Sendable, choose};
use crate::error::{BaseError as Error, transport_summary};
use crate::hooks::{AttemptFailure, HookContext, HookResponse};

/// The target of the call's log events, which applications filter on: the same whichever
/// module of `call` logs them.
const LOG_TARGET: &str = "clerk_sdk::call";

/// What the operation's arguments contributed to the request.
pub(super) struct RequestParts {
    pub(super) url: Result<UrlText, Error>,
    pub(super) query: Result<Vec<(String, String)>, String>,
    pub(super) body: Option<Result<EncodedBody, String>>,
}

/// Everything one attempt needs that does not change between attempts.
pub(super) struct Prepared<'a> {
    pub(super) inner: &'a ClientInner,
    pub(super) operation: &'static Operation,
    /// The complete URL, parsed again for each attempt after the first.
    pub(super) url: String,
    pub(super) body: Option<EncodedBody>,
    pub(super) headers: &'a HeaderMap,
    /// The `Cookie` header: cookie parameters and cookie credentials, if there are any.
    pub(super) cookie: Option<HeaderValue>,
    /// The schemes whose credentials this call sends.
    pub(super) schemes: &'static [usize],
    pub(super) timeout: Duration,
}

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

/// Checks the call, then makes attempts until one succeeds, one fails in a way that is not
/// retried, or the retry budget runs out. Not generic, so it is compiled once, not once per
/// response type.
pub(super) async fn execute(
    inner: &ClientInner,
    operation: &'static Operation,
    request: RequestParts,
    options: &CallOptions,
) -> Result<RawResponse, Stop> {
    let RequestParts { url, query, body } = request;
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    if let Some(reason) = &options.header_error {
        return Err(invalid(reason.clone()).into());
    }
    // The generator only writes versions and media types that are valid header values; checked
    // here too, so `HeaderValue::from_static` in `build_request` can never panic.
    if let Some(version) = inner
        .api
        .version_header
        .filter(|version| !is_static_header_value(version))
    {
        return Err(invalid(format!("the API version {version:?} is not a valid header value")).into());
    }
    if !is_static_header_value(operation.accept) {
        return Err(invalid(format!(
            "the Accept value {:?} is not a valid header value",
            operation.accept
        ))
        .into());
    }
    let schemes = choose(operation.security, |index| inner.has_credential(index)).ok_or_else(|| {
        invalid(format!(
            "no credential is configured for this operation, which needs {}",
            inner.api.describe_requirements(operation.security)
        ))
    })?;
    let UrlText { mut text, path_start } = url?;
    if let Some(server_url) = &options.server_url {
        let server_url = normalize_server_url(server_url).map_err(invalid)?;
        if !schemes.is_empty() {
            check_cleartext(&server_url, inner.allow_insecure_http).map_err(invalid)?;
        }
        text.replace_range(..path_start, &server_url);
    }
    if inner.own_http {
        crate::tls::check_scheme(&text).map_err(invalid)?;
    }
    let query = query.map_err(|reason| invalid(format!("cannot encode the query parameters: {reason}")))?;
    let credentials = || {
        schemes
            .iter()
            .filter_map(|&index| inner.credentials.get(index)?.as_ref())
    };
    let key_pairs: Vec<(String, String)> = credentials()
        .filter_map(|credential| match credential {
            Sendable::Query(name, value) => Some((encode(name), encode(value.expose_secret()))),
            _ => None,
        })
        .collect();
    if !query.is_empty() || !key_pairs.is_empty() {
        text.push('?');
        join(query.into_iter().chain(key_pairs), &mut text);
    }
    let cookie = cookie_header(&options.cookies, credentials()).map_err(invalid)?;
    let url = Url::parse(&text).map_err(|e| invalid(format!("invalid URL: {e}")))?;
    let body = body
        .transpose()
        .map_err(|reason| invalid(format!("cannot serialize the request body: {reason}")))?;
    let prepared = Prepared {
        inner,
        operation,
        url: text,
        body,
        headers: &options.headers,
        cookie,
        schemes,
        timeout: options.timeout.unwrap_or(inner.timeout),
    };
    let retries = options.retries.as_ref().unwrap_or(&inner.retries);

    let started = Instant::now();
    let mut context = HookContext {
        operation_id: operation.id,
        method: operation.method.clone(),
        path_template: operation.path,
        attempt: 1,
        retry_delay: None,
    };
    // The first attempt takes the URL parsed above; a retry parses the same text again, which
    // is cheaper than keeping a copy for every call that is never retried.
    let mut first_url = Some(url);
    loop {
        let url = match first_url.take() {
            Some(url) => url,
            None => Url::parse(&prepared.url).map_err(|e| invalid(format!("invalid URL: {e}")))?,
        };
        let failure = match attempt(&prepared, url, &context).await? {
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
    Status(RawResponse),
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
            Failure::Status(response) => Stop::Status(response),
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
        Ok(mut response) => {
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
                Ok(Ok(response))
            } else {
                let failure = AttemptFailure::Status(view);
                inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
                Ok(Err(Failure::Status(response)))
            }
        }
        Err(Received::Transport(error)) => {
            tracing::debug!(target: LOG_TARGET, attempt = context.attempt, elapsed_ms, error = %transport_summary(&error), "no response");
            let failure = AttemptFailure::Transport(&error);
            inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
            Ok(Err(Failure::Transport(error)))
        }
    }
}

/// Whether `HeaderValue::from_static` accepts `value`: visible ASCII, spaces and tabs.
pub(super) fn is_static_header_value(value: &str) -> bool {
    value.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
}

/// The request for one attempt: the SDK's headers first, then the call's own headers, which
/// replace same-named SDK defaults (protected headers never reach this point).
pub(super) fn build_request(prepared: &Prepared<'_>, url: Url) -> reqwest::Request {
    let inner = prepared.inner;
    let mut headers = HeaderMap::with_capacity(7 + prepared.headers.len());
    for &index in prepared.schemes {
        if let Some(Sendable::Header(name, value)) = inner.credentials.get(index).and_then(Option::as_ref) {
            headers.insert(name.clone(), value.clone());
        }
    }
    if let Some(version) = inner.api.version_header {
        headers.insert(API_VERSION_HEADER, HeaderValue::from_static(version));
    }
    if let Some(cookie) = &prepared.cookie {
        headers.insert(COOKIE, cookie.clone());
    }
    headers.insert(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT));
    headers.insert(ACCEPT, HeaderValue::from_static(prepared.operation.accept));
    if let Some(body) = &prepared.body {
        headers.insert(CONTENT_TYPE, body.content_type.clone());
    }
    for name in prepared.headers.keys() {
        headers.remove(name);
    }
    headers.extend(
        prepared
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );

    // Built directly rather than through `RequestBuilder`, which would copy the headers again.
    // The client's own default headers are still added when it executes the request.
    let mut request = reqwest::Request::new(prepared.operation.method.clone(), url);
    *request.headers_mut() = headers;
    *request.timeout_mut() = Some(prepared.timeout);
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.bytes.clone().into());
    }
    request
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

/// The `Cookie` header for the call's cookie parameters and the cookie credentials it sends, or
/// `None` when there are none. Marked sensitive when it carries a credential.
pub(super) fn cookie_header<'a>(
    parameters: &[(&'static str, String)],
    credentials: impl Iterator<Item = &'a Sendable>,
) -> Result<Option<HeaderValue>, String> {
    let mut sensitive = false;
    let mut pairs: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    for credential in credentials {
        if let Sendable::Cookie(name, value) = credential {
            pairs.push(format!("{name}={}", value.expose_secret()));
            sensitive = true;
        }
    }
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut value = HeaderValue::try_from(pairs.join("; ")).map_err(|_| "a cookie name is not valid".to_owned())?;
    value.set_sensitive(sensitive);
    Ok(Some(value))
}
