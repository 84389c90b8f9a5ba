//! [`Call`]: one prepared request, and the single place where requests are sent and
//! responses mapped.
//!
//! Generated operation methods only describe the request (an [`Operation`] plus arguments);
//! everything else happens here, so it is written and tested once.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, UnexpectedStatus};
use crate::generated::API_VERSION;
use crate::{Clerk, Error};

/// The header that pins the API version.
const API_VERSION_HEADER: &str = "clerk-api-version";

/// `clerk-sdk/<version>`.
const SDK_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Characters escaped in a path segment: everything except RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`). In particular `/`, `?`, `#` and `%` are escaped, so a parameter can
/// never leave its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The static description of an operation, emitted by the generator.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The spec's `operationId`.
    pub(crate) id: &'static str,
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub(crate) path: &'static str,
    /// Statuses that map to [`Error::Api`].
    pub(crate) error_statuses: &'static [u16],
}

/// A prepared request to one operation. Nothing is sent until it is awaited.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let call = clerk.phone_numbers().get("phone_12345"); // nothing sent yet
/// let phone = call.await?;                              // sent here
/// # Ok(()) }
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<T> {
    client: Clerk,
    operation: &'static Operation,
    path_args: Vec<String>,
    body: Option<Result<Vec<u8>, String>>,
    response: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("path", &self.operation.path)
            .field("path_args", &self.path_args)
            .finish_non_exhaustive()
    }
}

impl<T> Call<T> {
    /// A call to `operation` with its path arguments in template order.
    pub(crate) fn new(
        client: &Clerk,
        operation: &'static Operation,
        path_args: Vec<String>,
    ) -> Self {
        Call {
            client: client.clone(),
            operation,
            path_args,
            body: None,
            response: PhantomData,
        }
    }

    /// Attaches a JSON body. A serialization failure is reported when the call is awaited.
    pub(crate) fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
        self
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// Sends the request and decodes the response. Awaiting the `Call` does the same.
    pub async fn send(self) -> Result<T, Error> {
        let operation = self.operation;
        let response = execute(&self.client, operation, &self.path_args, self.body).await?;
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

/// A response whose status is 2xx, read in full.
struct SuccessResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Builds the URL, sends the request, and maps non-2xx responses to errors. Not generic, so
/// it is compiled once, not once per response type.
async fn execute(
    client: &Clerk,
    operation: &'static Operation,
    path_args: &[String],
    body: Option<Result<Vec<u8>, String>>,
) -> Result<SuccessResponse, Error> {
    let inner = &client.inner;
    let path = expand_path(operation, path_args)?;
    let url = format!("{}{}", inner.server_url, path);

    let mut request = inner
        .http
        .request(operation.method.clone(), url)
        .timeout(inner.timeout)
        .header(AUTHORIZATION, inner.authorization.clone())
        .header(API_VERSION_HEADER, HeaderValue::from_static(API_VERSION))
        .header(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT))
        .header(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(body) = body {
        let body = body.map_err(|reason| Error::InvalidRequest {
            operation: operation.id,
            reason: format!("cannot serialize the request body: {reason}"),
        })?;
        request = request
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);
    }

    let transport = |source| Error::Transport {
        operation: operation.id,
        source,
    };
    let response = request.send().await.map_err(transport)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(transport)?.to_vec();

    if status.is_success() {
        Ok(SuccessResponse {
            status,
            headers,
            body,
        })
    } else {
        Err(status_error(operation, status, headers, &body))
    }
}

/// Replaces each `{name}` of the path template with the next argument, percent-encoded as a
/// single segment.
fn expand_path(operation: &Operation, args: &[String]) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    let mut path = String::with_capacity(operation.path.len() + 16);
    let mut args = args.iter();
    let mut rest = operation.path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|offset| open + offset)
            .ok_or_else(|| invalid(format!("malformed path template `{}`", operation.path)))?;
        let name = &rest[open + 1..close];
        let value = args
            .next()
            .ok_or_else(|| invalid(format!("missing path parameter `{name}`")))?;
        // `.` and `..` would be resolved away by URL normalization (even when
        // percent-encoded), sending the request to another endpoint.
        if value.is_empty() || value == "." || value == ".." {
            let shown = if value.is_empty() {
                "empty".to_owned()
            } else {
                format!("`{value}`")
            };
            return Err(invalid(format!("path parameter `{name}` is {shown}")));
        }
        path.push_str(&rest[..open]);
        path.extend(utf8_percent_encode(value, PATH_SEGMENT));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if args.next().is_some() {
        return Err(invalid("too many path parameters".to_owned()));
    }
    Ok(path)
}

