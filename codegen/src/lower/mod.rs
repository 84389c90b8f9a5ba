//! Lowering: `openapiv3::OpenAPI` to the resolved [`Api`] model.
//!
//! This is where every decision about the spec is made: `$ref` resolution, naming of inline
//! schemas, which fields are `Option` or three-state, which enums and unions are open, which
//! statuses map to the typed Clerk error. Constructs that cannot be represented faithfully are
//! rejected with an [`Error::Unsupported`] that names their JSON pointer.

mod bodies;
mod constraints;
mod errors;
mod extensions;
mod key_set;
mod machine_verifiers;
mod operations;
mod pagination;
mod parameters;
mod paths;
mod refs;
mod responses;
mod security;
mod styles;
mod types;
pub(crate) mod webhooks;

use paths::path_placeholders;

use openapiv3::OpenAPI;

use crate::Config;
use crate::error::{Error, Warning};
use crate::model::{Api, Resource, TypeDef, TypeRef};
use crate::names::{Scope, has_word, type_name};
use crate::unread::Unread;
use operations::{OperationLowerer, Operations, Settings};
use types::TypeLowerer;

/// The media type the generator reads bodies and responses from.
const JSON: &str = "application/json";
/// The media type of form bodies with files.
const MULTIPART: &str = "multipart/form-data";
/// The media type of flat form bodies.
const FORM: &str = "application/x-www-form-urlencoded";
/// The media type of raw bytes.
const OCTET_STREAM: &str = "application/octet-stream";

/// Lowers a parsed spec into the model, with the warnings met on the way: the operations
/// first, which lower the types they use through the type lowering they borrow, then the
/// types, once it is known which are sent and which received.
pub(crate) fn lower(
    spec: &OpenAPI,
    spec_webhooks: &[webhooks::SpecWebhook],
    config: &Config,
    unread: Unread,
) -> Result<(Api, Vec<Warning>), Error> {
    let mut types = TypeLowerer::new(spec, unread.ref_siblings)?;
    let events = webhooks::lower(&mut types, spec_webhooks)?;
    let settings = Settings {
        schemes: security::schemes(spec)?,
        error_schema: errors::error_schema(spec, config)?,
        explicit_explodes: unread.explodes,
        // A crate's `Error` names the error body even when no operation maps one.
        error_type_always: true,
    };
    let operations = OperationLowerer::new(spec, &mut types, settings).lower()?;
    let response_roots: Vec<TypeRef> = operations
        .resources
        .iter()
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| operation.response.clone())
        .chain(operations.error_type.clone())
        .chain(events.iter().map(|event| event.ty.clone()))
        .collect();
    let (types, mut warnings) = types.finish(&operations.request_roots, &response_roots)?;
    let mut api = api(spec, operations, types);
    api.webhooks = events;
    pagination::resolve(&mut api, &mut warnings);
    api.key_set = key_set::find(&api);
    api.machine_verifiers = machine_verifiers::find(&api);
    Ok((api, warnings))
}

/// The API from its lowered operations and types.
fn api(spec: &OpenAPI, operations: Operations, types: Vec<TypeDef>) -> Api {
    let Operations {
        resources,
        schemes,
        error_type,
        ..
    } = operations;
    let info = &spec.info;
    let required_schemes = security::required(
        resources
            .iter()
            .flat_map(|resource| &resource.operations)
            .map(|operation| operation.security.as_slice()),
    );
    let (default_server, server_template) = servers(spec);
    Api {
        title: info.title.clone(),
        version: info.version.clone(),
        license: info
            .license
            .as_ref()
            .map(|license| license.name.clone())
            .filter(|name| is_spdx(name)),
        marker: marker_name(&info.title, &taken_names(&resources)),
        version_header: version_header(&info.version),
        default_server,
        server_template,
        env_scheme: security::env_scheme(&required_schemes, &schemes),
        required_schemes,
        schemes,
        types,
        error_type: error_type.as_ref().and_then(TypeRef::named).map(str::to_owned),
        resources,
        envelopes: Vec::new(),
        webhooks: Vec::new(),
        key_set: None,
        machine_verifiers: Vec::new(),
    }
}

/// Whether `name` reads as an SPDX license expression (`MIT`, `MIT OR Apache-2.0`): ids of
/// letters, digits, `.`, `-` and `+`, joined by `AND`, `OR` and `WITH`, in parentheses at most.
/// A name such as "Proprietary, see our terms" is not one, and no license is claimed for it.
fn is_spdx(name: &str) -> bool {
    let words: Vec<&str> = name.split([' ', '(', ')']).filter(|word| !word.is_empty()).collect();
    words.len() % 2 == 1
        && words.iter().enumerate().all(|(index, word)| {
            let operator = matches!(*word, "AND" | "OR" | "WITH");
            let id = word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
            if index % 2 == 1 { operator } else { id && !operator }
        })
}

