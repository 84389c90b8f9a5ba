//! Emission: the resolved model to formatted Rust source.

mod blocking;
mod client;
mod docs;
mod events;
mod example_values;
mod examples;
mod fixtures;
mod markdown;
mod models;
mod operation_docs;
mod operations;
pub(crate) mod package;
mod pagination;
mod root;
mod schemas;
mod testing;
mod tokens;

use proc_macro2::TokenStream;

use crate::model::{Api, Resource};
use crate::{Config, Error, GeneratedFile, header};

pub(crate) use docs::doc_attrs;
use tokens::format_tokens;
pub(crate) use tokens::{ident, model_type_tokens, type_tokens};

/// Where generated Rust goes, relative to the crate.
const RUST_DIR: &str = "src/generated";
/// Where generated Markdown goes, relative to the crate.
const DOCS_DIR: &str = "docs";

/// The events module of a crate whose events come from a webhooks spec of their own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventsModule<'a> {
    /// The webhooks spec, lowered.
    pub(crate) api: &'a Api,
    /// How its files' headers name it.
    pub(crate) spec_label: &'a str,
}

/// Emits every file of a crate, with paths relative to the crate's folder: the same modules for
/// every crate (`clerk-sdk` too), its Markdown reference, and with [`Config::manifest`] its
/// `Cargo.toml` and `src/lib.rs`.
///
/// One file after another on this thread: the whole spec takes well under a second, once per
/// spec release, so building files in parallel would save nobody a noticeable wait.
pub(crate) fn emit(api: &Api, events: Option<EventsModule<'_>>, config: &Config) -> Result<Vec<GeneratedFile>, Error> {
    let lib = config.lib_name();
    let lib = lib.as_str();
    let rust = |label: &str, path: String, tokens: TokenStream| -> Result<GeneratedFile, Error> {
        let contents = header(label) + &format_tokens(&path, tokens)?;
        Ok(GeneratedFile { path, contents })
    };
    let generated = |name: &str, tokens: TokenStream| rust(&config.spec_label, format!("{RUST_DIR}/{name}"), tokens);
    let markdown = |path: String, page: String| GeneratedFile {
        path,
        contents: markdown::header(&config.spec_label) + &page,
    };
    let has_events = events.is_some() || !api.webhooks.is_empty();
    let mut files = vec![
        generated("mod.rs", root::module_root(api, has_events))?,
        generated("models.rs", models::file(&api.types))?,
        generated("operations.rs", operations::file(api, lib))?,
        generated("testing.rs", testing::file(api, has_events))?,
        generated("blocking.rs", blocking::file(api))?,
    ];
    if let Some(tokens) = events::file(api, events::Place::BesideModels) {
        files.push(generated("events.rs", tokens)?);
    }
    if let Some(EventsModule {
        api: events,
        spec_label,
    }) = events
    {
        let tokens = events::file(events, events::Place::OwnModule)
            .ok_or_else(|| Error::unsupported(&crate::Pointer::root(), "the webhooks spec declares no webhooks"))?;
        files.push(rust(spec_label, format!("{RUST_DIR}/events/mod.rs"), tokens)?);
        files.push(rust(
            spec_label,
            format!("{RUST_DIR}/events/models.rs"),
            models::file(&events.types),
        )?);
    }
    for resource in &api.resources {
        files.push(markdown(
            page_path(resource),
            markdown::resource_page(api, lib, resource),
        ));
    }
    files.push(markdown(
        format!("{DOCS_DIR}/models.md"),
        markdown::models_page(api, lib),
    ));
    if let Some(manifest) = &config.manifest {
        files.push(rust(
            &config.spec_label,
            "src/lib.rs".to_owned(),
            package::lib_rs(api, config, has_events),
        )?);
        files.push(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: package::cargo_toml(api, config, manifest),
        });
    }
    Ok(files)
}

/// Where a resource's Markdown page goes: `docs/phone_numbers.md`. Named after the accessor
/// without any `r#`, which a file name must not carry.
pub(crate) fn page_path(resource: &Resource) -> String {
    format!("{DOCS_DIR}/{}.md", crate::names::unraw(&resource.accessor))
}