/// Maps a non-2xx response to [`Error::Api`] (listed status), [`Error::Decode`] (listed status
/// whose body is not Clerk errors) or [`Error::UnexpectedStatus`].
fn status_error(
    operation: &'static Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Error {
    let parsed = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body));
    if operation.error_statuses.contains(&status.as_u16()) {
        match parsed {
            Ok(errors) => Error::Api(Box::new(ApiError {
                operation: operation.id,
                status,
                errors,
                headers,
            })),
            Err(error) => decode_error(operation, status, headers, body, error),
        }
    } else {
        Error::UnexpectedStatus(Box::new(UnexpectedStatus {
            operation: operation.id,
            status,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
            errors: parsed.ok(),
        }))
    }
}

/// Decodes a 2xx body. An empty body decodes as JSON `null`, which is what `()` expects for
/// operations without a response body.
fn decode<T: DeserializeOwned>(
    operation: &'static Operation,
    response: SuccessResponse,
) -> Result<T, Error> {
    let bytes: &[u8] = if response.body.is_empty() {
        b"null"
    } else {
        &response.body
    };
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes)).map_err(
        |error| {
            decode_error(
                operation,
                response.status,
                response.headers,
                &response.body,
                error,
            )
        },
    )
}

fn decode_error(
    operation: &'static Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    error: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: operation.id,
        status,
        headers,
        path: error.path().to_string(),
        message: error.into_inner().to_string(),
        body: String::from_utf8_lossy(body).into_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: Operation = Operation {
        id: "GetThing",
        method: Method::GET,
        path: "/things/{thing_id}/parts/{part_id}",
        error_statuses: &[404],
    };

    fn expand(args: &[&str]) -> Result<String, String> {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        expand_path(&GET, &args).map_err(|e| e.to_string())
    }

    #[test]
    fn path_arguments_are_one_encoded_segment_each() {
        assert_eq!(
            expand(&["t_1", "p-2.x~"]).as_deref(),
            Ok("/things/t_1/parts/p-2.x~")
        );
        assert_eq!(
            expand(&["../users/user_1", "a b"]).as_deref(),
            Ok("/things/..%2Fusers%2Fuser_1/parts/a%20b")
        );
        assert_eq!(
            expand(&["?x=1#f", "100%"]).as_deref(),
            Ok("/things/%3Fx%3D1%23f/parts/100%25")
        );
        assert_eq!(expand(&["é", "x"]).as_deref(), Ok("/things/%C3%A9/parts/x"));
    }

    #[test]
    fn dot_segments_and_empty_arguments_are_refused() {
        assert_eq!(
            expand(&["", "x"]),
            Err("GetThing: invalid request: path parameter `thing_id` is empty".to_owned())
        );
        assert_eq!(
            expand(&["x", ".."]),
            Err("GetThing: invalid request: path parameter `part_id` is `..`".to_owned())
        );
        assert_eq!(
            expand(&[".", "x"]),
            Err("GetThing: invalid request: path parameter `thing_id` is `.`".to_owned())
        );
    }

    #[test]
    fn argument_count_must_match_the_template() {
        assert!(expand(&["x"]).is_err_and(|e| e.contains("missing path parameter `part_id`")));
        assert!(expand(&["x", "y", "z"]).is_err_and(|e| e.contains("too many")));
    }
}
