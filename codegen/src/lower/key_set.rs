//! Which operation answers the instance's JSON Web Key Set (RFC 7517), so the crate's client can
//! verify session tokens with the keys it fetches: Clerk's Backend API has `GET /jwks`, its
//! Frontend API `GET /.well-known/jwks.json`.
//!
//! The operation is recognised by what it is, not by its name: a `GET` whose path ends in
//! `jwks` or `jwks.json`, that takes no argument (no path parameter, no required query, header
//! or cookie parameter, no body), and whose response is an object with a `keys` array. The
//! first such operation in spec order is the one.

use crate::model::{Api, HttpMethod, KeySetOperation, Operation, TypeKind, TypeRef};

/// The key-set operation of `api`, if it has one.
pub(super) fn find(api: &Api) -> Option<KeySetOperation> {
    api.resources.iter().find_map(|resource| {
        let operation = resource
            .operations
            .iter()
            .find(|operation| is_key_set(api, operation))?;
        Some(KeySetOperation {
            accessor: resource.accessor.clone(),
            method: operation.method_name.clone(),
        })
    })
}

fn is_key_set(api: &Api, operation: &Operation) -> bool {
    let last_segment = operation.path.rsplit('/').next().unwrap_or_default();
    let takes_nothing = operation.path_params.is_empty()
        && operation.body.is_none()
        && operation.header_params.iter().all(|param| !param.required)
        && !operation.response_optional
        && operation.redirect_statuses.is_empty()
        && operation
            .query
            .as_ref()
            .is_none_or(|query| !has_required_field(api, query));
    operation.http_method == HttpMethod::Get
        && matches!(last_segment, "jwks" | "jwks.json")
        && takes_nothing
        && operation.response.as_ref().is_some_and(|ty| has_keys_array(api, ty))
}

/// Whether the struct `name` has a required field: a query every call must fill in.
fn has_required_field(api: &Api, name: &str) -> bool {
    match api.types.iter().find(|def| def.name == name).map(|def| &def.kind) {
        Some(TypeKind::Struct(def)) => def.fields.iter().any(|field| field.required),
        _ => false,
    }
}

/// Whether `ty` is a struct with a `keys` field that is an array.
fn has_keys_array(api: &Api, ty: &TypeRef) -> bool {
    let TypeRef::Named(name) = ty else { return false };
    let Some(TypeKind::Struct(def)) = api.types.iter().find(|def| &def.name == name).map(|def| &def.kind) else {
        return false;
    };
    def.fields
        .iter()
        .any(|field| field.wire_name == "keys" && matches!(field.ty, TypeRef::Vec(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn key_set_of(paths: &str) -> Option<KeySetOperation> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n    Jwks:\n      type: object\n      properties:\n        keys: {{type: array, items: {{type: object, properties: {{kid: {{type: string}}}}}}}}\n    NotKeys:\n      type: object\n      properties:\n        key: {{type: string}}\n"
        );
        let lowered = crate::lower(&spec, &Config::default()).unwrap_or_else(|e| panic!("{e}\n{spec}"));
        lowered.api.key_set
    }

    fn get(path: &str, extra: &str, schema: &str) -> String {
        format!(
            "  {path}:\n    get:\n      operationId: op{}\n{extra}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n",
            path.len()
        )
    }

    #[test]
    fn a_get_of_a_key_set_is_found_by_its_path_and_response() {
        let found = key_set_of(&get("/jwks", "", "Jwks")).expect("found");
        assert_eq!((found.accessor.as_str(), found.method.as_str()), ("jwks", "op5"));
        assert!(key_set_of(&get("/.well-known/jwks.json", "", "Jwks")).is_some());
    }

    #[test]
    fn other_paths_responses_and_arguments_are_not_a_key_set() {
        assert_eq!(key_set_of(&get("/keys", "", "Jwks")), None, "another path");
        assert_eq!(key_set_of(&get("/jwks", "", "NotKeys")), None, "no keys array");
        let required_query =
            "      parameters:\n        - {name: id, in: query, required: true, schema: {type: string}}\n";
        assert_eq!(
            key_set_of(&get("/jwks", required_query, "Jwks")),
            None,
            "a required argument"
        );
        let optional_query = "      parameters:\n        - {name: id, in: query, schema: {type: string}}\n";
        assert!(
            key_set_of(&get("/jwks", optional_query, "Jwks")).is_some(),
            "an optional one is fine"
        );
        assert_eq!(
            key_set_of(&get(
                "/{id}/jwks",
                "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n",
                "Jwks"
            )),
            None,
            "a path parameter"
        );
    }
}
