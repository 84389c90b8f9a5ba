//! `mod.rs` of the generated code, which the crate's root re-exports whole
//! (`pub use generated::*`): the submodules, the runtime's public items, the API's constants,
//! the marker type that describes the API to the runtime, and the crate's client types.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inline;
use super::{client, doc_attrs, ident, page_path};
use crate::model::{Api, MachineTokenKind};
use crate::runtime::{
    API, API_DESCRIPTION, CLIENT_TYPES, FEATURE_REEXPORTS, MACHINE_VERIFIER, REEXPORTS, SDK_ERROR,
    SESSION_AUTHENTICATOR, runtime_crate,
};

/// `mod.rs`: the submodules, the re-exports, the constants taken from `info` and `servers`,
/// the API's description for the runtime, its client types and their credentials. `events`
/// says whether the crate has an `events` module.
pub(super) fn module_root(api: &Api, events: bool) -> TokenStream {
    let doc = doc_attrs(
        &format!(
            "Code generated from {} version `{}`, re-exported at the crate's root.",
            api.title, api.version
        ),
        true,
    );
    let version = &api.version;
    let server = api.default_server.as_ref().map(|server| {
        quote! {
            /// The first server listed in the spec, used when no server URL is configured.
            pub const DEFAULT_SERVER_URL: &str = #server;
        }
    });
    let modules = modules(events);
    let reexports = runtime_reexports();
    let description = api_description(api);
    let client_types = client_types(api);
    let credentials = client::credential_methods(api);
    let key_set = key_set(api);
    let markdown_doctests = api.resources.iter().map(|resource| {
        let item = quote::format_ident!("{}Markdown", resource.type_name);
        let path = format!("../../{}", page_path(resource));
        quote! {
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            struct #item;
        }
    });
    // Produces the module docs, the modules and re-exports, the constants, the API's
    // description, its client types and credentials, and one doctest item per Markdown page.
    quote! {
        #doc
        #modules
        #reexports

        /// The API version the code was generated from: the spec's `info.version`.
        pub const API_VERSION: &str = #version;

        #server
        #description
        #client_types
        #credentials
        #key_set

        // The examples of the Markdown docs, compiled as doctests so they cannot drift.
        #(#markdown_doctests)*
    }
}

/// The submodules: the models, the operations (whose resource handles are re-exported), the
/// testing kit, the blocking client and, when the crate has them, the webhook events, each
/// module behind its feature.
fn modules(events: bool) -> TokenStream {
    let events = events.then(|| {
        quote!(
            #[cfg(feature = "webhooks")]
            #[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
            pub mod events;
        )
    });
    // Produces the `mod` items and the operations' re-export.
    quote! {
        #[cfg(feature = "blocking")]
        #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
        pub mod blocking;
        #events
        pub mod models;
        pub mod operations;
        #[cfg(feature = "testing")]
        #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
        pub mod testing;

        pub use operations::*;
    }
}

/// The runtime's public items every crate re-exports, the whole runtime as `runtime`, and the
/// verifiers with their features.
fn runtime_reexports() -> TokenStream {
    let runtime = runtime_crate();
    let items = REEXPORTS.iter().map(|name| ident(name));
    let features = FEATURE_REEXPORTS.iter().map(|name| {
        let module = ident(name);
        quote! {
            #[cfg(feature = #name)]
            #[cfg_attr(docsrs, doc(cfg(feature = #name)))]
            pub use #runtime::#module;
        }
    });
    // Produces the `pub use` items.
    quote! {
        pub use #runtime::{#(#items),*};
        #(#features)*
        /// The runtime this crate is generated over (`clerk-sdk-runtime`): the client, call and
        /// mock types generic over the API they talk to, for code that works with several APIs.
        /// This crate's [`Clerk`], [`ClerkBuilder`] and [`Call`] wrap them.
        pub use #runtime as runtime;
    }
}

