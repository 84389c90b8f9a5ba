//! The helpers generated marker types and fixtures call: reading a request body back as an
//! operation sends it, writing a success value as a response body, and decoding fixtures.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ResponseBody;

/// A JSON request body, decoded into its model.
///
/// # Errors
///
/// If the body is not JSON of that model; the message has the path of the failing field.
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    crate::call::parse_json(bytes).map_err(|e| format!("the JSON body does not decode: {e}"))
}

/// A form body (`application/x-www-form-urlencoded`), as its decoded pairs in order.
///
/// # Errors
///
/// Never: every byte string reads as pairs. The `Result` keeps the helpers alike.
pub fn form_body(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    Ok(form_urlencoded::parse(bytes).into_owned().collect())
}

/// Any other body, as its bytes.
///
/// # Errors
///
/// Never.
pub fn raw_body(bytes: &[u8]) -> Result<Vec<u8>, String> {
    Ok(bytes.to_vec())
}

/// An operation without a body.
///
/// # Errors
///
/// If a body was sent.
pub fn no_body(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "a {}-byte body was sent to an operation without one",
            bytes.len()
        ))
    }
}

/// A success value as a JSON body.
pub fn json_response<T: Serialize>(value: &T) -> ResponseBody {
    ResponseBody {
        content_type: Some("application/json"),
        // Generated models always serialize: their maps have string keys.
        bytes: serde_json::to_vec(value).unwrap_or_default(),
    }
}

/// A success value as a `text/plain` body.
pub fn text_response(value: &str) -> ResponseBody {
    ResponseBody {
        content_type: Some("text/plain; charset=utf-8"),
        bytes: value.as_bytes().to_vec(),
    }
}

/// A success value as an `application/octet-stream` body.
pub fn bytes_response(value: &[u8]) -> ResponseBody {
    ResponseBody {
        content_type: Some("application/octet-stream"),
        bytes: value.to_vec(),
    }
}

/// No body, for an operation whose success has no content.
pub fn empty_response(_: &()) -> ResponseBody {
    ResponseBody {
        content_type: None,
        bytes: Vec::new(),
    }
}

/// A fixture's value, from the JSON the generator built from the spec's examples.
///
/// # Panics
///
/// If the JSON does not decode into `T`, which the generated crate's tests rule out.
pub fn fixture<T: DeserializeOwned>(name: &str, json: &str) -> T {
    match json_body(json.as_bytes()) {
        Ok(value) => value,
        Err(error) => panic!("fixture `{name}` does not decode: {error}"),
    }
}

/// Checks that a fixture serializes to JSON that decodes back into the same value.
///
/// # Errors
///
/// The fixture's name and what differs.
pub fn round_trip<T: Serialize + DeserializeOwned + PartialEq + fmt::Debug>(
    name: &str,
    value: &T,
) -> Result<(), String> {
    let json = serde_json::to_vec(value).map_err(|e| format!("fixture `{name}` does not serialize: {e}"))?;
    let back: T = json_body(&json).map_err(|e| format!("fixture `{name}`: {e}"))?;
    if &back == value {
        Ok(())
    } else {
        Err(format!(
            "fixture `{name}` changed in a round trip: {value:?} became {back:?}"
        ))
    }
}
