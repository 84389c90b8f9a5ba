//! Preparing a call: every check, and every part of the request that does not change between
//! attempts, decided once and without sending anything. [`prepare`] is pure, so the request a
//! call would send can be tested without a server; [`build_request`] makes one attempt's
//! request from it.

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;

use super::form::{encode, join};
use super::{API_VERSION_HEADER, CallOptions, EncodedBody, Operation, UrlText};
use crate::client::{ClientInner, check_cleartext, normalize_server_url};
use crate::credentials::{Sendable, choose};
use crate::error::BaseError as Error;

/// Where in preparing a call a problem found by the call's builder methods is reported: the
/// checks run in this order, so of several problems the one an earlier check meets wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    /// A per-call header, header parameter or cookie parameter that cannot be sent.
    Headers,
    /// A path argument that cannot be sent.
    Path,
    /// Query parameters that do not encode.
    Query,
    /// A body that does not serialize.
    Body,
}

/// The first problem a call's builder methods met, reported when the call is sent.
#[derive(Debug, Clone)]
pub(super) struct Deferred {
    pub(super) stage: Stage,
    pub(super) reason: String,
}

impl Deferred {
    /// Keeps `found` unless `kept` is a problem of the same or an earlier stage.
    pub(super) fn keep(kept: &mut Option<Deferred>, found: Deferred) {
        if kept.as_ref().is_none_or(|kept| found.stage < kept.stage) {
            *kept = Some(found);
        }
    }
}

/// What a call built before it is sent: the URL so far, the query and the body, and the first
/// problem met building them.
#[derive(Clone)]
pub(super) struct Parts {
    /// The server URL followed by the expanded path.
    pub(super) url: UrlText,
    /// The encoded query parameters.
    pub(super) query: Vec<(String, String)>,
    pub(super) body: Option<EncodedBody>,
    /// The first problem the builder methods met (an argument that cannot be sent), reported
    /// at the stage of the checks it belongs to.
    pub(super) problem: Option<Deferred>,
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
    /// When the call must have its response by, if it has a deadline.
    pub(super) deadline: Option<tokio::time::Instant>,
}

/// Checks a call and decides what its attempts send: the credentials, the URL (parsed, for
/// the first attempt), the `Cookie` header and the body. Fails with
/// [`SdkError::InvalidRequest`](crate::SdkError::InvalidRequest) for anything that cannot be
/// sent, before anything is.
pub(super) fn prepare<'a>(
    inner: &'a ClientInner,
    operation: &'static Operation,
    parts: Parts,
    options: &'a CallOptions,
) -> Result<(Prepared<'a>, Url), Error> {
    let Parts {
        url,
        query,
        body,
        problem,
    } = parts;
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    let reported = |stage: Stage| match &problem {
        Some(found) if found.stage == stage => Err(invalid(found.reason.clone())),
        _ => Ok(()),
    };
    reported(Stage::Headers)?;
    check_static_headers(inner, operation).map_err(invalid)?;
    let schemes = choose(operation.security, |index| inner.has_credential(index)).ok_or_else(|| {
        invalid(format!(
            "no credential is configured for this operation, which needs {}",
            inner.api.describe_requirements(operation.security)
        ))
    })?;
    reported(Stage::Path)?;
    let mut text = server_url(inner, options, url, !schemes.is_empty()).map_err(invalid)?;
    reported(Stage::Query)?;
    let credentials = || {
        schemes
            .iter()
            .filter_map(|&index| inner.credentials.get(index)?.as_ref())
    };
    append_query(&mut text, query, credentials());
    let cookie = cookie_header(&options.cookies, credentials()).map_err(invalid)?;
    let parsed = Url::parse(&text).map_err(|e| invalid(format!("invalid URL: {e}")))?;
    reported(Stage::Body)?;
    let prepared = Prepared {
        inner,
        operation,
        url: text,
        body,
        headers: &options.headers,
        cookie,
        schemes,
        timeout: options.timeout.unwrap_or(inner.timeout),
        deadline: options.deadline,
    };
    Ok((prepared, parsed))
}

/// The generator only writes versions and media types that are valid header values; checked
/// here too, so `HeaderValue::from_static` in [`build_request`] can never panic.
fn check_static_headers(inner: &ClientInner, operation: &Operation) -> Result<(), String> {
    if let Some(version) = inner
        .api
        .version_header
        .filter(|version| !is_static_header_value(version))
    {
        return Err(format!("the API version {version:?} is not a valid header value"));
    }
    if !is_static_header_value(operation.accept) {
        return Err(format!(
            "the Accept value {:?} is not a valid header value",
            operation.accept
        ));
    }
    Ok(())
}

/// The URL so far with the call's own server URL, if it has one, in place of the client's; a
/// URL the client's TLS stack cannot reach, or that would carry credentials in cleartext, is
/// refused.
fn server_url(
    inner: &ClientInner,
    options: &CallOptions,
    url: UrlText,
    sends_credentials: bool,
) -> Result<String, String> {
    let UrlText { mut text, path_start } = url;
    if let Some(server_url) = &options.server_url {
        let server_url = normalize_server_url(server_url)?;
        if sends_credentials {
            check_cleartext(&server_url, inner.allow_insecure_http)?;
        }
        text.replace_range(..path_start, &server_url);
    }
    if inner.own_http {
        crate::tls::check_scheme(&text)?;
    }
    Ok(text)
}

/// Appends the query parameters and the API keys sent in the query to `text`.
fn append_query<'a>(text: &mut String, query: Vec<(String, String)>, credentials: impl Iterator<Item = &'a Sendable>) {
    let key_pairs: Vec<(String, String)> = credentials
        .filter_map(|credential| match credential {
            Sendable::Query(name, value) => Some((encode(name), encode(value.expose_secret()))),
            _ => None,
        })
        .collect();
    if !query.is_empty() || !key_pairs.is_empty() {
        text.push('?');
        join(query.into_iter().chain(key_pairs), text);
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
    headers.insert(USER_AGENT, inner.user_agent.clone());
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