/// The marker type and its `Api` implementation: the error body type, the servers, the
/// version header and the security schemes.
fn api_description(api: &Api) -> TokenStream {
    let marker = ident(&api.marker);
    let marker_doc = format!(
        " {} (version `{}`), as the runtime knows it: the type parameter of the runtime's client, builder and calls.",
        api.title, api.version
    );
    let error_body = client::error_body_tokens(api);
    let title = &api.title;
    let default_server = match &api.default_server {
        Some(_) => quote!(Some(DEFAULT_SERVER_URL)),
        None => quote!(None),
    };
    let template = &api.server_template;
    let version_header = match &api.version_header {
        Some(_) => quote!(Some(API_VERSION)),
        None => quote!(None),
    };
    let schemes = api.schemes.iter().map(client::scheme_tokens);
    let required = api
        .required_schemes
        .iter()
        .map(|index| proc_macro2::Literal::usize_unsuffixed(*index));
    // Produces the uninhabited marker type and its `Api` implementation.
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug)]
        pub enum #marker {}

        impl #API for #marker {
            type ErrorBody = #error_body;
            const DESCRIPTION: &'static #API_DESCRIPTION = &#API_DESCRIPTION {
                title: #title,
                package: ::core::concat!(::core::env!("CARGO_PKG_NAME"), "/", ::core::env!("CARGO_PKG_VERSION")),
                default_server_url: #default_server,
                server_template: #template,
                version_header: #version_header,
                schemes: &[#(#schemes),*],
                required: &[#(#required),*],
            };
        }
    }
}

/// `Error`, and `Clerk`, `ClerkBuilder` and `Call` from the runtime's `client_types!`.
fn client_types(api: &Api) -> TokenStream {
    let marker = ident(&api.marker);
    let error_body = client::error_body_tokens(api);
    let error_doc = format!(
        " The error of every call to {}, and of building its client; see [`SdkError`](crate::SdkError).",
        inline(&api.title)
    );
    let title = inline(&api.title);
    // Produces the error alias and the client types, through the runtime's macro.
    quote! {
        #[doc = #error_doc]
        pub type Error = #SDK_ERROR<#error_body>;

        #CLIENT_TYPES!(#marker, Error, #title);
    }
}

/// `Clerk::authenticator`, where the spec has the operation that answers the instance's key
/// set, and `VerifyMachineToken` for `Clerk` where it has machine-token verify operations
/// (which the authenticator then uses), behind the `auth` feature.
fn key_set(api: &Api) -> Option<TokenStream> {
    let key_set = api.key_set.as_ref()?;
    let (accessor, method) = (ident(&key_set.accessor), ident(&key_set.method));
    let verifiers = machine_verifier(api);
    let machine_tokens = verifiers.is_some().then(|| quote!(, machine_tokens));
    // Produces `FetchJwks` for `Clerk` and `Clerk::authenticator`, and `VerifyMachineToken`,
    // through the runtime's macros.
    Some(quote! {
        #verifiers
        #[cfg(feature = "auth")]
        #SESSION_AUTHENTICATOR!(#accessor, #method #machine_tokens);
    })
}

/// `VerifyMachineToken` for `Clerk`: each kind's verify call, its body holding the token.
fn machine_verifier(api: &Api) -> Option<TokenStream> {
    if api.machine_verifiers.is_empty() {
        return None;
    }
    let arms = api.machine_verifiers.iter().map(|verifier| {
        let kind = machine_kind(verifier.kind);
        let (accessor, method, body) = (
            ident(&verifier.accessor),
            ident(&verifier.method),
            ident(&verifier.body),
        );
        let body = match &verifier.token_field.setter {
            None => quote!(models::#body::new(token)),
            Some(setter) => {
                let setter = ident(setter);
                quote!(models::#body::new().#setter(token))
            }
        };
        // Produces `ApiKey => |clerk, token| clerk.api_keys().verify_api_key(Body::new(token))`.
        quote!(#kind => |clerk, token| clerk.#accessor().#method(#body))
    });
    // Produces the implementation, through the runtime's macro.
    Some(quote! {
        #[cfg(feature = "auth")]
        #MACHINE_VERIFIER!(#(#arms),*);
    })
}

/// The runtime's `TokenKind` variant of a machine token's kind.
pub(crate) fn machine_kind(kind: MachineTokenKind) -> TokenStream {
    match kind {
        MachineTokenKind::ApiKey => quote!(ApiKey),
        MachineTokenKind::M2mToken => quote!(M2mToken),
        MachineTokenKind::OAuthToken => quote!(OAuthToken),
    }
}
