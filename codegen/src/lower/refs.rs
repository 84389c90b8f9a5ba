//! `$ref` resolution, the same for every kind of component: a reference must point into its
//! own section of `#/components`, chains of references are followed, and a reference that
//! points to nothing, elsewhere, or round in a circle is an error located where it was met.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};

use crate::error::{Error, Pointer};

/// How many references a chain may go through before it is taken for a circle.
const MAX_CHAIN: usize = 32;

/// A kind of component a `$ref` can point to.
pub(super) trait Component: Sized {
    /// The section of `#/components` that holds this kind.
    const SECTION: &'static str;

    /// That section of the spec's components.
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Schema {
    const SECTION: &'static str = "schemas";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.schemas
    }
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for RequestBody {
    const SECTION: &'static str = "requestBodies";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Component for openapiv3::Example {
    const SECTION: &'static str = "examples";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.examples
    }
}

impl Component for Response {
    const SECTION: &'static str = "responses";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Component for SecurityScheme {
    const SECTION: &'static str = "securitySchemes";

    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.security_schemes
    }
}

/// A component a reference led to.
pub(super) struct Resolved<'a, T> {
    /// Where the component is defined.
    pub(super) pointer: Pointer,
    /// The component.
    pub(super) item: &'a T,
    /// Its name in its section.
    pub(super) name: String,
}

/// Follows `reference`, met at `from`, to the component it names, through any chain of
/// references.
pub(super) fn resolve<'a, T: Component>(
    spec: &'a OpenAPI,
    reference: &str,
    from: &Pointer,
) -> Result<Resolved<'a, T>, Error> {
    let mut reference = reference;
    for _ in 0..MAX_CHAIN {
        let name = component_name(reference, T::SECTION).ok_or_else(|| {
            Error::unsupported(
                from,
                format!("`$ref: {reference}` does not point into #/components/{}", T::SECTION),
            )
        })?;
        let slot = spec
            .components
            .as_ref()
            .and_then(|components| T::section(components).get(&name))
            .ok_or_else(|| Error::unsupported(from, format!("`$ref: {reference}` points to nothing")))?;
        match slot {
            ReferenceOr::Item(item) => {
                let pointer = Pointer::root().join("components").join(T::SECTION).join(&name);
                return Ok(Resolved { pointer, item, name });
            }
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    Err(Error::unsupported(from, "`$ref` chain is circular"))
}

/// The component in `slot`, written at `pointer`: the item itself, or what its `$ref` leads to
/// (through any chain), with where it is defined and, for a `$ref`, the component's name.
pub(super) fn follow<'a, T: Component>(
    spec: &'a OpenAPI,
    slot: &'a ReferenceOr<T>,
    pointer: &Pointer,
) -> Result<(Pointer, &'a T, Option<String>), Error> {
    match slot {
        ReferenceOr::Item(item) => Ok((pointer.clone(), item, None)),
        ReferenceOr::Reference { reference } => {
            let Resolved { pointer, item, name } = resolve(spec, reference, pointer)?;
            Ok((pointer, item, Some(name)))
        }
    }
}

/// The `NAME` of `#/components/{section}/NAME`, unescaped.
pub(super) fn component_name(reference: &str, section: &str) -> Option<String> {
    let pointer = Pointer::from_ref(reference)?;
    let segments: Vec<String> = pointer.segments().collect();
    match segments.as_slice() {
        [components, found, name] if components == "components" && found == section => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(components: &str) -> OpenAPI {
        let text = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n{components}");
        serde_yaml::from_str(&text).expect("a spec")
    }

    fn here() -> Pointer {
        Pointer::root().join("paths")
    }

    #[test]
    fn chains_are_followed_to_the_item() {
        let spec = spec(
            "  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    B: {name: b, in: query, schema: {type: string}}\n",
        );
        let resolved = resolve::<Parameter>(&spec, "#/components/parameters/A", &here()).expect("resolves");
        assert_eq!(resolved.pointer.as_str(), "#/components/parameters/B");
        assert_eq!(resolved.name, "B");
        assert_eq!(resolved.item.parameter_data_ref().name, "b");
    }

    #[test]
    fn every_kind_fails_alike() {
        let spec = spec("  responses:\n    Loop: {$ref: '#/components/responses/Loop'}\n");
        let message = |result: Result<Resolved<'_, Response>, Error>| result.err().map(|e| e.to_string());
        assert_eq!(
            message(resolve(&spec, "#/components/responses/Nope", &here())).as_deref(),
            Some("#/paths: `$ref: #/components/responses/Nope` points to nothing")
        );
        assert_eq!(
            message(resolve(&spec, "#/components/schemas/Nope", &here())).as_deref(),
            Some("#/paths: `$ref: #/components/schemas/Nope` does not point into #/components/responses")
        );
        assert_eq!(
            message(resolve(&spec, "#/components/responses/Loop", &here())).as_deref(),
            Some("#/paths: `$ref` chain is circular")
        );
    }

    #[test]
    fn names_are_unescaped() {
        assert_eq!(
            component_name("#/components/schemas/a~1b", "schemas").as_deref(),
            Some("a/b")
        );
        assert_eq!(component_name("#/components/schemas/A/properties/x", "schemas"), None);
        assert_eq!(component_name("other.yaml#/components/schemas/A", "schemas"), None);
    }
}
