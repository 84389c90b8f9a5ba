//! Which operations verify an opaque machine token, so the crate's authenticator can verify API
//! keys, M2M tokens and OAuth access tokens through its client: Clerk's Backend API has
//! `POST /api_keys/verify`, `POST /m2m_tokens/verify` and
//! `POST /oauth_applications/access_tokens/verify`.
//!
//! An operation is recognised by what it is, not by its path or name: a `POST` that takes no
//! argument but a JSON body with one field for the token, and whose answer names, in its
//! `object` field's enum, the kind of token it describes (`api_key`,
//! `machine_to_machine_token`, `clerk_idp_oauth_access_token`: Clerk's objects). The token's
//! field is the body's one required string field, or where none is required, its one string
//! field that is not deprecated. The first such operation of each kind in spec order is the
//! one.

use crate::model::{
    Api, HttpMethod, MachineTokenKind, MachineVerifier, Operation, StructDef, TokenField, TypeKind, TypeRef,
};

/// The `object` each kind of token's record names.
const OBJECTS: [(&str, MachineTokenKind); 3] = [
    ("api_key", MachineTokenKind::ApiKey),
    ("machine_to_machine_token", MachineTokenKind::M2mToken),
    ("clerk_idp_oauth_access_token", MachineTokenKind::OAuthToken),
];

/// The machine-token verify operations of `api`, at most one per kind.
pub(super) fn find(api: &Api) -> Vec<MachineVerifier> {
    let mut found: Vec<MachineVerifier> = Vec::new();
    for resource in &api.resources {
        for operation in &resource.operations {
            let Some((kind, body, token_field)) = verifier_of(api, operation) else {
                continue;
            };
            if found.iter().all(|verifier| verifier.kind != kind) {
                found.push(MachineVerifier {
                    kind,
                    accessor: resource.accessor.clone(),
                    method: operation.method_name.clone(),
                    body,
                    token_field,
                });
            }
        }
    }
    found
}

/// The kind, body type and token field of `operation`, if it verifies a machine token.
fn verifier_of(api: &Api, operation: &Operation) -> Option<(MachineTokenKind, String, TokenField)> {
    let takes_only_a_body = operation.path_params.is_empty()
        && operation.header_params.iter().all(|param| !param.required)
        && operation.query.as_ref().is_none_or(|query| {
            struct_named(api, query).is_none_or(|def| def.fields.iter().all(|field| !field.required))
        });
    if operation.http_method != HttpMethod::Post || !takes_only_a_body || operation.response_optional {
        return None;
    }
    let body = operation.body.as_ref()?;
    let TypeRef::Named(body_type) = &body.ty else {
        return None;
    };
    let def = struct_named(api, body_type).filter(|def| !def.multipart)?;
    let kind = kind_of(api, operation.response.as_ref()?, 0)?;
    Some((kind, body_type.clone(), token_field(def)?))
}

/// The struct named `name`, if it is one.
fn struct_named<'a>(api: &'a Api, name: &str) -> Option<&'a StructDef> {
    match api.types.iter().find(|def| def.name == name).map(|def| &def.kind) {
        Some(TypeKind::Struct(def)) => Some(def),
        _ => None,
    }
}

/// The kind of token a response describes: by its `object` enum, or by the first variant of a
/// union that has one.
fn kind_of(api: &Api, response: &TypeRef, depth: usize) -> Option<MachineTokenKind> {
    let TypeRef::Named(name) = response else {
        return None;
    };
    match &api.types.iter().find(|def| &def.name == name)?.kind {
        TypeKind::Struct(def) => {
            let object = def.fields.iter().find(|field| field.wire_name == "object")?;
            let TypeRef::Named(enum_name) = &object.ty else {
                return None;
            };
            let Some(TypeKind::Enum(values)) = api.types.iter().find(|def| &def.name == enum_name).map(|def| &def.kind)
            else {
                return None;
            };
            values.variants.iter().find_map(|value| {
                OBJECTS
                    .iter()
                    .find(|(object, _)| *object == value.wire)
                    .map(|(_, kind)| *kind)
            })
        }
        TypeKind::Untagged(union) if depth < 4 => union
            .variants
            .iter()
            .find_map(|variant| kind_of(api, &variant.ty, depth + 1)),
        TypeKind::Union(union) if depth < 4 => union
            .variants
            .iter()
            .find_map(|variant| kind_of(api, &TypeRef::Named(variant.ty.clone()), depth + 1)),
        _ => None,
    }
}

/// The field of a verify body that carries the token.
fn token_field(def: &StructDef) -> Option<TokenField> {
    let required: Vec<_> = def.fields.iter().filter(|field| field.required).collect();
    let field = match required.as_slice() {
        [only] => *only,
        [] => {
            let mut candidates = def
                .fields
                .iter()
                .filter(|field| !field.deprecated && field.ty == TypeRef::String);
            let only = candidates.next()?;
            candidates.next().is_none().then_some(only)?
        }
        _ => return None,
    };
    (field.ty == TypeRef::String).then(|| TokenField {
        wire_name: field.wire_name.clone(),
        setter: (!field.required).then(|| def.setter(field)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    /// The verifiers of a spec with one `POST` at `path`, with `body` and an answer whose
    /// `object` is one of `objects`.
    fn verifiers(path: &str, body: &str, objects: &str) -> Vec<MachineVerifier> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  {path}:\n    post:\n      operationId: verifyThing\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {body}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  object: {{type: string, enum: [{objects}]}}\n                  subject: {{type: string}}\n"
        );
        let lowered = crate::lower(&spec, &Config::default()).unwrap_or_else(|e| panic!("{e}\n{spec}"));
        lowered.api.machine_verifiers
    }

    #[test]
    fn a_verify_operation_is_found_by_its_answer_and_its_body() {
        let found = verifiers(
            "/keys/check",
            "{type: object, required: [secret], properties: {secret: {type: string}}}",
            "api_key",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, MachineTokenKind::ApiKey);
        assert_eq!(
            (found[0].accessor.as_str(), found[0].method.as_str()),
            ("keys", "verify_thing")
        );
        assert_eq!(
            found[0].token_field,
            TokenField {
                wire_name: "secret".to_owned(),
                setter: None
            }
        );
        // An optional token field, beside a deprecated one, is set by its setter.
        let found = verifiers(
            "/tokens/verify",
            "{type: object, properties: {access_token: {type: string}, secret: {type: string, deprecated: true}}}",
            "clerk_idp_oauth_access_token",
        );
        assert_eq!(found[0].kind, MachineTokenKind::OAuthToken);
        assert_eq!(found[0].token_field.setter.as_deref(), Some("access_token"));
    }

    #[test]
    fn other_answers_and_bodies_are_not_a_verify_operation() {
        let one_field = "{type: object, required: [token], properties: {token: {type: string}}}";
        assert!(verifiers("/x", one_field, "user").is_empty(), "another object");
        let two_required = "{type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}";
        assert!(
            verifiers("/x", two_required, "api_key").is_empty(),
            "two required fields"
        );
        let two_optional = "{type: object, properties: {a: {type: string}, b: {type: string}}}";
        assert!(
            verifiers("/x", two_optional, "api_key").is_empty(),
            "which one is the token?"
        );
        let number = "{type: object, required: [n], properties: {n: {type: integer}}}";
        assert!(verifiers("/x", number, "api_key").is_empty(), "not a string");
        let found = verifiers("/x", one_field, "machine_to_machine_token");
        assert_eq!(found[0].kind, MachineTokenKind::M2mToken);
    }
}
