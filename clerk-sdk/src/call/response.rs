//! Responses: a 2xx body decoded into the operation's type, and any other status mapped to
//! the typed error for the statuses the spec lists or to an unexpected-status error.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::Operation;
use crate::error::{ApiError, BaseError as Error, DecodeError, Envelope, SdkError, UnexpectedStatus, kept_body};
use crate::retry::RetryClass;

/// A response read in full.
pub(super) struct RawResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

/// Maps a non-2xx response to [`SdkError::Api`] (listed status), [`SdkError::Decode`] (listed
/// status whose body is not the API's error type) or [`SdkError::UnexpectedStatus`].
pub(super) fn status_error<E: DeserializeOwned>(operation: &Operation, response: RawResponse) -> SdkError<E> {
    let RawResponse { status, headers, body } = response;
    let body = &body[..];
    let parsed = parse_json(body);
    let envelope = Envelope::read(body);
    if operation.error_statuses.contains(&status.as_u16()) {
        match parsed {
            Ok(errors) => SdkError::Api(Box::new(ApiError {
                operation: operation.id,
                status,
                errors,
                headers,
                envelope,
            })),
            Err(error) => decode_error(operation, status, headers, body, error).widen(),
        }
    } else {
        let (body, body_truncated) = kept_body(body);
        SdkError::UnexpectedStatus(Box::new(UnexpectedStatus {
            operation: operation.id,
            status,
            headers,
            body,
            body_truncated,
            errors: parsed.ok(),
            envelope,
        }))
    }
}

/// Maps a response exactly as a call does (the typed error `E` for `error_statuses`, an
/// unexpected-status error otherwise, a decoded `T` for 2xx), without sending anything. For the
/// fuzz targets, which feed it arbitrary bodies.
pub fn decode_response<T: DeserializeOwned, E: DeserializeOwned>(
    status: u16,
    error_statuses: &'static [u16],
    body: &[u8],
) -> Result<T, SdkError<E>> {
    let operation = Operation {
        id: "Decode",
        method: Method::GET,
        path: "/",
        error_statuses,
        retry: RetryClass::Idempotent,
        security: &[],
    };
    let operation = &operation;
    let status = StatusCode::from_u16(status).map_err(|e| SdkError::InvalidRequest {
        operation: operation.id,
        reason: e.to_string(),
    })?;
    let response = RawResponse {
        status,
        headers: HeaderMap::new(),
        body: Bytes::copy_from_slice(body),
    };
    if status.is_success() {
        decode(operation, response).map_err(Error::widen)
    } else {
        Err(status_error(operation, response))
    }
}

/// Decodes a 2xx body. An empty body decodes as JSON `null`, which is what `()` expects for
/// operations without a response body.
pub(super) fn decode<T: DeserializeOwned>(operation: &Operation, response: RawResponse) -> Result<T, Error> {
    let bytes: &[u8] = if response.body.is_empty() {
        b"null"
    } else {
        &response.body
    };
    parse_json(bytes).map_err(|error| decode_error(operation, response.status, response.headers, &response.body, error))
}

/// Parses JSON at full speed; only when that fails is it parsed again with path tracking, so
/// the error can say where it failed.
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_json::from_slice(bytes)
        .or_else(|_| serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes)))
}

fn decode_error(
    operation: &Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    error: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let (body, body_truncated) = kept_body(body);
    Error::Decode(Box::new(DecodeError {
        operation: operation.id,
        status,
        headers,
        path: error.path().to_string(),
        message: error.into_inner().to_string(),
        body,
        body_truncated,
    }))
}
