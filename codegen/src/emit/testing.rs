//! `testing.rs`: the typed mocks of the API's operations (the `testing` feature). Per
//! operation, a marker type that tells the runtime's mock its body and response types, and a
//! matcher per path parameter and for the query; per resource, a handle on the mock; and the
//! fixtures. How a mock answers, records and reports lives in the runtime
//! (`clerk_sdk_runtime::testing`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::operations::{output_type, styles_tokens};
use super::{fixtures, ident, model_type_tokens, pagination};
use crate::model::{Api, BodyEncoding, Operation, PageBy, Resource, TypeRef};
use crate::names::{Scope, avoiding, type_name};
use crate::runtime::{
    ANSWERED_BY, BYTES_RESPONSE, EMPTY_RESPONSE, FORM_BODY, JSON_BODY, JSON_RESPONSE, LOGGED_REQUEST, MOCK_OPERATION,
    NO_BODY, OPERATION_VISITOR, RAW_BODY, RECEIVED, RuntimePath, SERVES_MACHINE_TOKENS, SERVES_SESSION_KEYS,
    TESTING_TYPES, TEXT_RESPONSE, WIREMOCK, use_items,
};

/// The methods of an expectation, which a path parameter's matcher must not hide.
const EXPECTATION_METHODS: [&str; 15] = [
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
];

/// The methods of the runtime's mock, which a resource accessor must not hide.
const MOCK_METHODS: [&str; 16] = [
    "start",
    "serves_session_keys",
    "serves_machine_tokens",
    "rate_limit",
    "throttled",
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
pub(crate) fn file(api: &Api, events: bool) -> TokenStream {
    let marker = ident(&api.marker);
    let module_doc = module_doc(api);
    let types = mock_types(&marker);
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
    let extras = extras(api, events);
    let descriptors = api.resources.iter().flat_map(|r| &r.operations).flat_map(|op| {
        let paging = op.pagination.as_ref().map(|_| pagination::paging_ident(op));
        std::iter::once(ident(&op.const_name)).chain(paging)
    });
    let helpers = use_items(&helpers(api));
    let for_each = for_each_operation(&marker, operations.iter().map(|(name, _)| name.as_str()));
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
        #extras
    }
}

