//! The generator behind `cargo xtask codegen`: an OpenAPI 3.0 or 3.1 document in, the
//! `clerk-sdk` crate's generated modules out.
//!
//! The pipeline is spec → model → tokens → text:
//!
//! 1. The document is read once with `serde_yaml`, and `openapiv3::OpenAPI` taken from it; a
//!    3.1 document is first rewritten into the 3.0 document it means.
//! 2. Lowering resolves every `$ref`, names every inline schema and decides every Rust type,
//!    producing a [`model::Api`].
//! 3. The emitters turn the model into `proc_macro2` tokens with `quote!`.
//! 4. `prettyplease` formats the tokens, so the output does not depend on the installed
//!    toolchain, and each file gets the `@generated` header.
//!
//! The crate does no I/O: [`generate`] takes the spec's text and returns the files' contents.
//! Writing them (or checking them) is the caller's job. Output is deterministic: everything is
//! ordered by spec order or by name.

#![forbid(unsafe_code)]

pub mod diff;
mod emit;
pub mod error;
mod lower;
pub mod model;
pub mod names;
mod openapi31;
pub mod overlay;
mod runtime;
pub mod slice;
mod unread;

/// What every generated crate's `Cargo.toml` has, for a crate whose manifest is written by hand
/// (`clerk-sdk`) to be held to.
pub mod manifest {
    pub use crate::emit::package::{DEPENDENCIES, DOCS_RS, FEATURES};
}

pub use error::{Error, Pointer, Warning};

/// What the generator needs to know beyond the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The component schema that error responses must use to map to the typed error; `None`
    /// to use the one the spec's error responses refer to most.
    pub error_schema: Option<String>,
    /// How the spec is named in each file's header, such as `spec/phone_numbers.yaml`.
    pub spec_label: String,
    /// The crate's package name, such as `clerk-sdk`: what its docs' examples import (with `-`
    /// as `_`) and, with [`Config::manifest`], the name in its `Cargo.toml`.
    pub package_name: String,
    /// `Some` to write the crate's own files too (`Cargo.toml` and `src/lib.rs`), for a crate
    /// that is generated whole; `None` for a crate whose manifest and root are hand-written
    /// (`clerk-sdk`). The generated modules are the same either way.
    pub manifest: Option<Manifest>,
}

/// How a crate generated whole names the runtime crate, `clerk-sdk-runtime`, in its
/// `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The runtime's version the code is generated against, such as `0.1.0`: the dependency
    /// asks for a compatible one (`^0.1.0`).
    pub runtime_version: String,
    /// Where the runtime comes from.
    pub runtime_source: RuntimeSource,
    /// The oldest Rust the crate builds with: the runtime's `rust-version`.
    pub rust_version: String,
    /// The crate's license, as an SPDX expression; `None` takes the spec's (`info.license`),
    /// which covers the prose and examples its code carries.
    pub license: Option<String>,
}

/// Where a generated crate's `Cargo.toml` takes the runtime from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// crates.io, by version alone: a crate to publish, or to build anywhere.
    Registry,
    /// A folder, written relative to the generated crate's own (`../clerk-sdk/runtime`), so the
    /// two can move together; the version is written too, so `cargo publish` takes it from
    /// crates.io instead.
    Path(String),
    /// A git repository, at a revision, tag or branch if one is given (as cargo reads `rev`).
    Git {
        /// The repository's URL.
        url: String,
        /// The revision, tag or branch.
        rev: Option<String>,
    },
}

impl Config {
    /// The name examples use for the crate: the package name with `-` as `_`.
    pub fn lib_name(&self) -> String {
        self.package_name.replace('-', "_")
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            error_schema: None,
            spec_label: "spec/phone_numbers.yaml".to_owned(),
            package_name: "clerk-sdk".to_owned(),
            manifest: None,
        }
    }
}

/// A webhooks spec whose events go into the same crate as an API's operations, as the crate's
/// `events` module (Clerk publishes its webhooks as a spec of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventsSpec<'a> {
    /// How the spec is named in its files' headers, such as `spec/webhooks.yaml`.
    pub label: &'a str,
    /// The spec's text.
    pub text: &'a str,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output folder, with `/` separators, such as `models.rs`.
    pub path: String,
    /// The complete contents, header included.
    pub contents: String,
}