/// The `Clerk-API-Version` header's value: `version` when it is a date, `YYYY-MM-DD`, as the
/// Backend API's versions are (`2025-11-10`). Other APIs (the Frontend API's version is `v1`)
/// are not sent the header.
fn version_header(version: &str) -> Option<String> {
    let bytes = version.as_bytes();
    let dated = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    dated.then(|| version.to_owned())
}

/// The default server (the first one, when it is an absolute `http`/`https` URL with no
/// variables to fill in) and the first server as written.
fn servers(spec: &OpenAPI) -> (Option<String>, String) {
    let Some(first) = spec.servers.first() else {
        return (None, String::new());
    };
    let url = first.url.trim_end_matches('/');
    let fixed = !url.contains('{') && (url.starts_with("https://") || url.starts_with("http://"));
    (fixed.then(|| url.to_owned()), first.url.clone())
}

/// The marker type's name, from the title, ending in `Api`: `Clerk Backend API` becomes
/// `ClerkBackendApi`, `Things` becomes `ThingsApi`. It sits at the crate root beside the
/// resource handles and the operations' marker types (`taken`), so it must be none of them.
fn marker_name(title: &str, taken: &[&str]) -> String {
    let name = if has_word(title) {
        type_name(title)
    } else {
        String::new()
    };
    let name = if name.ends_with("Api") {
        name
    } else {
        format!("{name}Api")
    };
    Scope::with_reserved(taken.iter().copied()).claim(&name)
}

/// The names at a crate root besides the marker's: the resource handles and the operations'
/// marker types.
fn taken_names(resources: &[Resource]) -> Vec<&str> {
    let handles = resources.iter().map(|resource| resource.type_name.as_str());
    let markers = resources
        .iter()
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| operation.params_marker.as_deref());
    handles.chain(markers).collect()
}

/// A spec from YAML, for the lowering modules' unit tests.
#[cfg(test)]
fn test_spec(yaml: &str) -> OpenAPI {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("not a spec: {e}\n{yaml}"))
}

/// A spec with these components and no paths, for the lowering modules' unit tests.
#[cfg(test)]
fn spec_with_components(components: &str) -> OpenAPI {
    test_spec(&format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n{components}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_spdx_expressions_are_taken_for_a_license() {
        for spdx in [
            "MIT",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0+",
        ] {
            assert!(is_spdx(spdx), "{spdx}");
        }
        for other in ["", "Proprietary, see our terms", "MIT OR", "OR MIT", "MIT Apache-2.0"] {
            assert!(!is_spdx(other), "{other}");
        }
    }

    #[test]
    fn only_dated_versions_are_sent_as_a_header() {
        assert_eq!(version_header("2025-11-10").as_deref(), Some("2025-11-10"));
        for other in ["v1", "2025-11-1", "2025/11/10", "2025-11-10 ", "１２３４-11-10"] {
            assert_eq!(version_header(other), None, "{other}");
        }
    }

    #[test]
    fn a_server_with_variables_is_no_default() {
        let spec = |servers: &str| -> OpenAPI {
            serde_yaml::from_str(&format!(
                "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n{servers}"
            ))
            .expect("a spec")
        };
        assert_eq!(
            servers(&spec("servers: [{url: 'https://api.clerk.com/v1/'}]")),
            (
                Some("https://api.clerk.com/v1".to_owned()),
                "https://api.clerk.com/v1/".to_owned()
            )
        );
        let template = "https://{domain}.clerk.accounts.dev";
        assert_eq!(
            servers(&spec(&format!(
                "servers: [{{url: '{template}', variables: {{domain: {{default: x}}}}}}]"
            ))),
            (None, template.to_owned())
        );
        assert_eq!(servers(&spec("servers: [{url: /v1}]")), (None, "/v1".to_owned()));
        assert_eq!(servers(&spec("")), (None, String::new()));
    }

    #[test]
    fn the_marker_is_named_after_the_title() {
        assert_eq!(marker_name("Clerk Backend API", &[]), "ClerkBackendApi");
        assert_eq!(marker_name("Clerk", &[]), "ClerkApi");
        assert_eq!(marker_name("--", &[]), "Api");
        assert_eq!(marker_name("Things", &["ThingsApi"]), "ThingsApi2");
    }
}
