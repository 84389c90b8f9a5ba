//! Lowering: `openapiv3::OpenAPI` to the resolved [`Api`] model.
//!
//! This is where every decision about the spec is made: `$ref` resolution, naming of inline
//! schemas, which fields are `Option` or three-state, which enums and unions are open, which
//! statuses map to the typed Clerk error. Constructs that cannot be represented faithfully are
//! rejected with an [`Error::Unsupported`] that names their JSON pointer.

mod errors;
mod extensions;
mod keywords;
mod operations;
mod parameters;
mod paths;
mod refs;
mod responses;
mod schemas;
mod security;
mod siblings;
mod styles;
mod unions;

use paths::path_placeholders;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::Config;
use crate::error::{Error, Pointer, Warning};
use crate::model::SecuritySchemeDef;
use crate::model::{Api, Presence, Resource, TypeDef, TypeKind, TypeRef};
use crate::names::{Scope, has_word, type_name};
use crate::unread::Unread;

/// The media type the generator reads bodies and responses from.
const JSON: &str = "application/json";
/// The media type of form bodies with files.
const MULTIPART: &str = "multipart/form-data";
/// The media type of flat form bodies.
const FORM: &str = "application/x-www-form-urlencoded";
/// The media type of raw bytes.
const OCTET_STREAM: &str = "application/octet-stream";

