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
mod pagination;
mod root;
mod schemas;
mod standalone;
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

    if config.events_only {
        let events = events::file(api, events::Place::OwnModule).ok_or_else(|| {
            Error::unsupported(
                &crate::Pointer::root(),
                "the spec declares no webhooks (`webhooks` or `x-webhooks`)",
            )
        })?;
        return Ok(vec![
            rust("events/mod.rs", events)?,
            rust("events/models.rs", models::file(&api.types))?,
        ]);
    }
    let mut files = vec![
        rust("mod.rs", root::module_root(api, in_sdk))?,
        rust("models.rs", models::file(&api.types))?,
        rust("operations.rs", operations::file(api, lib))?,
        rust("testing.rs", testing::file(api, in_sdk))?,
    ];
    if in_sdk {
        files.push(rust("blocking.rs", blocking::file(api))?);
    }
    if let Some(events) = events::file(api, events::Place::BesideModels) {
        files.push(rust("events.rs", events)?);
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

/// Where a resource's Markdown page goes: `docs/phone_numbers.md`. Named after the accessor
/// without any `r#`, which a file name must not carry.
pub(crate) fn page_path(resource: &Resource) -> String {
    format!("{DOCS_DIR}/{}.md", crate::names::unraw(&resource.accessor))
}
