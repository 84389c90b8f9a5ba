//! `testing.rs`: the typed mocks of the API's operations (the `testing` feature). Per
//! operation, a marker type that tells the runtime's mock its body and response types, and a
//! matcher per path parameter and for the query; per resource, a handle on the mock; and the
//! fixtures. How a mock answers, records and reports lives in the runtime (`clerk_sdk`'s
//! `runtime::testing`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::operations::{output_type, styles_tokens};
use super::{fixtures, ident, model_type_tokens, pagination};
use crate::model::{Api, BodyEncoding, Operation, PageBy, Resource, TypeRef};
use crate::names::{Scope, avoiding, type_name};
use crate::runtime::{
    ANSWERED_BY, BYTES_RESPONSE, EMPTY_RESPONSE, EXPECTATION, FORM_BODY, JSON_BODY, JSON_RESPONSE, LOGGED_REQUEST,
    MOCK, MOCK_OPERATION, NO_BODY, OPERATION_VISITOR, RAW_BODY, RECEIVED, RuntimePath, STANDALONE_TESTING,
    TEXT_RESPONSE, WIREMOCK, use_items,
};

/// The methods of an expectation, which a path parameter's matcher must not hide.
const EXPECTATION_METHODS: [&str; 16] = [
    "path_param",
    "query_styled",
    "query",
    "body",
    "body_where",
    "returns",
    "returns_with",
    "pages",
    "serves_list",
    "fails",
    "status",
    "respond_with",
    "times",
    "never",
    "received",
    "wrap",
];

/// The methods of the runtime's mock, which a resource accessor must not hide.
const MOCK_METHODS: [&str; 12] = [
    "start",
    "requests",
    "start_blocking",
    "uri",
    "builder",
    "clerk",
    "blocking_clerk",
    "expect",
    "server",
    "verify",
    "check",
    "reset",
];

