//! Responses: a 2xx body decoded into the operation's type, and any other status mapped to
//! the typed error for the statuses the spec lists or to an unexpected-status error. JSON is
//! decoded leniently unless the call is strict (see [`crate::drift`]).

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::de::IntoDeserializer;
use serde::de::value::SeqDeserializer;

use super::Operation;
use super::outcome::{FromResponse, Response};
use crate::client::ClientInner;
use crate::drift::schema::Modeled;
use crate::drift::{Decoded, Deviation, Failure, Mode, decode_json, pointer_list};
use crate::error::{ApiError, BaseError as Error, DecodeError, Envelope, ErrorResponse, SdkError, UnexpectedStatus};
use crate::hooks::HookContext;
use crate::retry::RetryClass;

/// A response read in full.
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The attempt that got it, starting at 1.
    pub(crate) attempt: u32,
    /// How long the SDK waited before that attempt.
    pub(crate) retry_delay: Option<Duration>,
    /// How long that attempt waited for the rate limiter.
    pub(crate) rate_limit_wait: Duration,
}

/// Maps a non-2xx response to [`SdkError::Api`] (listed status), [`SdkError::Decode`] (listed
/// status whose body is not the API's error type) or [`SdkError::UnexpectedStatus`].
fn status_error<E: DeserializeOwned + Modeled>(
    operation: &Operation,
    response: &RawResponse,
    mode: Mode,
) -> SdkError<E> {
    let RawResponse {
        status, headers, body, ..
    } = response;
    let listed = operation.error_statuses.contains(&status.as_u16())
        || (operation.default_errors && (status.is_client_error() || status.is_server_error()));
    if !listed {
        // Another status's body is kept as it came; it is read as the error type only if it
        // is one exactly, so that nothing is made up for a body that is not Clerk's.
        let errors = decode_json::<E>(body, Mode::Strict).ok().map(|decoded| decoded.value);
        return unexpected_status(operation, *status, headers.clone(), body, errors);
    }
    match decode_json::<E>(body, mode) {
        Ok(Decoded { value, deviations }) => SdkError::Api(Box::new(ApiError {
            operation: operation.id,
            status: *status,
            errors: value,
            headers: headers.clone(),
            envelope: Envelope::read(body),
            deviations,
        })),
        Err(failure) => decode_error(operation, response, failure).widen(),
    }
}

/// An unexpected-status error, with the body kept and parsed as the error type if it is one.
fn unexpected_status<E>(
    operation: &Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    errors: Option<E>,
) -> SdkError<E> {
    SdkError::UnexpectedStatus(Box::new(UnexpectedStatus {
        response: ErrorResponse::new(operation.id, status, headers, body),
        errors,
        envelope: Envelope::read(body),
    }))
}

/// A 3xx response to an operation that documents no redirect: an unexpected status.
pub(super) fn unexpected_redirect(operation: &Operation, response: &RawResponse) -> Error {
    unexpected_status(
        operation,
        response.status,
        response.headers.clone(),
        &response.body,
        None,
    )
}

/// A response as a call's value or error: a 2xx (or a 3xx an operation documents) decoded
/// into `T`, any other status mapped by [`status_error`].
pub(super) fn answer<T: FromResponse, E: DeserializeOwned + Modeled>(
    operation: &Operation,
    response: RawResponse,
    mode: Mode,
) -> Result<Response<T>, SdkError<E>> {
    if !response.status.is_success() && !response.status.is_redirection() {
        return Err(status_error(operation, &response, mode));
    }
    let Decoded { value, deviations } = T::decode(operation, &response, mode).map_err(Error::widen)?;
    let RawResponse { status, headers, .. } = response;
    Ok(Response {
        status,
        headers,
        value,
        deviations,
    })
}

/// Decodes `body`, answered with `status` and `headers`, as a call to `operation` would,
/// without sending anything: for the testing kit and the fuzz targets.
pub(crate) fn decode_bytes<T: FromResponse, E: DeserializeOwned + Modeled>(
    operation: &Operation,
    status: u16,
    headers: HeaderMap,
    body: &[u8],
    strict: bool,
) -> Result<Response<T>, SdkError<E>> {
    let status = StatusCode::from_u16(status).map_err(|e| SdkError::InvalidRequest {
        operation: operation.id,
        reason: e.to_string(),
    })?;
    let response = RawResponse {
        status,
        headers,
        body: Bytes::copy_from_slice(body),
        attempt: 1,
        retry_delay: None,
        rate_limit_wait: Duration::ZERO,
    };
    answer(operation, response, Mode::strict(strict))
}

