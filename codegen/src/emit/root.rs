//! `mod.rs` of the generated code: the submodules, the API's constants, the marker type that
//! describes the API to the runtime, and the aliases of the runtime's types for it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{client, doc_attrs, ident, page_path};
use crate::model::Api;
use crate::runtime::{API, API_DESCRIPTION, CALL, CLIENT, CLIENT_BUILDER, SDK_ERROR};

/// `mod.rs`: the submodules, the constants taken from `info` and `servers`, the API's
/// description for the runtime, and (in `clerk-sdk`) the names of the runtime's types for it.
pub(super) fn module_root(api: &Api, in_sdk: bool) -> TokenStream {
    let doc = doc_attrs(
        &format!(
            "Code generated from {} version `{}`.\n\nThe models are re-exported as `models`; the operations hang off [`Clerk`](crate::Clerk).",
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
    let feature_modules = feature_modules(api, in_sdk);
    let aliases = api_aliases(api, in_sdk);
    let description = api_description(api);
    let credentials = client::credential_methods(api);
    let markdown_doctests = api.resources.iter().map(|resource| {
        let item = quote::format_ident!("{}Markdown", resource.type_name);
        let path = format!("../../{}", page_path(resource));
        quote! {
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            struct #item;
        }
    });
    // Produces the module docs, `pub mod` items, the constants, the API's description, its
    // credentials and one doctest item per Markdown page.
    quote! {
        #doc
        #feature_modules
        pub mod models;
        pub mod operations;
        #[cfg(feature = "testing")]
        pub mod testing;

        /// The API version the code was generated from: the spec's `info.version`.
        pub const API_VERSION: &str = #version;

        #server
        #description
        #aliases
        #credentials

        // The examples of the Markdown docs, compiled as doctests so they cannot drift.
        #(#markdown_doctests)*
    }
}

/// The modules behind a feature: the blocking client, which exists only inside `clerk-sdk`, and
/// the webhook events, behind the feature that brings their verification.
fn feature_modules(api: &Api, in_sdk: bool) -> TokenStream {
    let blocking = in_sdk.then(|| {
        quote!(
            #[cfg(feature = "blocking")]
            pub mod blocking;
        )
    });
    let events = (!api.webhooks.is_empty()).then(|| {
        quote!(
            #[cfg(feature = "webhooks")]
            pub mod events;
        )
    });
    quote!(#blocking #events)
}

/// The marker type and its `Api` implementation: the error body type, the servers, the
/// version header and the security schemes.
fn api_description(api: &Api) -> TokenStream {
    let marker = ident(&api.marker);
    let marker_doc = format!(
        " {} (version `{}`), as the runtime knows it: the type parameter of the client, its builder and its calls.",
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
                default_server_url: #default_server,
                server_template: #template,
                version_header: #version_header,
                schemes: &[#(#schemes),*],
                required: &[#(#required),*],
            };
        }
    }
}

/// `Error`, and in `clerk-sdk` `Clerk`, `ClerkBuilder` and `Call`: the runtime's generic types
/// for this API. A crate of its own wraps the client, builder and call instead (in `lib.rs`),
/// since it cannot add methods to another crate's types.
fn api_aliases(api: &Api, in_sdk: bool) -> TokenStream {
    let marker = ident(&api.marker);
    let error_body = client::error_body_tokens(api);
    let client = in_sdk.then(|| {
        quote! {
            /// A client for the API. Cheap to clone: clones share one connection pool.
            pub type Clerk = #CLIENT<#marker>;
            /// Configures and builds a [`Clerk`].
            pub type ClerkBuilder = #CLIENT_BUILDER<#marker>;
            /// A prepared request to one operation; nothing is sent until it is awaited. `P`
            /// marks an operation with optional header or cookie parameters.
            pub type Call<T, P = ()> = #CALL<#marker, T, P>;
        }
    });
    let error_doc = format!(
        " The error of every call to {}, and of building its client; see [`SdkError`](crate::SdkError).",
        api.title
    );
    // Produces the type aliases.
    quote! {
        #client
        #[doc = #error_doc]
        pub type Error = #SDK_ERROR<#error_body>;
    }
}
