//! Emission: the resolved model to formatted Rust source.

mod blocking;
mod client;
mod docs;
mod examples;
mod fixtures;
mod markdown;
mod models;
mod operation_docs;
mod operations;
mod schemas;
mod standalone;
mod testing;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, Resource, TypeRef};
use crate::{Config, Error, GeneratedFile, header};

pub(crate) use docs::doc_attrs;
/// A type as Rust code reads it, such as `Vec<String>`, for reports.
pub(crate) use markdown::plain_type as type_text;

/// Where generated Rust goes, relative to the crate.
const RUST_DIR: &str = "src/generated";
/// Where generated Markdown goes, relative to the crate.
const DOCS_DIR: &str = "docs";

/// Emits every generated file of the SDK, with paths relative to the crate's folder.
///
/// One file after another on this thread: the whole spec takes well under a second, once per
/// spec release, so building files in parallel would save nobody a noticeable wait.
pub(crate) fn emit(api: &Api, config: &Config) -> Result<Vec<GeneratedFile>, Error> {
    let lib = config.lib_name();
    let lib = lib.as_str();
    let in_sdk = config.standalone.is_none();
    let rust = |name: &str, tokens: TokenStream| -> Result<GeneratedFile, Error> {
        let path = format!("{RUST_DIR}/{name}");
        let contents = header(&config.spec_label) + &format_tokens(&path, tokens)?;
        Ok(GeneratedFile { path, contents })
    };
    let markdown = |path: String, page: String| GeneratedFile {
        path,
        contents: markdown::header(&config.spec_label) + &page,
    };

    let mut files = vec![
        rust("mod.rs", module_root(api, in_sdk))?,
        rust("models.rs", models::file(&api.types))?,
        rust("operations.rs", operations::file(api, lib))?,
        rust("testing.rs", testing::file(api, in_sdk))?,
    ];
    if in_sdk {
        files.push(rust("blocking.rs", blocking::file(api))?);
    }
    for resource in &api.resources {
        files.push(markdown(
            page_path(resource),
            markdown::resource_page(api, lib, resource),
        ));
    }
    files.push(markdown(format!("{DOCS_DIR}/models.md"), markdown::models_page(api)));
    if let Some(standalone) = &config.standalone {
        let lib_rs = header(&config.spec_label) + &format_tokens("src/lib.rs", standalone::lib_rs(api))?;
        files.push(GeneratedFile {
            path: "src/lib.rs".to_owned(),
            contents: lib_rs,
        });
        files.push(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: standalone::cargo_toml(api, standalone, &config.spec_label),
        });
    }
    Ok(files)
}

/// `mod.rs`: the submodules, the constants taken from `info` and `servers`, the API's
/// description for the runtime, and (in `clerk-sdk`) the names of the runtime's types for it.
fn module_root(api: &Api, in_sdk: bool) -> TokenStream {
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
    // The blocking client exists only inside `clerk-sdk`.
    let blocking = in_sdk.then(|| {
        quote!(
            #[cfg(feature = "blocking")]
            pub mod blocking;
        )
    });
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
        #blocking
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

        impl crate::__private::Api for #marker {
            type ErrorBody = #error_body;
            const DESCRIPTION: &'static crate::__private::ApiDescription = &crate::__private::ApiDescription {
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
            pub type Clerk = crate::__private::Client<#marker>;
            /// Configures and builds a [`Clerk`].
            pub type ClerkBuilder = crate::__private::ClientBuilder<#marker>;
            /// A prepared request to one operation; nothing is sent until it is awaited. `P`
            /// marks an operation with optional header or cookie parameters.
            pub type Call<T, P = ()> = crate::__private::Call<#marker, T, P>;
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
        pub type Error = crate::SdkError<#error_body>;
    }
}

/// Where a resource's Markdown page goes: `docs/phone_numbers.md`. Named after the accessor
/// without any `r#`, which a file name must not carry.
fn page_path(resource: &Resource) -> String {
    format!("{DOCS_DIR}/{}.md", crate::names::unraw(&resource.accessor))
}

/// Formats a Rust file with prettyplease.
fn format_tokens(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// The Rust type for a [`TypeRef`], for code inside the models module, where generated types
/// are in scope by bare name.
pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    qualified_type_tokens(ty, &TokenStream::new())
}

/// The Rust type for a [`TypeRef`], with generated types behind `models` (such as
/// `models::PhoneNumber`), for modules whose own item names could clash with a model's.
pub(crate) fn model_type_tokens(ty: &TypeRef) -> TokenStream {
    qualified_type_tokens(ty, &quote!(models::))
}

fn qualified_type_tokens(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Binary => quote!(crate::FilePart),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::JsonMap => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(value) => {
            let value = qualified_type_tokens(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Boxed(inner) => {
            let inner = qualified_type_tokens(inner, models);
            quote!(Box<#inner>)
        }
        TypeRef::Vec(item) => {
            let item = qualified_type_tokens(item, models);
            quote!(Vec<#item>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
    }
}

/// An identifier from a name the model made valid; raw identifiers (`r#type`) are kept raw.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}