/// The result of a generation run.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The resolved model the files were emitted from.
    pub api: model::Api,
    /// The files, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// How many operations the spec declares, counted from the document rather than the model,
    /// so that `api.operation_count()` of this many says every one was generated.
    pub spec_operations: usize,
    /// What generation went past without representing it, in the order it was met.
    pub warnings: Vec<Warning>,
    /// The webhooks spec read beside the API's, if one was given: its events and their models.
    pub events: Option<Lowered>,
}

/// The first line of every generated file.
pub fn header(spec_label: &str) -> String {
    format!("// @generated by cargo xtask codegen from {spec_label}. Do not edit.\n")
}

/// Reads an OpenAPI 3.0 or 3.1 document from YAML (or JSON, which is YAML) into openapiv3's
/// 3.0 model; a 3.1 document is read as the 3.0 document it means (see [`lower`] for the
/// warnings about what 3.0 cannot say).
///
/// # Errors
///
/// [`Error::Parse`] when the text is not YAML, not an OpenAPI document, or not version 3.0.x
/// or 3.1.x; [`Error::Unsupported`] for a 3.1 construct that has no 3.0 form.
pub fn parse(spec_text: &str) -> Result<openapiv3::OpenAPI, Error> {
    read(spec_text).map(|read| read.spec)
}

/// A spec read once, as a YAML document, with openapiv3's model taken from that document: the
/// checks of what openapiv3 drops read the same document.
struct Read {
    /// The document, rewritten into OpenAPI 3.0 if it was 3.1.
    document: serde_yaml::Value,
    /// openapiv3's model of it.
    spec: openapiv3::OpenAPI,
    /// What reading a 3.1 document as 3.0 went past.
    warnings: Vec<Warning>,
}

fn read(spec_text: &str) -> Result<Read, Error> {
    use serde::Deserialize;
    let mut document =
        serde_yaml::from_str::<serde_yaml::Value>(spec_text).map_err(|error| Error::Parse(error.to_string()))?;
    let version = match document.get("openapi") {
        Some(serde_yaml::Value::String(version)) => version.clone(),
        Some(_) => {
            return Err(Error::Parse(
                "`openapi` is not a version string such as `3.0.3`".to_owned(),
            ));
        }
        None => {
            return Err(Error::Parse(
                "there is no `openapi` version field at the top level".to_owned(),
            ));
        }
    };
    let warnings = if version.starts_with("3.0.") {
        Vec::new()
    } else if openapi31::is_3_1(&version) {
        openapi31::downgrade(&mut document)?
    } else {
        return Err(Error::Parse(format!(
            "`openapi: {version}` is not supported; only 3.0.x and 3.1.x are"
        )));
    };
    // A spec of webhooks alone (Clerk's) has no `paths`, which openapiv3 requires.
    if let Some(root) = document.as_mapping_mut()
        && !root.contains_key("paths")
        && (root.contains_key("webhooks") || root.contains_key("x-webhooks"))
    {
        root.insert("paths".into(), serde_yaml::Value::Mapping(serde_yaml::Mapping::new()));
    }
    // openapiv3 2.2 panics on some malformed `$ref` objects (its `ReferenceOr` deserializer
    // expects a second parse to fail, "somehow this parsed successfully the second time"; found
    // by fuzzing, see fuzz/regressions/generate/). A spec must never crash the generator, so the
    // panic is caught and reported as a parse error.
    let typed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        openapiv3::OpenAPI::deserialize(&document)
    }))
    .map_err(|_| Error::Parse("openapiv3 could not read a `$ref` object in this document".to_owned()))?;
    match typed {
        Ok(spec) => Ok(Read {
            document,
            spec,
            warnings,
        }),
        Err(error) => Err(Error::Parse(
            located(spec_text, &version).unwrap_or_else(|| error.to_string()),
        )),
    }
}