/// What the kit has beside the mocks: the fixtures, signed webhook deliveries where the crate
/// has events, and the session keys where its spec has a key set.
fn extras(api: &Api, events: bool) -> TokenStream {
    let fixtures = fixtures::module(api);
    let webhooks = webhooks_module(events);
    let session_keys = session_keys(api);
    quote!(#fixtures #webhooks #session_keys)
}

/// `webhooks`: signed deliveries of the crate's events, for testing a webhook handler, where
/// the crate has events (of its own spec, or of a webhooks spec beside it).
fn webhooks_module(events: bool) -> Option<TokenStream> {
    events.then(|| {
        quote! {
            /// Webhook deliveries for tests: [`sign_event`](webhooks::sign_event) signs an event
            /// (one of [`fixtures`](webhooks::fixtures), each event of the spec from its
            /// example) as Clerk would deliver it now, so a handler is tested end to end,
            /// signature check included.
            #[cfg(feature = "webhooks")]
            pub mod webhooks {
                pub use crate::events::fixtures;
                pub use crate::webhooks::{Signed, sign_event};
            }
        }
    })
}

/// `MockClerk::serves_session_keys`, where the spec has the operation that answers the
/// instance's key set, and `MockClerk::serves_machine_tokens` where it has machine-token
/// verify operations too, behind the `auth` feature.
fn session_keys(api: &Api) -> Option<TokenStream> {
    let key_set = api.key_set.as_ref()?;
    let (accessor, method) = (ident(&key_set.accessor), ident(&key_set.method));
    let machine_tokens = (!api.machine_verifiers.is_empty()).then(|| {
        let arms = api.machine_verifiers.iter().map(|verifier| {
            let kind = super::root::machine_kind(verifier.kind);
            let (accessor, method) = (ident(&verifier.accessor), ident(&verifier.method));
            let field = &verifier.token_field.wire_name;
            // Produces `ApiKey => (api_keys, verify_api_key, "secret")`.
            quote!(#kind => (#accessor, #method, #field))
        });
        // Produces the method, through the runtime's macro.
        quote! {
            #[cfg(feature = "auth")]
            #SERVES_MACHINE_TOKENS!(#(#arms),*);
        }
    });
    // Produces the methods, through the runtime's macros.
    Some(quote! {
        #[cfg(feature = "auth")]
        #SERVES_SESSION_KEYS!(#accessor, #method);
        #machine_tokens
    })
}

/// The module's docs: a map of the kit, each item linked, so a reader who starts here finds the
/// methods.
fn module_doc(api: &Api) -> Vec<String> {
    let first = api.resources.first().map_or("phone_numbers", |r| r.accessor.as_str());
    let mut lines = vec![
        format!(" Typed mocks of {} for testing the code that calls it, and fixtures built from its examples.", api.title),
        String::new(),
        " - **The mock.** [`MockClerk::start`] starts a server on loopback, in process. [`MockClerk::clerk`] (or [`MockClerk::builder`], to change something first) hands out a client pointed at it, with a test credential, retries that wait milliseconds and stop after a few attempts, and strict responses.".to_owned(),
        format!(" - **Expectations.** `mock.{first}()` and the other resource methods give one [`MockExpectation`] per operation. Narrow it with its path-parameter methods, `.query(..)`, [`body`](MockExpectation::body) or [`body_where`](MockExpectation::body_where). Answer with [`returns`](MockExpectation::returns), [`returns_with`](MockExpectation::returns_with) (computed from the request), [`pages`](MockExpectation::pages) (a list's pages, in order), [`serves_list`](MockExpectation::serves_list) (a whole list, each request its page), [`fails`](MockExpectation::fails) (the API's error body), [`status`](MockExpectation::status) or [`respond_with`](MockExpectation::respond_with) (any response, built with [`wiremock`]). Responses come in the order written: each once, or [`times`](MockExpectation::times)`(n)`, the last for good. [`never`](MockExpectation::never) forbids a request."),
        " - **What was sent.** [`received`](MockExpectation::received) reads an operation's requests back, typed; [`MockClerk::requests`] lists every request the mock received, in order, across operations.".to_owned(),
        " - **Failures.** A request no expectation answers (or one that said `never`) gets status 421 with the mock's report, never an answer the API could give, and a call of the mock's clients panics right there. [`MockClerk::verify`] (also run when the mock is dropped) and [`MockClerk::check`] fail on those, and on counted responses that were not asked for.".to_owned(),
        " - **Fixtures.** [`fixtures`] has a value of each model; each call returns a fresh one, to change as the test needs.".to_owned(),
        " - **Blocking code.** With the `blocking` feature as well, `MockClerk::start_blocking()` starts a mock without `.await` and `mock.blocking_clerk()` hands out a blocking client.".to_owned(),
        " - **Rate limits.** [`MockClerk::rate_limit`] answers 429 with `Retry-After` past a number of requests in any window, as the API does over an instance's limit, and [`MockClerk::throttled`] counts them; the mock's clients keep under it with their limiter.".to_owned(),
    ];
    if api.key_set.is_some() {
        lines.push(" - **Session tokens.** With the `auth` feature as well, `mock.serves_session_keys()` answers the key-set operation with the kit's test key, so `mock.clerk().authenticator(..)` verifies what `auth::testing::sign_session_token` signs (and the M2M and OAuth JWTs of `auth::testing::sign_m2m_token` and `sign_oauth_token`).".to_owned());
        if !api.machine_verifiers.is_empty() {
            lines.push(" - **Machine tokens.** With the `auth` feature as well, `mock.serves_machine_tokens(&tokens)` answers the verify operations for the API keys, M2M and OAuth tokens `auth::testing::MachineTokens` declares valid, revoked or expired, and any other token with a 404.".to_owned());
        }
    }
    lines
}

/// `MockClerk` and `MockExpectation`: local wrappers of the runtime's mock and expectation,
/// from the runtime's macro, so that generated code can add methods to them.
fn mock_types(marker: &Ident) -> TokenStream {
    quote!(#TESTING_TYPES!(#marker);)
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

    /// The names of the methods a runtime source file defines with `marker` before them (`pub
    /// fn`, or `fn` for a declared-once list).
    fn runtime_methods(file: &str, marker: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../clerk-sdk/runtime/src")
            .join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .filter_map(|line| line.trim_start().strip_prefix(marker))
            .filter_map(|rest| rest.split(['(', '<']).next())
            .map(str::to_owned)
            .collect()
    }

    /// A resource accessor or a path parameter's matcher must not take the name of a method the
    /// runtime gives `MockClerk` or `MockExpectation`: the lists of names to avoid are the
    /// runtime's methods.
    #[test]
    fn the_reserved_names_are_the_runtime_methods() {
        let mut mock = runtime_methods("wrappers/testing.rs", "pub fn ");
        mock.extend(runtime_methods("wrappers/testing.rs", "pub async fn "));
        mock.extend(
            runtime_methods("wrappers/auth.rs", "pub fn ")
                .into_iter()
                .filter(|m| m == "serves_session_keys" || m == "serves_machine_tokens"),
        );
        mock.retain(|method| method != "received");
        let mut expected: Vec<&str> = MOCK_METHODS.to_vec();
        expected.sort_unstable();
        mock.sort();
        assert_eq!(mock, expected, "MockClerk's methods");
        let mut expectation = runtime_methods("mock/methods.rs", "fn ");
        expectation.retain(|method| !method.starts_with("__"));
        // `received` is the wrapper's own; `query` is generated, per operation with a query.
        expectation.extend(["received".to_owned(), "query".to_owned()]);
        expectation.sort();
        let mut expected: Vec<&str> = EXPECTATION_METHODS.to_vec();
        expected.sort_unstable();
        assert_eq!(expectation, expected, "MockExpectation's methods");
    }
}
