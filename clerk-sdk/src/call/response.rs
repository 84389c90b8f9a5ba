//! Responses: a 2xx body decoded into the operation's type, and any other status mapped to
//! the typed error for the statuses the spec lists or to an unexpected-status error.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::de::IntoDeserializer;
use serde::de::value::SeqDeserializer;

use super::Operation;
use crate::error::{ApiError, BaseError as Error, DecodeError, Envelope, SdkError, UnexpectedStatus, kept_body};
use crate::retry::RetryClass;

/// A response read in full.
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Maps a non-2xx response to [`SdkError::Api`] (listed status), [`SdkError::Decode`] (listed
/// status whose body is not the API's error type) or [`SdkError::UnexpectedStatus`].
pub(super) fn status_error<E: DeserializeOwned>(operation: &Operation, response: RawResponse) -> SdkError<E> {
    let RawResponse { status, headers, body } = response;
    let body = &body[..];
    let parsed = parse_json(body);
    let listed = operation.error_statuses.contains(&status.as_u16())
        || (operation.default_errors && (status.is_client_error() || status.is_server_error()));
    if listed {
        match parsed {
            Ok(errors) => SdkError::Api(Box::new(ApiError {
                operation: operation.id,
                status,
                errors,
                headers,
                envelope: Envelope::read(body),
            })),
            Err(error) => decode_error(operation, status, headers, body, Located(error).located()).widen(),
        }
    } else {
        unexpected_status(operation, status, headers, body, parsed.ok())
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
    let envelope = Envelope::read(body);
    let (body, body_truncated) = kept_body(body);
    SdkError::UnexpectedStatus(Box::new(UnexpectedStatus {
        operation: operation.id,
        status,
        headers,
        body,
        body_truncated,
        errors,
        envelope,
    }))
}

/// A 3xx response to an operation that documents no redirect: an unexpected status.
pub(super) fn unexpected_redirect(operation: &Operation, response: RawResponse) -> Error {
    unexpected_status(operation, response.status, response.headers, &response.body, None)
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
        default_errors: false,
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

/// Decodes a 2xx body by its `Content-Type`: a `text/*` body (other than JSON) as a string, an
/// `application/octet-stream` body as bytes, anything else as JSON. An empty body decodes as
/// JSON `null`, which is what `()` and `Option` expect.
pub(super) fn decode<T: DeserializeOwned>(operation: &Operation, response: RawResponse) -> Result<T, Error> {
    let content_type = response
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let decoded = if !response.body.is_empty() && content_type.starts_with("text/") && !content_type.ends_with("json") {
        let text = String::from_utf8_lossy(&response.body).into_owned();
        T::deserialize(text.into_deserializer()).map_err(Plain)
    } else if !response.body.is_empty() && content_type == "application/octet-stream" {
        let bytes = SeqDeserializer::<_, serde::de::value::Error>::new(response.body.iter().copied());
        T::deserialize(bytes).map_err(Plain)
    } else {
        let bytes: &[u8] = if response.body.is_empty() {
            b"null"
        } else {
            &response.body
        };
        parse_json(bytes).map_err(Located)
    };
    decoded.map_err(|failure| {
        decode_error(
            operation,
            response.status,
            response.headers,
            &response.body,
            failure.located(),
        )
    })
}

/// Why a body did not decode: a JSON error with the path where it failed, or another one.
enum DecodeFailure {
    Located(serde_path_to_error::Error<serde_json::Error>),
    Plain(serde::de::value::Error),
}

use DecodeFailure::{Located, Plain};

/// Parses JSON at full speed; only when that fails is it parsed again with path tracking, so
/// the error can say where it failed.
pub(crate) fn parse_json<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_json::from_slice(bytes)
        .or_else(|_| serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes)))
}

/// A decode error for a body that failed at `path` (`.` for the root) with `message`.
fn decode_error(
    operation: &Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    (path, message): (String, String),
) -> Error {
    let (body, body_truncated) = kept_body(body);
    Error::Decode(Box::new(DecodeError {
        operation: operation.id,
        status,
        headers,
        path,
        message,
        body,
        body_truncated,
    }))
}

impl DecodeFailure {
    /// Where decoding failed and why.
    fn located(self) -> (String, String) {
        match self {
            Located(error) => (error.path().to_string(), error.into_inner().to_string()),
            Plain(error) => (".".to_owned(), error.to_string()),
        }
    }
}
