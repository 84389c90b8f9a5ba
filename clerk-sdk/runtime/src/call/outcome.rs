//! How a response becomes a call's value: [`FromResponse`], [`Outcome`] for operations
//! whose spec documents a redirect, and [`Response`] for a value kept with its status and
//! headers.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use serde::de::DeserializeOwned;

use super::Operation;
use super::response::{RawResponse, decode, unexpected_redirect};
use crate::drift::schema::Modeled;
use crate::drift::{Decoded, Deviation, Mode};
use crate::error::BaseError;

/// A type a call can return: any generated model, or standard type, that deserializes (from a
/// JSON body, a `text/*` body as a string, or an `application/octet-stream` body as bytes) and
/// whose schema the lenient decoder knows ([`Modeled`]), or an [`Outcome`] for operations with
/// documented redirects. Sealed: the runtime decides how responses are read.
pub trait FromResponse: sealed::Decode {}

impl<T: sealed::Decode> FromResponse for T {}

pub(crate) mod sealed {
    use super::{BaseError, Decoded, Mode, Operation, RawResponse};

    /// Makes a 2xx or 3xx response into the call's value.
    pub trait Decode: Sized {
        /// The value and where the body deviated from the spec, or why the response is not
        /// one.
        fn decode(operation: &Operation, response: &RawResponse, mode: Mode) -> Result<Decoded<Self>, BaseError>;
    }
}

impl<T: DeserializeOwned + Modeled> sealed::Decode for T {
    /// A 2xx body decodes; a 3xx (which no documented redirect made an [`Outcome`]) is an
    /// unexpected status, with the body kept.
    fn decode(operation: &Operation, response: &RawResponse, mode: Mode) -> Result<Decoded<Self>, BaseError> {
        if response.status.is_redirection() {
            return Err(unexpected_redirect(operation, response));
        }
        decode(operation, response, mode)
    }
}

/// What an operation with documented redirects returns: its 2xx value, or the redirect, which
/// the SDK does not follow (these are OAuth-style flows, whose next step is the caller's).
#[derive(Debug, Clone)]
pub enum Outcome<T> {
    /// A 2xx response, decoded.
    Done(T),
    /// A 3xx response: its status, `Location` and headers.
    Redirect(Redirect),
}

impl<T> Outcome<T> {
    /// The 2xx value, if the call was not redirected.
    pub fn done(self) -> Option<T> {
        match self {
            Outcome::Done(value) => Some(value),
            Outcome::Redirect(_) => None,
        }
    }

    /// The redirect, if the call was redirected.
    pub fn redirect(&self) -> Option<&Redirect> {
        match self {
            Outcome::Done(_) => None,
            Outcome::Redirect(redirect) => Some(redirect),
        }
    }
}

impl<T: DeserializeOwned + Modeled> sealed::Decode for Outcome<T> {
    fn decode(operation: &Operation, response: &RawResponse, mode: Mode) -> Result<Decoded<Self>, BaseError> {
        if !response.status.is_redirection() {
            return decode(operation, response, mode).map(|decoded| Decoded {
                value: Outcome::Done(decoded.value),
                deviations: decoded.deviations,
            });
        }
        let location = response
            .headers
            .get(LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        Ok(Decoded {
            value: Outcome::Redirect(Redirect {
                status: response.status,
                location,
                headers: response.headers.clone(),
            }),
            deviations: Vec::new(),
        })
    }
}

/// A 3xx response the SDK returned instead of following.
#[derive(Debug, Clone)]
pub struct Redirect {
    status: StatusCode,
    location: Option<String>,
    headers: HeaderMap,
}

impl Redirect {
    /// The status, such as `303 See Other`.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Location` header: where the flow continues. Relative locations are left as sent.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The response headers (`Set-Cookie`, for instance).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// A call's decoded value with the response's status and headers, and where its body deviated
/// from the spec, from [`Call::send_with_response`](super::Call::send_with_response).
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) value: T,
    pub(super) deviations: Vec<Deviation>,
}

impl<T> Response<T> {
    /// The response's status, such as `200 OK`.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Where the body differed from the spec, each with its JSON pointer and what the value
    /// holds instead, in the order of the spec's fields (array items in order); empty when it
    /// matched. See [`crate::drift`].
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// Takes the decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Takes the status, the headers and the value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

impl<T: serde::Serialize + Modeled> Response<T> {
    /// The JSON pointers of the members of the body that its models do not list, such as a
    /// field Clerk added before its spec did: forward compatibility, not drift, so not among
    /// [`deviations`](Self::deviations) and never logged as one. Each is kept in its model's
    /// `unknown_fields`.
    pub fn unknown_members(&self) -> Vec<String> {
        match serde_json::to_value(&self.value) {
            Ok(value) => crate::drift::unknown_members(&value, T::schema()),
            Err(_) => Vec::new(),
        }
    }
}
