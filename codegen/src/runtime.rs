//! The runtime as generated code names it: every path into `clerk-sdk` that the emitters write,
//! and what a crate generated on its own re-exports from it, in one table.
//!
//! Generated code names the runtime through `crate::`: inside `clerk-sdk` that is the runtime
//! itself, and a crate generated on its own re-exports `clerk_sdk::__private` and the items of
//! [`REEXPORTS`] at its root, so the same paths resolve there. The tests below hold each path
//! against what `clerk-sdk/src/lib.rs` exports, and check that no emitter writes a runtime path
//! of its own.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// The runtime's crate name, as a crate generated on its own names it.
const SDK_CRATE: &str = "clerk_sdk";

/// The runtime's crate, as a crate generated on its own names it at its root.
pub(crate) fn sdk_crate() -> Ident {
    Ident::new(SDK_CRATE, Span::call_site())
}

/// A path generated code names in the runtime, such as `crate::__private::Api`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuntimePath(&'static str);

impl RuntimePath {
    /// The path as text, for serde attributes and doc links.
    pub(crate) const fn as_str(self) -> &'static str {
        self.0
    }

    /// The item's own name: its last segment.
    pub(crate) fn name(self) -> &'static str {
        self.0.rsplit("::").next().unwrap_or(self.0)
    }

    /// The module the item is in, such as `crate::__private::testing`.
    fn module(self) -> &'static str {
        self.0.rsplit_once("::").map_or("", |(module, _)| module)
    }

    /// The path as a crate generated on its own writes it at its root, where `crate` is not yet
    /// the runtime: `clerk_sdk::__private::standalone_client`.
    pub(crate) fn outside_sdk(self) -> TokenStream {
        let mut tokens = TokenStream::new();
        append_path(&mut tokens, &self.0.replacen("crate", SDK_CRATE, 1));
        tokens
    }
}

impl ToTokens for RuntimePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        append_path(tokens, self.0);
    }
}

/// Appends `a::b::c` to `tokens`.
fn append_path(tokens: &mut TokenStream, path: &str) {
    for (index, segment) in path.split("::").enumerate() {
        if index > 0 {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
        }
        tokens.append(Ident::new(segment, Span::call_site()));
    }
}

