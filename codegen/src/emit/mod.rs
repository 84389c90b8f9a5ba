//! Emission: the resolved model to formatted Rust source.

mod docs;
mod examples;
mod markdown;
mod models;
mod operations;
mod standalone;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, TypeRef};
use crate::{Config, Error, GeneratedFile, header};

pub(crate) use docs::doc_attrs;

/// Where generated Rust goes, relative to the crate.
const RUST_DIR: &str = "src/generated";
/// Where generated Markdown goes, relative to the crate.
const DOCS_DIR: &str = "docs";

/// Emits every generated file of the SDK, with paths relative to the crate's folder.
pub(crate) fn emit(api: &Api, config: &Config) -> Result<Vec<GeneratedFile>, Error> {
    let lib = config.lib_name();
    let in_sdk = config.standalone.is_none();
    let mut rust = vec![
        ("mod.rs", module_root(api, in_sdk)),
        ("models.rs", models::emit(api)),
        ("operations.rs", operations::emit(api, &lib)),
    ];
    if in_sdk {
        rust.push(("blocking.rs", operations::emit_blocking(api)));
    }
    let mut files = rust
        .into_iter()
        .map(|(name, tokens)| format_file(&format!("{RUST_DIR}/{name}"), tokens, config))
        .collect::<Result<Vec<_>, Error>>()?;
    let pages = api
        .resources
        .iter()
        .map(|resource| {
            (
                format!("{}.md", resource.accessor),
                markdown::resource_page(api, &lib, resource),
            )
        })
        .chain(std::iter::once(("models.md".to_owned(), markdown::models_page(api))));
    files.extend(pages.map(|(name, page)| GeneratedFile {
        path: format!("{DOCS_DIR}/{name}"),
        contents: format!("{}{page}", markdown::header(&config.spec_label)),
    }));
    if let Some(standalone) = &config.standalone {
        files.push(format_file("src/lib.rs", standalone::lib_rs(api), config)?);
        files.push(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: standalone::cargo_toml(api, standalone, &config.spec_label),
        });
    }
    Ok(files)
}

/// `mod.rs`: the submodules and the constants taken from `info` and `servers`.
fn module_root(api: &Api, in_sdk: bool) -> TokenStream {
    let doc = doc_attrs(
        &format!(
            "Code generated from {} version `{}`.\n\nThe models are re-exported as `clerk_sdk::models`; the operations hang off [`Clerk`](crate::Clerk).",
            api.title, api.version
        ),
        true,
    );
    let version = &api.version;
    let server = api.default_server.as_deref().unwrap_or("");
    let error_type = ident(&api.error_type);
    // The blocking client and the error body alias exist only inside `clerk-sdk`.
    let blocking = in_sdk.then(|| {
        quote!(
            #[cfg(feature = "blocking")]
            pub mod blocking;
        )
    });
    let error_body = in_sdk.then(|| {
        quote! {
            /// The body of the error responses the spec lists, as the runtime's error type knows it.
            pub(crate) type ErrorBody = models::#error_type;
        }
    });
    let markdown_doctests = api.resources.iter().map(|resource| {
        let item = quote::format_ident!("{}Markdown", resource.type_name);
        let path = format!("../../{DOCS_DIR}/{}.md", resource.accessor);
        quote! {
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            struct #item;
        }
    });
    // Produces the module docs, `pub mod` items, two constants, the error body alias and one
    // doctest item per Markdown page.
    quote! {
        #doc
        #blocking
        pub mod models;
        pub mod operations;

        /// The API version the SDK was generated from, sent as the `Clerk-API-Version` header.
        pub const API_VERSION: &str = #version;

        /// The first server listed in the spec, used when no server URL is configured.
        pub const DEFAULT_SERVER_URL: &str = #server;

        #error_body

        // The examples of the Markdown docs, compiled as doctests so they cannot drift.
        #(#markdown_doctests)*
    }
}

/// Formats tokens with prettyplease and prepends the `@generated` header.
fn format_file(path: &str, tokens: TokenStream, config: &Config) -> Result<GeneratedFile, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    let contents = format!("{}{}", header(&config.spec_label), prettyplease::unparse(&file));
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
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
        TypeRef::JsonMap => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(value) => {
            let value = qualified_type_tokens(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
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
