//! The runtime as generated code names it: every path into the `clerk-sdk-runtime` crate that
//! the emitters write, and what every generated crate re-exports from it, in one table.
//!
//! Generated code names what it calls through `::clerk_sdk_runtime::__private`, the runtime's
//! documented, semver-exempt surface, and the runtime's public types through the crate's own
//! re-exports of them (`crate::Nullable`, listed in [`REEXPORTS`]), so that its signatures and
//! docs show the crate's names. The tests below hold each path against what
//! `clerk-sdk/runtime/src/lib.rs` exports, and check that no emitter writes such a path of its
//! own.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// The runtime's library name, as generated code names it.
pub(crate) const RUNTIME_CRATE: &str = "clerk_sdk_runtime";

/// The runtime's package name, as a generated `Cargo.toml` names it.
pub(crate) const RUNTIME_PACKAGE: &str = "clerk-sdk-runtime";

/// The runtime's crate, as `::clerk_sdk_runtime`.
pub(crate) fn runtime_crate() -> TokenStream {
    let mut tokens = TokenStream::new();
    append_path(&mut tokens, &format!("::{RUNTIME_CRATE}"));
    tokens
}

/// A path generated code names in the runtime, such as `::clerk_sdk_runtime::__private::Api`,
/// or a runtime type the crate re-exports, such as `crate::Nullable`.
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

    /// The module the item is in, such as `::clerk_sdk_runtime::__private::testing`.
    fn module(self) -> &'static str {
        self.0.rsplit_once("::").map_or("", |(module, _)| module)
    }
}

impl ToTokens for RuntimePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        append_path(tokens, self.0);
    }
}

