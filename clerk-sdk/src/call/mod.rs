//! [`Call`]: one prepared request, and the single place where requests are sent and
//! responses mapped.
//!
//! Generated operation methods only describe the request (an [`Operation`] plus arguments);
//! everything else happens here, so it is written and tested once.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

mod response;
mod url;

pub use response::decode_response;
use response::{RawResponse, decode, status_error};
use url::{expand_path, query_pairs};

use crate::client::{ClientInner, check_cleartext, normalize_server_url};
use crate::error::transport_summary;
use crate::hooks::{AttemptFailure, HookContext, HookResponse};
use crate::retry::{RetryClass, RetryConfig};
use crate::{Clerk, Error};

/// The header that pins the API version.
const API_VERSION_HEADER: HeaderName = HeaderName::from_static("clerk-api-version");

/// Headers the SDK owns: a per-call header with one of these names is refused, so nothing can
/// silently change the credentials, the API version or the body's framing.
const PROTECTED_HEADERS: [HeaderName; 5] = [AUTHORIZATION, API_VERSION_HEADER, CONTENT_TYPE, CONTENT_LENGTH, HOST];

/// `clerk-sdk/<version>`.
const SDK_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The static description of an operation, emitted by the generator.
#[derive(Debug)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub path: &'static str,
    /// Statuses that map to [`Error::Api`].
    pub error_statuses: &'static [u16],
    /// Whether the operation may be repeated safely, which decides what is retried.
    pub retry: RetryClass,
    /// The API version the operation was generated from, sent as `Clerk-API-Version`.
    pub api_version: &'static str,
    /// Whether the request carries the secret key; false for public endpoints.
    pub authenticated: bool,
}

/// A prepared request to one operation. Nothing is sent until it is awaited.
///
/// Before awaiting, the client's settings can be overridden for this call alone, like the
/// Python SDK's `retries=`, `timeout_ms=`, `server_url=` and `http_headers=`:
///
/// ```no_run
/// use std::time::Duration;
/// use clerk_sdk::RetryConfig;
///
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let call = clerk.phone_numbers().get("phone_12345"); // nothing sent yet
/// let phone = call
///     .retries(RetryConfig::none())
///     .timeout(Duration::from_secs(2))
///     .header("x-request-id", "req-42")
///     .await?;                                        // sent here
/// # Ok(()) }
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<T> {
    client: Clerk,
    operation: &'static Operation,
    /// The client's server URL followed by the expanded path, or why the path arguments were
    /// refused. Built when the call is made, so it is done once, not once per attempt.
    url: Result<UrlText, Error>,
    query: Result<Vec<(String, String)>, String>,
    body: Option<Result<EncodedBody, String>>,
    options: CallOptions,
    response: PhantomData<fn() -> T>,
}

/// A URL being assembled: a server URL followed by a path.
#[derive(Debug)]
struct UrlText {
    text: String,
    /// Where the path starts, so a per-call server URL can replace what comes before.
    path_start: usize,
}

/// A request body ready to send (and to send again on a retry).
#[derive(Debug, Clone)]
struct EncodedBody {
    content_type: HeaderValue,
    bytes: Bytes,
}

/// Per-call overrides of the client's settings.
#[derive(Debug, Default, Clone)]
struct CallOptions {
    retries: Option<RetryConfig>,
    timeout: Option<Duration>,
    server_url: Option<String>,
    headers: HeaderMap,
    /// The first invalid header given, reported when the call is awaited.
    header_error: Option<String>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("path", &self.operation.path)
            .field("url", &self.url.as_ref().map(|url| url.text.as_str()))
            .finish_non_exhaustive()
    }
}

impl<T> Call<T> {
    /// A call to `operation` with its path arguments in template order. Used by generated
    /// operations.
    #[doc(hidden)]
    pub fn new(client: &Clerk, operation: &'static Operation, path_args: &[&str]) -> Self {
        let server_url = &client.inner.server_url;
        let mut text = String::with_capacity(server_url.len() + operation.path.len() + 32);
        text.push_str(server_url);
        let url = expand_path(operation, path_args, &mut text).map(|()| UrlText {
            text,
            path_start: server_url.len(),
        });
        Call {
            client: client.clone(),
            operation,
            url,
            query: Ok(Vec::new()),
            body: None,
            options: CallOptions::default(),
            response: PhantomData,
        }
    }

    /// The operation's `operationId`.
    #[cfg(feature = "blocking")]
    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// Retries for this call instead of the client's; `RetryConfig::none()` turns them off.
    pub fn retries(mut self, retries: RetryConfig) -> Self {
        self.options.retries = Some(retries);
        self
    }

