//! What the generated events enum of an API is built from: the [`Event`] trait [`Webhook::verify`](super::Webhook::verify)
//! decodes with, and the macro that writes the enum from one line per event.

use serde_json::Value;

use crate::drift::Deviation;

/// A webhook payload [`Webhook::verify`](super::Webhook::verify) can decode: a generated
/// events enum (`WebhookEvent`), decoded leniently with its deviations from the spec, or
/// `serde_json::Value`.
pub trait Event: Sized {
    /// Decodes a verified body: the event and where it deviated from the spec.
    ///
    /// # Errors
    ///
    /// Why the body is not such an event (not JSON, or of another shape at its top level).
    fn decode(body: &[u8]) -> Result<(Self, Vec<Deviation>), String>;
}

impl Event for Value {
    fn decode(body: &[u8]) -> Result<(Self, Vec<Deviation>), String> {
        serde_json::from_slice(body)
            .map(|value| (value, Vec::new()))
            .map_err(|error| error.to_string())
    }
}

/// The `type` of a webhook payload, which says which event it is.
///
/// # Errors
///
/// If the body is not a JSON object with a string `type`.
#[doc(hidden)]
pub fn event_type(body: &[u8]) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    struct Typed {
        #[serde(rename = "type")]
        event_type: String,
    }
    serde_json::from_slice::<Typed>(body)
        .map(|typed| typed.event_type)
        .map_err(|error| format!("not an event with a `type`: {error}"))
}

/// An event fixture's value, from the example payload the spec gives for event `key`.
///
/// # Panics
///
/// If the JSON is not an event, which the generated crate's tests rule out.
#[doc(hidden)]
pub fn event_fixture<E: Event>(key: &str, json: &str) -> E {
    match E::decode(json.as_bytes()) {
        Ok((event, _)) => event,
        Err(error) => panic!("the fixture of event `{key}` does not decode: {error}"),
    }
}

/// Writes an API's events enum: one variant per event, named by its type, holding its payload,
/// and `Unknown` for a type the spec does not list. Generated code calls it with one line per
/// event: `"user.created" => UserCreated(models::UserCreated),`.
#[doc(hidden)]
#[macro_export]
macro_rules! __webhook_events {
    (
        $(#[$doc:meta])*
        $name:ident {
            $($(#[$variant_doc:meta])* $key:literal => $variant:ident($payload:ty),)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_doc])* $variant($payload),)*
            /// An event this version does not know (Clerk added it after this spec): its type
            /// and its whole payload.
            Unknown {
                /// The event's `type`.
                event_type: ::std::string::String,
                /// The payload, as sent.
                raw: $crate::__private::serde_json::Value,
            },
        }

        impl $name {
            /// Every event type the spec lists, in its order.
            pub const EVENT_TYPES: &'static [&'static str] = &[$($key),*];

            /// The event's type, such as `user.created`.
            pub fn event_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $key,)*
                    Self::Unknown { event_type, .. } => event_type,
                }
            }

            /// Decodes a payload (already verified, or from a test) as the webhook sends it.
            ///
            /// # Errors
            ///
            /// Why it is not an event.
            pub fn from_json(body: &[u8]) -> ::core::result::Result<Self, ::std::string::String> {
                <Self as $crate::__private::Event>::decode(body).map(|(event, _)| event)
            }
        }

        impl $crate::__private::Event for $name {
            fn decode(
                body: &[u8],
            ) -> ::core::result::Result<(Self, ::std::vec::Vec<$crate::Deviation>), ::std::string::String> {
                let event_type = $crate::__private::event_type(body)?;
                match event_type.as_str() {
                    $($key => $crate::__private::decode_json_body::<$payload>(body, false)
                        .map(|(payload, deviations)| (Self::$variant(payload), deviations)),)*
                    _ => $crate::__private::serde_json::from_slice(body)
                        .map(|raw| (Self::Unknown { event_type, raw }, ::std::vec::Vec::new()))
                        .map_err(|error| error.to_string()),
                }
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(payload) => $crate::__private::serde::Serialize::serialize(payload, serializer),)*
                    Self::Unknown { raw, .. } => $crate::__private::serde::Serialize::serialize(raw, serializer),
                }
            }
        }
    };
}
