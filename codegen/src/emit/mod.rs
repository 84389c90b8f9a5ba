//! Emission: the resolved model to formatted Rust source.

mod docs;
mod examples;
mod markdown;
mod models;
mod operations;
mod standalone;

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, Resource, TypeRef};
use crate::{Config, Error, GeneratedFile, header};

pub(crate) use docs::doc_attrs;

/// Where generated Rust goes, relative to the crate.
const RUST_DIR: &str = "src/generated";
/// Where generated Markdown goes, relative to the crate.
const DOCS_DIR: &str = "docs";
/// How many types of `models.rs` are formatted together. Small enough that the pieces of a
/// large spec spread evenly over the workers, large enough that each is worth a task.
const TYPES_PER_PIECE: usize = 40;
/// How many resources of `operations.rs` (and `blocking.rs`) are formatted together.
const RESOURCES_PER_PIECE: usize = 4;

/// A piece of a generated file, produced by a worker: its text, without the file's header.
///
/// Rust pieces are built as tokens and formatted on the worker itself: `proc_macro2` tokens
/// cannot cross threads, and a file formatted in pieces reads exactly as the file formatted
/// whole, because prettyplease lays out each top-level item on its own.
type Piece<'a> = Box<dyn Fn() -> Result<String, Error> + Sync + 'a>;

/// A file to generate: its path, its header and the pieces of its body, in order.
struct Planned<'a> {
    path: String,
    header: String,
    pieces: Vec<Piece<'a>>,
}

impl<'a> Planned<'a> {
    /// A Rust file whose pieces are built by `builds`, each a set of top-level items (the first
    /// also carries the module's inner attributes).
    fn rust<B>(path: String, config: &Config, builds: impl IntoIterator<Item = B>) -> Self
    where
        B: Fn() -> TokenStream + Sync + 'a,
    {
        let pieces = builds
            .into_iter()
            .map(|build| {
                let path = path.clone();
                Box::new(move || format_tokens(&path, build())) as Piece<'a>
            })
            .collect();
        Planned {
            header: header(&config.spec_label),
            path,
            pieces,
        }
    }

    /// A Markdown page.
    fn markdown(path: String, config: &Config, build: impl Fn() -> String + Sync + 'a) -> Self {
        Planned {
            path,
            header: markdown::header(&config.spec_label),
            pieces: vec![Box::new(move || Ok(build()))],
        }
    }
}

/// Emits every generated file of the SDK, with paths relative to the crate's folder.
pub(crate) fn emit(api: &Api, config: &Config) -> Result<Vec<GeneratedFile>, Error> {
    let lib = config.lib_name();
    let lib = lib.as_str();
    let in_sdk = config.standalone.is_none();
    let rust_path = |name: &str| format!("{RUST_DIR}/{name}");
    type Build<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

    let mut plan = vec![Planned::rust(
        rust_path("mod.rs"),
        config,
        [move || module_root(api, in_sdk)],
    )];
    let models = std::iter::once(Box::new(models::head) as Build<'_>).chain(
        api.types
            .chunks(TYPES_PER_PIECE)
            .map(|types| Box::new(move || models::items(types)) as Build<'_>),
    );
    plan.push(Planned::rust(rust_path("models.rs"), config, models));
    let operations = std::iter::once(Box::new(move || operations::head(api)) as Build<'_>).chain(
        api.resources
            .chunks(RESOURCES_PER_PIECE)
            .map(|resources| Box::new(move || operations::items(api, lib, resources)) as Build<'_>),
    );
    plan.push(Planned::rust(rust_path("operations.rs"), config, operations));
    if in_sdk {
        let blocking = std::iter::once(Box::new(operations::blocking_head) as Build<'_>).chain(
            api.resources
                .chunks(RESOURCES_PER_PIECE)
                .map(|resources| Box::new(move || operations::blocking_items(resources)) as Build<'_>),
        );
        plan.push(Planned::rust(rust_path("blocking.rs"), config, blocking));
    }
    for resource in &api.resources {
        plan.push(Planned::markdown(page_path(resource), config, move || {
            markdown::resource_page(api, lib, resource)
        }));
    }
    plan.push(Planned::markdown(format!("{DOCS_DIR}/models.md"), config, || {
        markdown::models_page(api)
    }));
    if config.standalone.is_some() {
        plan.push(Planned::rust(
            "src/lib.rs".to_owned(),
            config,
            [|| standalone::lib_rs(api)],
        ));
    }

    let pieces: Vec<&Piece<'_>> = plan.iter().flat_map(|file| &file.pieces).collect();
    let workers = config
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let mut texts = run_pieces(&pieces, workers).into_iter();
    let mut files = Vec::with_capacity(plan.len() + 1);
    for file in &plan {
        let mut contents = file.header.clone();
        for text in texts.by_ref().take(file.pieces.len()) {
            contents.push_str(&text?);
        }
        files.push(GeneratedFile {
            path: file.path.clone(),
            contents,
        });
    }
    if let Some(standalone) = &config.standalone {
        files.push(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: standalone::cargo_toml(api, standalone, &config.spec_label),
        });
    }
    Ok(files)
}

/// Runs the pieces on up to `workers` threads (this one included) and returns their results in
/// order. The order, and so the output, does not depend on how many workers there are.
fn run_pieces(pieces: &[&Piece<'_>], workers: usize) -> Vec<Result<String, Error>> {
    let workers = workers.min(pieces.len());
    if workers <= 1 {
        return pieces.iter().map(|piece| piece()).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else { break };
            done.push((index, piece()));
        }
        done
    };
    let mut results: Vec<Option<Result<String, Error>>> = (0..pieces.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        // This thread works too, then collects the helpers' results. A helper that panicked
        // re-raises its panic here, as the same code would without threads.
        let mine = work();
        let theirs = helpers.into_iter().flat_map(|helper| match helper.join() {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        });
        for (index, result) in mine.into_iter().chain(theirs.collect::<Vec<_>>()) {
            results[index] = Some(result);
        }
    });
    results
        .into_iter()
        .map(|result| {
            result.unwrap_or_else(|| {
                Err(Error::Internal {
                    file: String::new(),
                    message: "a piece of the output was not generated".to_owned(),
                })
            })
        })
        .collect()
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

/// Formats a piece of a Rust file with prettyplease.
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