/// Lowers a parsed spec into the model, with the warnings met on the way.
pub(crate) fn lower(spec: &OpenAPI, config: &Config, unread: Unread) -> Result<(Api, Vec<Warning>), Error> {
    let mut lowerer = Lowerer::new(spec)?;
    lowerer.explicit_explodes = unread.explodes;
    lowerer.ref_siblings = unread.ref_siblings;
    lowerer.error_schema = errors::error_schema(spec, config);
    let resources = lowerer.lower_operations()?;
    if config.standalone.is_none() && lowerer.error_schema.is_some() {
        // `clerk-sdk`'s `Error` names the error body even when no operation maps one.
        let components = Pointer::root().join("components").join("schemas");
        lowerer.error_body(&components)?;
    }
    lowerer.box_recursive_fields()?;
    lowerer.warn_unread_siblings();
    let warnings = std::mem::take(&mut lowerer.warnings);
    Ok((lowerer.finish(resources), warnings))
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

/// A schema after lowering: its Rust type and whether `null` is allowed.
#[derive(Debug, Clone)]
struct Lowered {
    ty: TypeRef,
    nullable: bool,
}

/// A schema position that may hold a `$ref` or an inline schema, whatever its boxing.
enum SchemaSlot<'r, 's> {
    Ref(&'r str),
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Schema>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Box<Schema>>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    /// Type names taken so far. Every component schema's name is taken up front, so inline
    /// schemas never push a component's type to a suffixed name.
    type_names: Scope,
    /// The type name of each component schema, by pointer.
    component_names: BTreeMap<Pointer, String>,
    /// Types defined so far, by name.
    types: BTreeMap<String, TypeDef>,
    /// Every schema lowered so far, by its canonical pointer, so a schema reached twice
    /// (two `$ref`s, or a shared response) becomes one type.
    memo: BTreeMap<Pointer, Lowered>,
    /// Types used directly as request bodies.
    request_roots: Vec<TypeRef>,
    /// The error schema's name: configured, or the one the spec's error responses use most.
    error_schema: Option<String>,
    /// The type of the error schema, which mapped error responses must use, once something
    /// needed it.
    error_type: Option<TypeRef>,
    /// The security schemes, in spec order.
    schemes: Vec<SecuritySchemeDef>,
    /// The `explode` of each Encoding Object that writes one (openapiv3 cannot tell a missing
    /// one from `false`).
    explicit_explodes: BTreeMap<Pointer, bool>,
    /// The keywords beside each `$ref` that has any, by the pointer of its object (openapiv3
    /// drops them).
    ref_siblings: BTreeMap<Pointer, serde_yaml::Mapping>,
    /// The `$ref`s whose siblings lowering has read (and warned about).
    read_siblings: BTreeSet<Pointer>,
    /// What lowering went past without representing it.
    warnings: Vec<Warning>,
}

impl<'a> Lowerer<'a> {
    /// Reserves every component schema's type name up front. Two components whose names become
    /// the same Rust name are an error: numbering one of them would make its name depend on the
    /// order of the spec, and change when Clerk reorders it.
    fn new(spec: &'a OpenAPI) -> Result<Self, Error> {
        let mut type_names = Scope::new();
        let mut component_names = BTreeMap::new();
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        for name in spec.components.iter().flat_map(|components| components.schemas.keys()) {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            let rust_name = type_name(name);
            if let Some(first) = owners.get(&rust_name) {
                return Err(Error::unsupported(
                    &pointer,
                    format!("schemas `{first}` and `{name}` would both be named `{rust_name}` in Rust; rename one"),
                ));
            }
            owners.insert(rust_name.clone(), name.clone());
            component_names.insert(pointer, type_names.claim(&rust_name));
        }
        Ok(Lowerer {
            spec,
            type_names,
            component_names,
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            request_roots: Vec::new(),
            error_schema: None,
            error_type: None,
            schemes: security::schemes(spec)?,
            explicit_explodes: BTreeMap::new(),
            ref_siblings: BTreeMap::new(),
            read_siblings: BTreeSet::new(),
            warnings: Vec::new(),
        })
    }

    /// Boxes every struct field through which the struct contains itself by value (such as
    /// `Node.next: Node`), which Rust can lay out only behind a pointer. A cycle with no struct
    /// field on it (a union that is its own variant) cannot be broken that way and is refused.
    fn box_recursive_fields(&mut self) -> Result<(), Error> {
        let mut to_box = Vec::new();
        for (name, def) in &self.types {
            let TypeKind::Struct(def) = &def.kind else { continue };
            for (index, field) in def.fields.iter().enumerate() {
                if let TypeRef::Named(target) = &field.ty
                    && self.reaches(target, name)
                {
                    to_box.push((name.clone(), index));
                }
            }
        }
        for (name, index) in to_box {
            if let Some(TypeKind::Struct(def)) = self.types.get_mut(&name).map(|def| &mut def.kind) {
                let field = &mut def.fields[index];
                field.ty = TypeRef::Boxed(Box::new(field.ty.clone()));
            }
        }
        for (name, def) in &self.types {
            if direct_children(&def.kind).iter().any(|child| self.reaches(child, name)) {
                return Err(Error::unsupported(
                    &def.pointer,
                    format!("`{name}` contains itself through union variants alone, which no field can break"),
                ));
            }
        }
        Ok(())
    }

    /// Whether type `from` holds type `to` by value, directly or through other types.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if seen.insert(current)
                && let Some(def) = self.types.get(current)
            {
                stack.extend(direct_children(&def.kind));
            }
        }
        false
    }

    /// Marks request and response types and orders the types by name.
    fn finish(mut self, resources: Vec<Resource>) -> Api {
        let request_types = self.reachable_from(&self.request_roots);
        let response_roots: Vec<TypeRef> = resources
            .iter()
            .flat_map(|resource| &resource.operations)
            .filter_map(|operation| operation.response.clone())
            .chain(self.error_type.clone())
            .collect();
        let response_types = self.reachable_from(&response_roots);
        for (name, def) in &mut self.types {
            if let TypeKind::Struct(def) = &mut def.kind {
                def.used_in_request = request_types.contains(name);
                def.used_in_response = response_types.contains(name);
                for field in &mut def.fields {
                    field.presence = Presence::of(field.required, field.nullable, def.used_in_request);
                }
            }
        }
        let info = &self.spec.info;
        let required_schemes = security::required(
            resources
                .iter()
                .flat_map(|resource| &resource.operations)
                .map(|operation| operation.security.as_slice()),
        );
        let (default_server, server_template) = servers(self.spec);
        Api {
            title: info.title.clone(),
            version: info.version.clone(),
            marker: marker_name(&info.title, &taken_names(&resources)),
            version_header: version_header(&info.version),
            default_server,
            server_template,
            env_scheme: security::env_scheme(&required_schemes, &self.schemes),
            required_schemes,
            schemes: self.schemes,
            types: self.types.into_values().collect(),
            error_type: self.error_type.as_ref().and_then(TypeRef::named).map(str::to_owned),
            resources,
        }
    }

    /// Names of all generated types reachable from `roots`.
    fn reachable_from(&self, roots: &[TypeRef]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.iter().filter_map(TypeRef::named).map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.types.get(&name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => {
                    stack.extend(def.fields.iter().filter_map(|f| f.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Union(def)) => stack.extend(def.variants.iter().map(|v| v.ty.clone())),
                Some(TypeKind::Untagged(def)) => {
                    stack.extend(def.variants.iter().filter_map(|v| v.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Enum(_)) | None => {}
            }
        }
        seen
    }
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

/// The types a type holds by value (not behind a `Vec` or map), which a recursive layout
/// would have to go through.
fn direct_children(kind: &TypeKind) -> Vec<&str> {
    fn by_value(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(def) => def.fields.iter().filter_map(|field| by_value(&field.ty)).collect(),
        TypeKind::Union(def) => def.variants.iter().map(|v| v.ty.as_str()).collect(),
        TypeKind::Untagged(def) => def.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
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

/// Lowers `#/components/schemas/{name}` of a spec whose schemas are `schemas` (YAML indented
/// under `schemas:`), with every type it defined, for the lowering modules' unit tests.
#[cfg(test)]
fn lower_component(schemas: &str, name: &str) -> (Lowered, BTreeMap<String, TypeDef>) {
    let spec = spec_with_components(&format!("  schemas:\n{schemas}"));
    let mut lowerer = Lowerer::new(&spec).expect("names are unique");
    let reference = format!("#/components/schemas/{name}");
    let lowered = lowerer
        .lower_slot(SchemaSlot::Ref(&reference), "", &Pointer::root())
        .expect("lowers");
    (lowered, lowerer.types)
}

#[cfg(test)]
mod tests {
    use super::*;

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