/// Where a 3.0 document openapiv3 refuses goes wrong, with its line and column: read from the
/// text again, as a YAML value has no positions. `None` for a 3.1 document, whose text is not
/// what openapiv3 read.
fn located(spec_text: &str, version: &str) -> Option<String> {
    if !version.starts_with("3.0.") {
        return None;
    }
    let parsed = std::panic::catch_unwind(|| serde_yaml::from_str::<openapiv3::OpenAPI>(spec_text)).ok()?;
    parsed.err().map(|error| error.to_string())
}

/// How many operations the spec declares: one per method of each path item.
fn spec_operations(spec: &openapiv3::OpenAPI) -> usize {
    spec.paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .map(|item| item.iter().count())
        .sum()
}

/// A spec read and lowered, not emitted: what the regeneration report and `cargo xtask diff`
/// compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    /// The resolved model.
    pub api: model::Api,
    /// How many operations the spec declares, counted from the document rather than the model,
    /// so that `api.operation_count()` of this many says every one was lowered.
    pub spec_operations: usize,
    /// What lowering went past without representing it, in the order it was met.
    pub warnings: Vec<Warning>,
}

/// Reads and lowers a spec into the model the files are emitted from, without emitting them.
///
/// # Errors
///
/// As [`generate`].
pub fn lower(spec_text: &str, config: &Config) -> Result<Lowered, Error> {
    let Read {
        document,
        spec,
        warnings: read_warnings,
    } = read(spec_text)?;
    unread::check(&document)?;
    let webhooks = lower::webhooks::read(&document)?;
    let (api, mut warnings) = lower::lower(&spec, &webhooks, config, unread::Unread::read(&document))?;
    warnings.splice(0..0, read_warnings);
    Ok(Lowered {
        api,
        spec_operations: spec_operations(&spec),
        warnings,
    })
}

/// Generates a crate's files from the text of a spec: its generated modules, its Markdown
/// reference and, with [`Config::manifest`], its `Cargo.toml` and `src/lib.rs`.
///
/// # Errors
///
/// [`Error::Parse`] for a document that cannot be read, [`Error::Unsupported`] with a JSON
/// pointer for a construct that cannot be represented.
pub fn generate(spec_text: &str, config: &Config) -> Result<Generated, Error> {
    generate_with_events(spec_text, None, config)
}

/// [`generate`], with the events of a webhooks spec of their own in the same crate: its
/// `events` module, with the models they use in `events::models`. The API's spec must then
/// declare no webhooks itself.
///
/// # Errors
///
/// As [`generate`], for either spec; [`Error::Unsupported`] when the webhooks spec declares no
/// webhooks, or the API's spec declares some too.
pub fn generate_with_events(
    spec_text: &str,
    events: Option<EventsSpec<'_>>,
    config: &Config,
) -> Result<Generated, Error> {
    let Lowered {
        api,
        spec_operations,
        warnings,
    } = lower(spec_text, config)?;
    let events = events.map(|spec| lower_events(&api, spec, config)).transpose()?;
    let events_module = events.as_ref().map(|(label, events)| emit::EventsModule {
        api: &events.api,
        spec_label: label,
    });
    let files = emit::emit(&api, events_module, config)?;
    Ok(Generated {
        api,
        files,
        spec_operations,
        warnings,
        events: events.map(|(_, events)| events),
    })
}

/// A webhooks spec lowered for the `events` module of `api`'s crate, with its label.
fn lower_events(api: &model::Api, spec: EventsSpec<'_>, config: &Config) -> Result<(String, Lowered), Error> {
    if !api.webhooks.is_empty() {
        return Err(Error::unsupported(
            &Pointer::root().join("webhooks"),
            "the API's spec declares webhooks of its own; a second webhooks spec would give the crate two `events` modules",
        ));
    }
    let events_config = Config {
        spec_label: spec.label.to_owned(),
        error_schema: None,
        ..config.clone()
    };
    let lowered = lower(spec.text, &events_config)?;
    if lowered.api.webhooks.is_empty() {
        return Err(Error::unsupported(
            &Pointer::root(),
            format!("{} declares no webhooks (`webhooks` or `x-webhooks`)", spec.label),
        ));
    }
    Ok((spec.label.to_owned(), lowered))
}