/// Maps a response exactly as a call does (the typed error `E` for `error_statuses`, an
/// unexpected-status error otherwise, a decoded `T` for 2xx), without sending anything, with
/// the deviations a lenient decode found. For the fuzz targets, which feed it arbitrary
/// bodies.
pub fn decode_response<T: FromResponse, E: DeserializeOwned + Modeled>(
    status: u16,
    error_statuses: &'static [u16],
    body: &[u8],
    strict: bool,
) -> Result<(T, Vec<Deviation>), SdkError<E>> {
    let operation = Operation {
        id: "Decode",
        method: Method::GET,
        path: "/",
        error_statuses,
        retry: RetryClass::Idempotent,
        security: &[],
        default_errors: false,
        accept: "application/json",
    };
    let response = decode_bytes::<T, E>(&operation, status, HeaderMap::new(), body, strict)?;
    let deviations = response.deviations.clone();
    Ok((response.into_inner(), deviations))
}

/// Decodes a 2xx body by its `Content-Type`: a `text/*` body (other than JSON) as a string, an
/// `application/octet-stream` body as bytes, anything else as JSON, leniently unless `mode` is
/// strict. An empty body decodes as JSON `null`, which is what `()` and `Option` expect.
pub(super) fn decode<T: DeserializeOwned + Modeled>(
    operation: &Operation,
    response: &RawResponse,
    mode: Mode,
) -> Result<Decoded<T>, Error> {
    let content_type = response
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = &response.body;
    let plain = |result: Result<T, serde::de::value::Error>| {
        result
            .map(|value| Decoded {
                value,
                deviations: Vec::new(),
            })
            .map_err(|error| Failure::Located {
                pointer: String::new(),
                message: error.to_string(),
                deviations: Vec::new(),
            })
    };
    let decoded = if !body.is_empty() && content_type.starts_with("text/") && !content_type.ends_with("json") {
        let text = String::from_utf8_lossy(body).into_owned();
        plain(T::deserialize(text.into_deserializer()))
    } else if !body.is_empty() && content_type == "application/octet-stream" {
        plain(T::deserialize(SeqDeserializer::<_, serde::de::value::Error>::new(
            body.iter().copied(),
        )))
    } else {
        let bytes: &[u8] = if body.is_empty() { b"null" } else { body };
        decode_json(bytes, mode)
    };
    decoded.map_err(|failure| decode_error(operation, response, failure))
}

/// Parses JSON at full speed; only when that fails is it parsed again with path tracking, so
/// the error can say where it failed. For request bodies, which are checked exactly.
#[cfg(feature = "testing")]
pub(crate) fn parse_json<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_json::from_slice(bytes)
        .or_else(|_| serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes)))
}

/// The most pointers the log event of one call names.
const LOGGED_POINTERS: usize = 20;

/// The attempt that got a response: its number, the wait before it, and the status.
pub(super) struct Attempt {
    pub(super) number: u32,
    pub(super) retry_delay: Option<Duration>,
    pub(super) rate_limit_wait: Duration,
    pub(super) status: StatusCode,
}

/// Makes a response's deviations visible, if it has any: one `warn` event for the call, with
/// the operation, the status and the pointers (never the values, which may be personal data),
/// and each hook's [`on_deviations`](crate::hooks::Hooks::on_deviations).
pub(super) fn report_deviations(
    inner: &ClientInner,
    operation: &Operation,
    attempt: &Attempt,
    deviations: &[Deviation],
) {
    if deviations.is_empty() {
        return;
    }
    tracing::warn!(
        target: "clerk_sdk::drift",
        operation = operation.id,
        status = attempt.status.as_u16(),
        count = deviations.len(),
        pointers = %pointer_list(deviations, LOGGED_POINTERS),
        "the response deviates from the spec"
    );
    if inner.hooks.is_empty() {
        return;
    }
    let context = HookContext {
        operation_id: operation.id,
        method: operation.method.clone(),
        path_template: operation.path,
        attempt: attempt.number,
        retry_delay: attempt.retry_delay,
        rate_limit_wait: attempt.rate_limit_wait,
        retry_quota: inner.partition.quota.available(),
    };
    for hook in &inner.hooks {
        hook.on_deviations(&context, deviations);
    }
}

/// The decode error for a response whose body failed as `failure` says.
fn decode_error(operation: &Operation, response: &RawResponse, failure: Failure) -> Error {
    let (pointer, message, deviations) = match failure {
        Failure::Located {
            pointer,
            message,
            deviations,
        } => (pointer, message, deviations),
        Failure::Deviates(deviations) => {
            let first = deviations.first();
            let pointer = first.map(|d| d.pointer.clone()).unwrap_or_default();
            let mut message = first.map(Deviation::problem).unwrap_or_default();
            message.push_str(" (strict responses");
            if deviations.len() > 1 {
                message.push_str(&format!("; {} deviations in all", deviations.len()));
            }
            message.push(')');
            (pointer, message, deviations)
        }
    };
    Error::Decode(Box::new(DecodeError {
        response: ErrorResponse::new(operation.id, response.status, response.headers.clone(), &response.body),
        pointer,
        message,
        deviations,
    }))
}