/// The whole module.
pub(crate) fn file(api: &Api, in_sdk: bool) -> TokenStream {
    let marker = ident(&api.marker);
    let module_doc = module_doc(api, in_sdk);
    let types = mock_types(&marker, in_sdk);
    let mut names = Scope::with_reserved([
        "MockClerk",
        "MockExpectation",
        "fixtures",
        "Received",
        "LoggedRequest",
        "AnsweredBy",
        "wiremock",
    ]);
    let resources: Vec<&Resource> = api.resources.iter().collect();
    let handle_names: Vec<String> = resources
        .iter()
        .map(|r| names.claim(&format!("{}Mock", r.type_name)))
        .collect();
    let operations = resources.iter().flat_map(|r| &r.operations).map(|op| {
        let marker_name = names.claim(&type_name(&op.id));
        operation(api, op, &marker_name)
    });
    let operations: Vec<(String, TokenStream)> = operations.collect();
    let mut markers = operations.iter().map(|(name, _)| name.as_str());
    let handles = resources
        .iter()
        .zip(&handle_names)
        .map(|(resource, handle)| resource_handle(resource, handle, &mut markers));

    let handles: Vec<TokenStream> = handles.collect();
    let operation_tokens = operations.iter().map(|(_, tokens)| tokens);
    let fixtures = fixtures::module(api);
    let descriptors = api.resources.iter().flat_map(|r| &r.operations).flat_map(|op| {
        let paging = op.pagination.as_ref().map(|_| pagination::paging_ident(op));
        std::iter::once(ident(&op.const_name)).chain(paging)
    });
    let helpers = use_items(&helpers(api));
    let for_each = for_each_operation(&marker, operations.iter().map(|(name, _)| name.as_str()));
    let webhooks = webhooks_module(api, in_sdk);
    quote! {
        #(#![doc = #module_doc])*
        use super::models;
        use super::operations::{#(#descriptors),*};
        use super::#marker;
        #helpers

        #types
        pub use #RECEIVED;
        pub use #LOGGED_REQUEST;
        pub use #ANSWERED_BY;
        #[doc(no_inline)]
        pub use #WIREMOCK;

        #(#operation_tokens)*
        #(#handles)*
        #for_each
        #fixtures
        #webhooks
    }
}

/// `webhooks`: signed deliveries of the API's events, for testing a webhook handler, where the
/// crate has events (`clerk-sdk` always does, from Clerk's webhooks spec).
fn webhooks_module(api: &Api, in_sdk: bool) -> Option<TokenStream> {
    (in_sdk || !api.webhooks.is_empty()).then(|| {
        quote! {
            /// Webhook deliveries for tests: [`sign`](webhooks::sign) signs an event (one of
            /// [`fixtures`](webhooks::fixtures), each event of the spec from its example) as
            /// Clerk would deliver it now, so a handler is tested end to end, signature check
            /// included.
            #[cfg(feature = "webhooks")]
            pub mod webhooks {
                pub use crate::events::fixtures;
                pub use crate::webhooks::{Signed, sign_event as sign};
            }
        }
    })
}

/// The module's docs: a map of the kit, each item linked, so a reader who starts here finds the
/// methods the aliases' pages do not list.
fn module_doc(api: &Api, in_sdk: bool) -> Vec<String> {
    let first = api.resources.first().map_or("phone_numbers", |r| r.accessor.as_str());
    let mut lines = vec![
        format!(" Typed mocks of {} for testing the code that calls it, and fixtures built from its examples.", api.title),
        String::new(),
        " - **The mock.** [`MockClerk::start`] starts a server on loopback, in process. [`MockClerk::clerk`] (or [`MockClerk::builder`], to change something first) hands out a client pointed at it, with a test credential, retries that wait milliseconds and stop after a few attempts, and strict responses.".to_owned(),
        format!(" - **Expectations.** `mock.{first}()` and the other resource methods give one [`MockExpectation`] per operation. Narrow it with its path-parameter methods, `.query(..)`, [`body`](MockExpectation::body) or [`body_where`](MockExpectation::body_where). Answer with [`returns`](MockExpectation::returns), [`returns_with`](MockExpectation::returns_with) (computed from the request), [`pages`](MockExpectation::pages) (a list's pages, in order), [`serves_list`](MockExpectation::serves_list) (a whole list, each request its page), [`fails`](MockExpectation::fails) (the API's error body), [`status`](MockExpectation::status) or [`respond_with`](MockExpectation::respond_with) (any response, built with [`wiremock`]). Responses come in the order written: each once, or [`times`](MockExpectation::times)`(n)`, the last for good. [`never`](MockExpectation::never) forbids a request."),
        " - **What was sent.** [`received`](MockExpectation::received) reads an operation's requests back, typed; [`MockClerk::requests`] lists every request the mock received, in order, across operations.".to_owned(),
        " - **Failures.** A request no expectation answers (or one that said `never`) gets status 421 with the mock's report, never an answer the API could give, and a call of the mock's clients panics right there. [`MockClerk::verify`] (also run when the mock is dropped) and [`MockClerk::check`] fail on those, and on counted responses that were not asked for.".to_owned(),
        " - **Fixtures.** [`fixtures`] has a value of each model; each call returns a fresh one, to change as the test needs.".to_owned(),
    ];
    if in_sdk {
        lines.push(" - **Blocking code.** With the `blocking` feature as well, `MockClerk::start_blocking()` starts a mock without `.await` and `mock.blocking_clerk()` hands out a blocking client.".to_owned());
    }
    lines
}

/// `MockClerk` and `MockExpectation`. In clerk-sdk the runtime's types are this crate's, so
/// generated code adds methods to them through aliases; a crate of its own gets local wrappers
/// from the runtime's macro.
fn mock_types(marker: &Ident, in_sdk: bool) -> TokenStream {
    if in_sdk {
        quote! {
            /// A mock of the API on loopback. Its methods are [`runtime::testing::Mock`](crate::runtime::testing::Mock)'s:
            /// [`start`](crate::runtime::testing::Mock::start),
            /// [`clerk`](crate::runtime::testing::Mock::clerk),
            /// [`builder`](crate::runtime::testing::Mock::builder),
            /// [`requests`](crate::runtime::testing::Mock::requests),
            /// [`verify`](crate::runtime::testing::Mock::verify),
            /// [`check`](crate::runtime::testing::Mock::check),
            /// [`reset`](crate::runtime::testing::Mock::reset),
            /// [`expect`](crate::runtime::testing::Mock::expect),
            /// [`uri`](crate::runtime::testing::Mock::uri),
            /// [`server`](crate::runtime::testing::Mock::server), and with the `blocking` feature
            /// `start_blocking` and `blocking_clerk`; and one per resource, listed below.
            pub type MockClerk = #MOCK<#marker>;
            /// An expectation of one operation. Its methods are [`runtime::testing::Expectation`](crate::runtime::testing::Expectation)'s:
            /// [`returns`](crate::runtime::testing::Expectation::returns),
            /// [`returns_with`](crate::runtime::testing::Expectation::returns_with),
            /// [`pages`](crate::runtime::testing::Expectation::pages),
            /// [`serves_list`](crate::runtime::testing::Expectation::serves_list),
            /// [`fails`](crate::runtime::testing::Expectation::fails),
            /// [`status`](crate::runtime::testing::Expectation::status),
            /// [`respond_with`](crate::runtime::testing::Expectation::respond_with),
            /// [`times`](crate::runtime::testing::Expectation::times),
            /// [`never`](crate::runtime::testing::Expectation::never),
            /// [`body`](crate::runtime::testing::Expectation::body),
            /// [`body_where`](crate::runtime::testing::Expectation::body_where) and
            /// [`received`](crate::runtime::testing::Expectation::received); and, per operation,
            /// a method per path parameter and `query` where it has one, listed below.
            pub type MockExpectation<'a, O> = #EXPECTATION<'a, O>;
        }
    } else {
        quote!(#STANDALONE_TESTING!(#marker, crate::Clerk, crate::ClerkBuilder);)
    }
}

/// `for_each_operation`, which hands a visitor every operation's marker type, in spec order.
fn for_each_operation<'a>(api_marker: &Ident, markers: impl ExactSizeIterator<Item = &'a str>) -> TokenStream {
    let doc = format!(
        " Calls `visitor` with the marker of each of the {} operations, in spec order: for tests that go over the whole API.",
        markers.len()
    );
    let markers = markers.map(ident);
    // Produces a function that calls `visit::<Marker>()` once per operation.
    quote! {
        #[doc = #doc]
        pub fn for_each_operation(visitor: &mut impl #OPERATION_VISITOR<Api = #api_marker>) {
            #(visitor.visit::<#markers>();)*
        }
    }
}

/// The marker type of one operation, and its matchers.
fn operation(api: &Api, operation: &Operation, marker_name: &str) -> (String, TokenStream) {
    let marker = ident(marker_name);
    let api_marker = ident(&api.marker);
    let descriptor = ident(&operation.const_name);
    let doc = format!(
        " `{} {}` (`{}`): the marker of its expectations.",
        operation.http_method, operation.path, operation.id
    );
    let (body, decode) = body_types(operation);
    let (response, encode, status) = response_types(operation);
    // The helpers are imported by name (see `helpers`).
    let (decode, encode, mock_operation) = (ident(decode.name()), ident(encode.name()), ident(MOCK_OPERATION.name()));
    let output = output_type(operation);
    let matchers = matchers(operation, &marker);
    let sdk_query = sdk_query(operation);
    let paging = operation.pagination.as_ref().map(|_| {
        let paging = pagination::paging_ident(operation);
        quote!(paging: #paging,)
    });
    let tokens = quote! {
        #mock_operation! {
            #[doc = #doc]
            #marker, #api_marker, #descriptor, #status,
            body: #body = #decode,
            response: #response = #encode,
            output: #output,
            #sdk_query
            #paging
        }
        #matchers
    };
    (marker_name.to_owned(), tokens)
}

/// The matchers of an operation's expectations: one per path parameter, and `query`.
fn matchers(operation: &Operation, marker: &Ident) -> Option<TokenStream> {
    let path_matchers: Vec<TokenStream> = operation
        .path_params
        .iter()
        .map(|param| {
            let method = ident(&avoiding(param.rust_name.clone(), &EXPECTATION_METHODS, "_param"));
            let wire = &param.wire_name;
            let doc = format!(" Matches requests whose `{wire}` is `value`.");
            quote! {
                #[doc = #doc]
                pub fn #method(self, value: impl ::core::fmt::Display) -> Self {
                    self.path_param(#wire, value)
                }
            }
        })
        .collect();
    let query_matcher = operation.query.as_ref().map(|query| {
        let query = ident(query);
        let styles = styles_tokens(&operation.query_styles);
        quote! {
            /// Matches requests whose query is what the SDK sends for `query`.
            pub fn query(self, query: models::#query) -> Self {
                self.query_styled(&query, #styles)
            }
        }
    });
    (!path_matchers.is_empty() || query_matcher.is_some()).then(|| {
        quote! {
            impl MockExpectation<'_, #marker> {
                #(#path_matchers)*
                #query_matcher
            }
        }
    })
}

/// `sdk_query: [..]`: the query parameters the SDK sets itself (the constants, and a list's
/// position and page size), which a query matcher leaves aside unless its query sets them.
fn sdk_query(operation: &Operation) -> TokenStream {
    let mut names: Vec<&str> = operation
        .query_constants
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    if let Some(pagination) = &operation.pagination {
        names.push(match &pagination.by {
            PageBy::Offset(param) | PageBy::Cursor { param, .. } => param,
        });
        names.extend(pagination.limit.as_deref());
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    quote!(sdk_query: [#(#names),*],)
}

/// The runtime's testing items the operations use: `mock_operation`, then each helper once,
/// sorted by name.
fn helpers(api: &Api) -> Vec<RuntimePath> {
    let operations = api.resources.iter().flat_map(|r| &r.operations);
    let used: std::collections::BTreeMap<&str, RuntimePath> = operations
        .flat_map(|op| [body_types(op).1, response_types(op).1])
        .map(|helper| (helper.name(), helper))
        .collect();
    std::iter::once(MOCK_OPERATION).chain(used.into_values()).collect()
}

/// The body type a test reads back, and the runtime function that decodes it.
fn body_types(operation: &Operation) -> (TokenStream, RuntimePath) {
    let Some(body) = &operation.body else {
        return (quote!(()), NO_BODY);
    };
    match body.encoding {
        BodyEncoding::Json => (model_type_tokens(&body.ty), JSON_BODY),
        BodyEncoding::Form => (
            quote!(::std::vec::Vec<(::std::string::String, ::std::string::String)>),
            FORM_BODY,
        ),
        BodyEncoding::Multipart | BodyEncoding::Bytes => (quote!(::std::vec::Vec<u8>), RAW_BODY),
    }
}

/// The success value `returns` takes, the runtime function that writes it, and the status it
/// answers with: 200, or 204 without content.
fn response_types(operation: &Operation) -> (TokenStream, RuntimePath, TokenStream) {
    match &operation.response {
        None => (quote!(()), EMPTY_RESPONSE, quote!(204)),
        Some(TypeRef::String) => (quote!(::std::string::String), TEXT_RESPONSE, quote!(200)),
        Some(TypeRef::Bytes) => (quote!(::std::vec::Vec<u8>), BYTES_RESPONSE, quote!(200)),
        Some(ty) => (model_type_tokens(ty), JSON_RESPONSE, quote!(200)),
    }
}

/// A resource's handle on the mock, with a method per operation that starts an expectation.
fn resource_handle<'a>(
    resource: &Resource,
    handle_name: &str,
    markers: &mut impl Iterator<Item = &'a str>,
) -> TokenStream {
    let handle = ident(handle_name);
    // A resource named like one of the mock's own methods gets a suffix rather than hiding it.
    let accessor = ident(&avoiding(resource.accessor.clone(), &MOCK_METHODS, "_resource"));
    let handle_doc = format!(" The mocks of the `{}` operations.", resource.accessor);
    let accessor_doc = format!(
        " Expectations of the `{}` operations, one method per operation.",
        resource.accessor
    );
    let methods = resource.operations.iter().zip(markers).map(|(op, marker)| {
        let method = ident(&op.method_name);
        let marker = ident(marker);
        let doc = format!(
            " A new expectation of `{} {}` (`{}`), the operation behind `clerk.{}().{}(..)`.",
            op.http_method,
            op.path,
            op.id,
            resource.accessor,
            crate::names::unraw(&op.method_name)
        );
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> MockExpectation<'a, #marker> {
                self.mock.expect::<#marker>()
            }
        }
    });
    quote! {
        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            mock: &'a MockClerk,
        }

        impl MockClerk {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { mock: self }
            }
        }

        impl<'a> #handle<'a> {
            #(#methods)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_or_parameter_named_like_a_mock_method_gets_a_suffix() {
        let resource = Resource {
            accessor: "clerk".to_owned(),
            type_name: "Clerk".to_owned(),
            doc: None,
            operations: Vec::new(),
        };
        let tokens = resource_handle(&resource, "ClerkMock", &mut std::iter::empty()).to_string();
        assert!(tokens.contains("pub fn clerk_resource"), "{tokens}");
        for name in MOCK_METHODS.iter().chain(&EXPECTATION_METHODS) {
            assert_eq!(
                avoiding((*name).to_owned(), &MOCK_METHODS, "_resource") == *name,
                !MOCK_METHODS.contains(name)
            );
        }
    }

    /// The aliases' pages show only what generated code adds, so their docs must lead to every
    /// method the runtime gives them.
    #[test]
    fn the_aliases_name_every_runtime_method() {
        let docs = mock_types(&ident("Api"), true).to_string();
        let generated = ["path_param", "query_styled", "query", "wrap"];
        let methods = MOCK_METHODS.iter().chain(EXPECTATION_METHODS.iter());
        for method in methods.filter(|m| !generated.contains(m)) {
            assert!(docs.contains(&format!("`{method}`")), "{method} is not named");
        }
    }
}