/// Appends `a::b::c` (or `::a::b`) to `tokens`.
fn append_path(tokens: &mut TokenStream, path: &str) {
    for (index, segment) in path.split("::").enumerate() {
        if index > 0 {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
        }
        if !segment.is_empty() {
            tokens.append(Ident::new(segment, Span::call_site()));
        }
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
    /// The trait a marker type implements to describe its API.
    API = "::clerk_sdk_runtime::__private::Api";
    /// What the marker's `Api` implementation describes.
    API_DESCRIPTION = "::clerk_sdk_runtime::__private::ApiDescription";
    /// Where an API key goes.
    KEY_LOCATION = "::clerk_sdk_runtime::__private::KeyLocation";
    /// How a credential is sent.
    SCHEME_KIND = "::clerk_sdk_runtime::__private::SchemeKind";
    /// A security scheme of the API's description.
    SECURITY_SCHEME = "::clerk_sdk_runtime::__private::SecurityScheme";
    /// A credential given to the builder.
    CREDENTIAL = "::clerk_sdk_runtime::__private::Credential";
    /// The secret a credential holds.
    SECRET_STRING = "::clerk_sdk_runtime::__private::SecretString";
    /// An operation's descriptor.
    OPERATION = "::clerk_sdk_runtime::__private::Operation";
    /// The HTTP method of a descriptor.
    METHOD = "::clerk_sdk_runtime::__private::Method";
    /// Which failures of an operation may be retried.
    RETRY_CLASS = "::clerk_sdk_runtime::__private::RetryClass";
    /// How a query parameter or form field is sent.
    STYLE = "::clerk_sdk_runtime::__private::Style";
    /// How a list operation pages.
    PAGING = "::clerk_sdk_runtime::__private::Paging";
    /// How a list's next page is asked for.
    PAGE_BY = "::clerk_sdk_runtime::__private::PageBy";
    /// Where a cursor list finds its next cursor.
    CURSOR_FROM = "::clerk_sdk_runtime::__private::CursorFrom";
    /// What a cursor list's API accepts with its cursor.
    CURSOR_RULES = "::clerk_sdk_runtime::__private::CursorRules";
    /// Takes a list response apart.
    INTO_PAGE = "::clerk_sdk_runtime::__private::IntoPage";
    /// A list response taken apart.
    PAGE_PARTS = "::clerk_sdk_runtime::__private::PageParts";
    /// A model's schema, for the lenient decoder.
    MODELED = "::clerk_sdk_runtime::__private::Modeled";
    /// The schema a model describes.
    SCHEMA = "::clerk_sdk_runtime::__private::Schema";
    /// The JSON an untagged variant is tried for.
    SHAPE = "::clerk_sdk_runtime::__private::Shape";
    /// A tagged union's schema.
    TAGGED_UNION = "::clerk_sdk_runtime::__private::TaggedUnion";
    /// An untagged union's schema.
    UNTAGGED_UNION = "::clerk_sdk_runtime::__private::UntaggedUnion";
    /// One alternative of an untagged union's schema.
    ALTERNATIVE = "::clerk_sdk_runtime::__private::Alternative";
    /// Defines a struct's schema from its fields.
    MODELED_STRUCT = "::clerk_sdk_runtime::__private::modeled_struct";
    /// Refuses `null` for an optional field that is not nullable.
    NON_NULL = "::clerk_sdk_runtime::__private::non_null";
    /// Reads a required nullable field.
    REQUIRED_NULLABLE = "::clerk_sdk_runtime::__private::required_nullable";
    /// Implements an open enum.
    IMPL_OPEN_ENUM = "::clerk_sdk_runtime::__private::impl_open_enum";
    /// Reads a tagged union's tag.
    TAGGED = "::clerk_sdk_runtime::__private::Tagged";
    /// Writes a tagged union's variant with its tag.
    SERIALIZE_TAGGED = "::clerk_sdk_runtime::__private::serialize_tagged";
    /// Decodes one untagged variant.
    TRY_DECODE = "::clerk_sdk_runtime::__private::try_decode";
    /// Chooses an untagged union's variant.
    DECODE_UNTAGGED = "::clerk_sdk_runtime::__private::decode_untagged";
    /// A multipart body's parts.
    MULTIPART_BODY = "::clerk_sdk_runtime::__private::MultipartBody";
    /// One multipart part.
    PART = "::clerk_sdk_runtime::__private::Part";
    /// A field's multipart parts.
    TO_PARTS = "::clerk_sdk_runtime::__private::ToParts";
    /// Writes an API's webhook events enum.
    WEBHOOK_EVENTS = "::clerk_sdk_runtime::__private::webhook_events";
    /// An event's fixture, from the spec's example.
    EVENT_FIXTURE = "::clerk_sdk_runtime::__private::event_fixture";
    /// A crate's `Clerk`, `ClerkBuilder` and `Call`.
    CLIENT_TYPES = "::clerk_sdk_runtime::__private::client_types";
    /// A crate's blocking `Clerk` and `Call`.
    BLOCKING_TYPES = "::clerk_sdk_runtime::__private::blocking_types";
    /// A crate's testing kit's `MockClerk` and `MockExpectation`.
    TESTING_TYPES = "::clerk_sdk_runtime::__private::testing_types";
    /// `Clerk::authenticator`, through the API's key-set operation.
    SESSION_AUTHENTICATOR = "::clerk_sdk_runtime::__private::session_authenticator";
    /// `VerifyMachineToken` for `Clerk`, through the API's verify operations.
    MACHINE_VERIFIER = "::clerk_sdk_runtime::__private::machine_verifier";
    /// `MockClerk::serves_machine_tokens`, through the API's verify operations.
    SERVES_MACHINE_TOKENS = "::clerk_sdk_runtime::__private::testing::serves_machine_tokens";
    /// `MockClerk::serves_session_keys`, through the API's key-set operation.
    SERVES_SESSION_KEYS = "::clerk_sdk_runtime::__private::testing::serves_session_keys";
    /// Defines an operation's marker type for the mock.
    MOCK_OPERATION = "::clerk_sdk_runtime::__private::testing::mock_operation";
    /// Visits every operation's marker.
    OPERATION_VISITOR = "::clerk_sdk_runtime::__private::testing::OperationVisitor";
    /// What the mock received.
    RECEIVED = "::clerk_sdk_runtime::__private::testing::Received";
    /// One request in the mock's log.
    LOGGED_REQUEST = "::clerk_sdk_runtime::__private::testing::LoggedRequest";
    /// What answered a request in the mock's log.
    ANSWERED_BY = "::clerk_sdk_runtime::__private::testing::AnsweredBy";
    /// The wiremock the kit is built on.
    WIREMOCK = "::clerk_sdk_runtime::__private::testing::wiremock";
    /// Decodes a fixture.
    FIXTURE = "::clerk_sdk_runtime::__private::testing::fixture";
    /// Checks that a fixture survives a round trip.
    ROUND_TRIP = "::clerk_sdk_runtime::__private::testing::round_trip";
    /// A JSON request body, read back.
    JSON_BODY = "::clerk_sdk_runtime::__private::testing::json_body";
    /// A form request body, read back.
    FORM_BODY = "::clerk_sdk_runtime::__private::testing::form_body";
    /// A request without a body.
    NO_BODY = "::clerk_sdk_runtime::__private::testing::no_body";
    /// A request body of bytes.
    RAW_BODY = "::clerk_sdk_runtime::__private::testing::raw_body";
    /// A response without a body.
    EMPTY_RESPONSE = "::clerk_sdk_runtime::__private::testing::empty_response";
    /// A text response.
    TEXT_RESPONSE = "::clerk_sdk_runtime::__private::testing::text_response";
    /// A response of bytes.
    BYTES_RESPONSE = "::clerk_sdk_runtime::__private::testing::bytes_response";
    /// A JSON response.
    JSON_RESPONSE = "::clerk_sdk_runtime::__private::testing::json_response";
    /// The three-state wrapper of optional nullable request fields.
    NULLABLE = "crate::Nullable";
    /// What a response's model keeps beside its fields.
    UNKNOWN_FIELDS = "crate::UnknownFields";
    /// A file in a multipart body.
    FILE_PART = "crate::FilePart";
    /// Every call's error.
    SDK_ERROR = "crate::SdkError";
    /// A response with its status and headers.
    OUTCOME = "crate::Outcome";
}

/// The public items of the runtime that every generated crate re-exports at its root, in the
/// order it lists them: what its users need, the `crate::` paths above, and what the docs the
/// runtime writes into every crate link to. The crate also re-exports the whole runtime as
/// `runtime`, and `webhooks` and `auth` with their features.
pub(crate) const REEXPORTS: &[&str] = &[
    "bulk",
    "drift",
    "error",
    "hooks",
    "limits",
    "pagination",
    "reqwest",
    "tls",
    "BackoffStrategy",
    "DEFAULT_MAX_RESPONSE_BODY",
    "DEFAULT_TIMEOUT",
    "Deviation",
    "FilePart",
    "Nullable",
    "Outcome",
    "Redirect",
    "Response",
    "RetryConfig",
    "SECRET_KEY_ENV",
    "SdkError",
    "UnknownFields",
];

/// The runtime's modules a generated crate re-exports with the feature of the same name.
pub(crate) const FEATURE_REEXPORTS: &[&str] = &["webhooks", "auth"];

#[cfg(test)]
mod tests;