    /// The time each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The server URL for this call, such as `https://api.clerk.com/v1`, instead of the
    /// client's. An invalid URL fails the call with [`Error::InvalidRequest`].
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.options.server_url = Some(url.into());
        self
    }

    /// Adds a header to this call's requests, replacing a same-named header the SDK would send
    /// (such as `User-Agent`).
    ///
    /// `Authorization`, `Clerk-API-Version`, `Content-Type`, `Content-Length` and `Host` are
    /// the SDK's own: setting one of them, or giving a name or value that is not a valid
    /// header, fails the call with [`Error::InvalidRequest`] before anything is sent.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(name), Ok(value)) => self.add_header(name, value),
            (Err(_), _) => self.record_header_error("a header name is not valid".to_owned()),
            (Ok(name), Err(_)) => self.record_header_error(format!("the value of header `{name}` is not valid")),
        }
        self
    }

    /// Adds several headers, as [`Call::header`] does for one.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        let mut current = None;
        for (name, value) in headers {
            // `HeaderMap` yields the name only for the first of several values.
            if let Some(name) = name {
                current = Some(name);
            }
            if let Some(name) = &current {
                self.add_header(name.clone(), value);
            }
        }
        self
    }

    fn add_header(&mut self, name: HeaderName, value: HeaderValue) {
        if PROTECTED_HEADERS.contains(&name) {
            self.record_header_error(format!(
                "header `{name}` is set by the SDK and cannot be overridden per call"
            ));
        } else {
            self.options.headers.append(name, value);
        }
    }

    fn record_header_error(&mut self, reason: String) {
        self.options.header_error.get_or_insert(reason);
    }

    /// Attaches query parameters: a struct whose fields become `name=value` pairs, left out when
    /// unset, with arrays sent as repeated names (`?id=a&id=b`). A failure is reported when the
    /// call is awaited. Used by generated operations.
    #[doc(hidden)]
    pub fn query<Q: Serialize>(mut self, query: &Q) -> Self {
        self.query = serde_json::to_value(query)
            .map_err(|e| e.to_string())
            .and_then(query_pairs);
        self
    }

    /// Attaches a JSON body. A serialization failure is reported when the call is awaited. Used
    /// by generated operations.
    #[doc(hidden)]
    pub fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|bytes| EncodedBody {
                    content_type: HeaderValue::from_static("application/json"),
                    bytes: bytes.into(),
                })
                .map_err(|e| e.to_string()),
        );
        self
    }

    /// Attaches a `multipart/form-data` body. Used by generated operations that upload files.
    #[doc(hidden)]
    pub fn multipart<B: crate::multipart::MultipartBody>(mut self, body: &B) -> Self {
        let (content_type, bytes) = crate::multipart::encode(&body.parts());
        self.body = Some(
            HeaderValue::from_str(&content_type)
                .map(|content_type| EncodedBody {
                    content_type,
                    bytes: bytes.into(),
                })
                .map_err(|e| e.to_string()),
        );
        self
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// Sends the request and decodes the response. Awaiting the `Call` does the same.
    pub async fn send(self) -> Result<T, Error> {
        let operation = self.operation;
        let span = tracing::info_span!(
            "clerk_sdk.call",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
        );
        let request = RequestParts {
            url: self.url,
            query: self.query,
            body: self.body,
        };
        let response = execute(&self.client.inner, operation, request, &self.options)
            .instrument(span)
            .await?;
        decode(operation, response)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// What the operation's arguments contributed to the request.
struct RequestParts {
    url: Result<UrlText, Error>,
    query: Result<Vec<(String, String)>, String>,
    body: Option<Result<EncodedBody, String>>,
}

/// Everything one attempt needs that does not change between attempts.
struct Prepared<'a> {
    inner: &'a ClientInner,
    operation: &'static Operation,
    /// The complete URL, parsed again for each attempt after the first.
    url: String,
    body: Option<EncodedBody>,
    headers: &'a HeaderMap,
    timeout: Duration,
}

/// Checks the call, then makes attempts until one succeeds, one fails in a way that is not
/// retried, or the retry budget runs out. Not generic, so it is compiled once, not once per
/// response type.
async fn execute(
    inner: &ClientInner,
    operation: &'static Operation,
    request: RequestParts,
    options: &CallOptions,
) -> Result<RawResponse, Error> {
    let RequestParts { url, query, body } = request;
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    if let Some(reason) = &options.header_error {
        return Err(invalid(reason.clone()));
    }
    // The generator only writes versions that are valid header values; checked here too, so
    // `HeaderValue::from_static` in `build_request` can never panic.
    if !is_static_header_value(operation.api_version) {
        return Err(invalid(format!(
            "the API version {:?} is not a valid header value",
            operation.api_version
        )));
    }
    let UrlText { mut text, path_start } = url?;
    if let Some(server_url) = &options.server_url {
        let server_url = normalize_server_url(server_url).map_err(invalid)?;
        if operation.authenticated {
            check_cleartext(&server_url, inner.allow_insecure_http).map_err(invalid)?;
        }
        text.replace_range(..path_start, &server_url);
    }
    let query = query.map_err(|reason| invalid(format!("cannot encode the query parameters: {reason}")))?;
    if !query.is_empty() {
        let start = text.len();
        text.push('?');
        form_urlencoded::Serializer::for_suffix(&mut text, start + 1).extend_pairs(&query);
    }
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
            Failure::Transport(error) => retries.retries_transport(error),
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
            return Err(failure.into_error(operation));
        };
        tracing::info!(
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

    fn into_error(self, operation: &Operation) -> Error {
        match self {
            Failure::Status(response) => status_error(operation, response),
            Failure::Transport(source) => Error::Transport {
                operation: operation.id,
                source,
            },
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

    tracing::debug!(attempt = context.attempt, "sending");
    let sent_at = Instant::now();
    let outcome = send(inner, request).await;
    let elapsed_ms = sent_at.elapsed().as_millis() as u64;
    match outcome {
        Ok(response) => {
            tracing::debug!(
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
            if response.status.is_success() {
                inner.hooks.iter().for_each(|hook| hook.after_success(context, &view));
                Ok(Ok(response))
            } else {
                let failure = AttemptFailure::Status(view);
                inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
                Ok(Err(Failure::Status(response)))
            }
        }
        Err(error) => {
            tracing::debug!(attempt = context.attempt, elapsed_ms, error = %transport_summary(&error), "no response");
            let failure = AttemptFailure::Transport(&error);
            inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
            Ok(Err(Failure::Transport(error)))
        }
    }
}

/// Whether `HeaderValue::from_static` accepts `value`: visible ASCII, spaces and tabs.
fn is_static_header_value(value: &str) -> bool {
    value.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
}

/// The request for one attempt: the SDK's headers first, then the call's own headers, which
/// replace same-named SDK defaults (protected headers never reach this point).
fn build_request(prepared: &Prepared<'_>, url: Url) -> reqwest::Request {
    let inner = prepared.inner;
    let mut headers = HeaderMap::with_capacity(6 + prepared.headers.len());
    if prepared.operation.authenticated {
        headers.insert(AUTHORIZATION, inner.authorization.clone());
    }
    headers.insert(
        API_VERSION_HEADER,
        HeaderValue::from_static(prepared.operation.api_version),
    );
    headers.insert(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT));
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
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

/// Sends the request and reads the whole response.
async fn send(inner: &ClientInner, request: reqwest::Request) -> Result<RawResponse, reqwest::Error> {
    let mut response = inner.http.execute(request).await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(RawResponse { status, headers, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_visible_ascii_is_a_static_header_value() {
        assert!(is_static_header_value("2025-11-10"));
        assert!(is_static_header_value("v1 beta\t2"));
        assert!(!is_static_header_value("2025-11-10\n"));
        assert!(!is_static_header_value("v1 β"));
        assert!(!is_static_header_value("\u{7f}"));
    }

    pub(super) const GET: Operation = Operation {
        id: "GetThing",
        method: Method::GET,
        path: "/things/{thing_id}/parts/{part_id}",
        error_statuses: &[404],
        retry: RetryClass::Idempotent,
        api_version: "2026-05-12",
        authenticated: true,
    };

    #[test]
    fn public_operations_do_not_carry_the_key() {
        const PUBLIC: Operation = Operation {
            authenticated: false,
            ..GET
        };
        let client = crate::Clerk::builder()
            .bearer_auth("sk_test_key")
            .build()
            .expect("builds");
        let headers = HeaderMap::new();
        let url = || Url::parse("https://api.clerk.com/v1/things").expect("valid");
        let prepare = |operation: &'static Operation| Prepared {
            inner: &client.inner,
            operation,
            url: url().into(),
            body: None,
            headers: &headers,
            timeout: Duration::from_secs(1),
        };
        let private = build_request(&prepare(&GET), url());
        assert_eq!(private.headers()[AUTHORIZATION], "Bearer sk_test_key");
        let public = build_request(&prepare(&PUBLIC), url());
        assert!(!public.headers().contains_key(AUTHORIZATION));
        assert_eq!(public.headers()[API_VERSION_HEADER], "2026-05-12");
    }
}
