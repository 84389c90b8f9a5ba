//! Emission: the resolved model to formatted Rust source.

mod docs;
mod examples;
mod markdown;
mod models;
mod operations;
mod standalone;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, Resource, TypeRef};
use crate::{Config, Error, GeneratedFile, header};

pub(crate) use docs::doc_attrs;

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
    ];
    if in_sdk {
        files.push(rust("blocking.rs", operations::blocking_file(&api.resources))?);
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
    // The blocking client and the error body alias exist only inside `clerk-sdk`.
    let blocking = in_sdk.then(|| {
        quote!(
            #[cfg(feature = "blocking")]
            pub mod blocking;
        )
    });
    let error_body = api.error_type.as_deref().filter(|_| in_sdk).map(|error_type| {
        let error_type = ident(error_type);
        quote! {
            /// The body of the error responses the spec lists, as the runtime's error type knows it.
            pub(crate) type ErrorBody = models::#error_type;
        }
    });
    let markdown_doctests = api.resources.iter().map(|resource| {
        let item = quote::format_ident!("{}Markdown", resource.type_name);
        let path = format!("../../{}", page_path(resource));
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