/// `use module::{a, b};` for items of one module, in the order given.
pub(crate) fn use_items(items: &[RuntimePath]) -> TokenStream {
    let Some(first) = items.first() else {
        return TokenStream::new();
    };
    let mut module = TokenStream::new();
    append_path(&mut module, first.module());
    let names = items.iter().map(|item| Ident::new(item.name(), Span::call_site()));
    quote::quote!(use #module::{#(#names),*};)
}

macro_rules! runtime_paths {
    ($($(#[$doc:meta])* $name:ident = $path:literal;)*) => {
        $($(#[$doc])* pub(crate) const $name: RuntimePath = RuntimePath($path);)*

        /// Every path above, for the tests.
        #[cfg(test)]
        const ALL: &[RuntimePath] = &[$($name),*];
    };
}

runtime_paths! {
    /// What generated code needs from the runtime, which a crate generated on its own
    /// re-exports at its root.
    PRIVATE = "crate::__private";
    /// The trait a marker type implements to describe its API.
    API = "crate::__private::Api";
    /// What the marker's `Api` implementation describes.
    API_DESCRIPTION = "crate::__private::ApiDescription";
    /// Where an API key goes.
    KEY_LOCATION = "crate::__private::KeyLocation";
    /// How a credential is sent.
    SCHEME_KIND = "crate::__private::SchemeKind";
    /// A security scheme of the API's description.
    SECURITY_SCHEME = "crate::__private::SecurityScheme";
    /// A credential given to the builder.
    CREDENTIAL = "crate::__private::Credential";
    /// The secret a credential holds.
    SECRET_STRING = "crate::__private::SecretString";
    /// The runtime's client, which `Clerk` names for the API.
    CLIENT = "crate::__private::Client";
    /// The runtime's client builder.
    CLIENT_BUILDER = "crate::__private::ClientBuilder";
    /// The runtime's call.
    CALL = "crate::__private::Call";
    /// An operation's descriptor.
    OPERATION = "crate::__private::Operation";
    /// The HTTP method of a descriptor.
    METHOD = "crate::__private::Method";
    /// Which failures of an operation may be retried.
    RETRY_CLASS = "crate::__private::RetryClass";
    /// How a query parameter or form field is sent.
    STYLE = "crate::__private::Style";
    /// How a list operation pages.
    PAGING = "crate::__private::Paging";
    /// How a list's next page is asked for.
    PAGE_BY = "crate::__private::PageBy";
    /// Where a cursor list finds its next cursor.
    CURSOR_FROM = "crate::__private::CursorFrom";
    /// Takes a list response apart.
    INTO_PAGE = "crate::__private::IntoPage";
    /// A list response taken apart.
    PAGE_PARTS = "crate::__private::PageParts";
    /// A model's schema, for the lenient decoder.
    MODELED = "crate::__private::Modeled";
    /// The schema a model describes.
    SCHEMA = "crate::__private::Schema";
    /// The JSON an untagged variant is tried for.
    SHAPE = "crate::__private::Shape";
    /// A tagged union's schema.
    TAGGED_UNION = "crate::__private::TaggedUnion";
    /// An untagged union's schema.
    UNTAGGED_UNION = "crate::__private::UntaggedUnion";
    /// One alternative of an untagged union's schema.
    ALTERNATIVE = "crate::__private::Alternative";
    /// Defines a struct's schema from its fields.
    MODELED_STRUCT = "crate::__private::modeled_struct";
    /// Refuses `null` for an optional field that is not nullable.
    NON_NULL = "crate::__private::non_null";
    /// Reads a required nullable field.
    REQUIRED_NULLABLE = "crate::__private::required_nullable";
    /// Implements an open enum.
    IMPL_OPEN_ENUM = "crate::__private::impl_open_enum";
    /// Reads a tagged union's tag.
    TAGGED = "crate::__private::Tagged";
    /// Writes a tagged union's variant with its tag.
    SERIALIZE_TAGGED = "crate::__private::serialize_tagged";
    /// Decodes one untagged variant.
    TRY_DECODE = "crate::__private::try_decode";
    /// Chooses an untagged union's variant.
    DECODE_UNTAGGED = "crate::__private::decode_untagged";
    /// A multipart body's parts.
    MULTIPART_BODY = "crate::__private::MultipartBody";
    /// One multipart part.
    PART = "crate::__private::Part";
    /// A field's multipart parts.
    TO_PARTS = "crate::__private::ToParts";
    /// Writes an API's webhook events enum.
    WEBHOOK_EVENTS = "crate::__private::webhook_events";
    /// An event's fixture, from the spec's example.
    EVENT_FIXTURE = "crate::__private::event_fixture";
    /// The client, builder and call types of a crate generated on its own.
    STANDALONE_CLIENT = "crate::__private::standalone_client";
    /// The mock types of a crate generated on its own.
    STANDALONE_TESTING = "crate::__private::standalone_testing";
    /// The testing kit's mock server.
    MOCK = "crate::__private::testing::Mock";
    /// One operation's expectation.
    EXPECTATION = "crate::__private::testing::Expectation";
    /// Defines an operation's marker type for the mock.
    MOCK_OPERATION = "crate::__private::testing::mock_operation";
    /// Visits every operation's marker.
    OPERATION_VISITOR = "crate::__private::testing::OperationVisitor";
    /// What the mock received.
    RECEIVED = "crate::__private::testing::Received";
    /// One request in the mock's log.
    LOGGED_REQUEST = "crate::__private::testing::LoggedRequest";
    /// What answered a request in the mock's log.
    ANSWERED_BY = "crate::__private::testing::AnsweredBy";
    /// The wiremock the kit is built on.
    WIREMOCK = "crate::__private::testing::wiremock";
    /// Decodes a fixture.
    FIXTURE = "crate::__private::testing::fixture";
    /// Checks that a fixture survives a round trip.
    ROUND_TRIP = "crate::__private::testing::round_trip";
    /// A JSON request body, read back.
    JSON_BODY = "crate::__private::testing::json_body";
    /// A form request body, read back.
    FORM_BODY = "crate::__private::testing::form_body";
    /// A request without a body.
    NO_BODY = "crate::__private::testing::no_body";
    /// A request body of bytes.
    RAW_BODY = "crate::__private::testing::raw_body";
    /// A response without a body.
    EMPTY_RESPONSE = "crate::__private::testing::empty_response";
    /// A text response.
    TEXT_RESPONSE = "crate::__private::testing::text_response";
    /// A response of bytes.
    BYTES_RESPONSE = "crate::__private::testing::bytes_response";
    /// A JSON response.
    JSON_RESPONSE = "crate::__private::testing::json_response";
    /// The three-state wrapper of optional nullable request fields.
    NULLABLE = "crate::Nullable";
    /// A file in a multipart body.
    FILE_PART = "crate::FilePart";
    /// Every call's error.
    SDK_ERROR = "crate::SdkError";
    /// A response with its status and headers.
    OUTCOME = "crate::Outcome";
}

/// The public items of `clerk-sdk` that a crate generated on its own re-exports at its root, in
/// the order its `lib.rs` lists them: what its users need, and the `crate::` paths above that
/// are not under `__private`.
pub(crate) const REEXPORTS: &[&str] = &[
    "drift",
    "error",
    "hooks",
    "pagination",
    "reqwest",
    "tls",
    "BackoffStrategy",
    "Deviation",
    "FilePart",
    "Nullable",
    "Outcome",
    "Redirect",
    "Response",
    "RetryConfig",
    "SdkError",
];

#[cfg(test)]
mod tests;
