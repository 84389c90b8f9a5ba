//! The resolved model the emitters work from: named types and grouped operations.
//!
//! Everything here is already decided: every `$ref` is resolved, every inline schema has a
//! unique Rust name, and every field knows its Rust representation. The emitters only turn this
//! into tokens; they make no decisions about the spec.

mod operation;
mod pagination;
mod rust_type;

pub use operation::*;
pub use pagination::*;
pub use rust_type::*;

use crate::error::Pointer;
use crate::names::{Scope, unraw};

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.license`, when its name is an SPDX license expression (`MIT`).
    pub license: Option<String>,
    /// The name of the marker type that describes the API to the runtime, from the title:
    /// `ClerkBackendApi`.
    pub marker: String,
    /// The value of the `Clerk-API-Version` header: `info.version` when it is a date
    /// (`2025-11-10`), as the Backend API's versions are; `None` sends no version header.
    pub version_header: Option<String>,
    /// The first entry of `servers` when its URL is absolute and has no variables to fill in;
    /// otherwise every client must be given a server URL.
    pub default_server: Option<String>,
    /// The first entry of `servers` as written, empty when there is none.
    pub server_template: String,
    /// The security schemes, in `components.securitySchemes` order.
    pub schemes: Vec<SecuritySchemeDef>,
    /// Indexes of the schemes every operation that needs credentials needs, in all of its
    /// alternatives: a client cannot be built without them.
    pub required_schemes: Vec<usize>,
    /// The scheme `from_env` fills from `CLERK_SECRET_KEY`: the only required scheme, when it is
    /// a bearer token.
    pub env_scheme: Option<usize>,
    /// Every type reachable from an operation, sorted by name.
    pub types: Vec<TypeDef>,
    /// The type error responses decode into (the configured error schema's type); `None` for a
    /// crate whose operations map no error response.
    pub error_type: Option<String>,
    /// Operations grouped by resource, in the order their first operation appears in the spec.
    pub resources: Vec<Resource>,
    /// The list envelopes list operations return, sorted by name: each gets an `IntoPage`
    /// implementation.
    pub envelopes: Vec<Envelope>,
    /// The webhook events the spec declares (`webhooks`, `x-webhooks`), in spec order.
    pub webhooks: Vec<Webhook>,
    /// The operation that answers the instance's JSON Web Key Set, if the spec has one: the
    /// crate's client then verifies session tokens with it (`Clerk::authenticator`).
    pub key_set: Option<KeySetOperation>,
    /// The operations that verify an opaque machine token, one per kind at most, in spec
    /// order: the crate's authenticator then verifies those tokens through the client.
    pub machine_verifiers: Vec<MachineVerifier>,
}

/// The operation that answers a JSON Web Key Set (RFC 7517): Clerk's `GET /jwks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetOperation {
    /// Its resource's accessor on the client: `jwks`.
    pub accessor: String,
    /// Its method on the resource handle: `get_jwks`.
    pub method: String,
}

/// A kind of machine token a verify operation answers for, told by the `object` its answer
/// names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineTokenKind {
    /// `api_key`.
    ApiKey,
    /// `machine_to_machine_token`.
    M2mToken,
    /// `clerk_idp_oauth_access_token`.
    OAuthToken,
}

/// An operation that verifies an opaque machine token: Clerk's `POST /api_keys/verify`,
/// `POST /m2m_tokens/verify` and `POST /oauth_applications/access_tokens/verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineVerifier {
    /// The kind of token it verifies.
    pub kind: MachineTokenKind,
    /// Its resource's accessor on the client: `api_keys`.
    pub accessor: String,
    /// Its method on the resource handle: `verify_api_key`.
    pub method: String,
    /// The request body's type: `VerifyApiKeyRequest`.
    pub body: String,
    /// The body's field the token goes in.
    pub token_field: TokenField,
}

/// The field of a verify operation's body that carries the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenField {
    /// Its JSON name: `secret`.
    pub wire_name: String,
    /// Its setter, when it is optional; `None` when it is the constructor's one argument.
    pub setter: Option<String>,
}

/// A webhook event: a request the API sends, rather than one it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Its key in `webhooks`, which is the event's type: `user.created`.
    pub key: String,
    /// The variant of the events enum: `UserCreated`.
    pub variant: String,
    /// The payload's type.
    pub ty: TypeRef,
    /// The operation's summary or description.
    pub doc: Option<String>,
    /// The spec's example payload, if it has one.
    pub example: Option<serde_json::Value>,
    /// Where it is declared.
    pub pointer: Pointer,
}

impl Api {
    /// Number of operations over all resources.
    pub fn operation_count(&self) -> usize {
        self.resources.iter().map(|r| r.operations.len()).sum()
    }
}

/// A named Rust type generated from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name, unique in the models module.
    pub name: String,
    /// The schema's description.
    pub doc: Option<String>,
    /// Where the schema is defined.
    pub pointer: Pointer,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enum, open: unknown values are kept.
    Enum(EnumDef),
    /// A `oneOf` with a discriminator, open: unknown tags keep their raw JSON.
    Union(UnionDef),
    /// A `oneOf`/`anyOf` without a discriminator, open: the variant is chosen by the value's
    /// shape, and a value that fits none keeps its raw JSON.
    Untagged(UntaggedDef),
}

/// An untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedDef {
    /// Variants, most specific shape first: the order they are tried in.
    pub variants: Vec<UntaggedVariant>,
    /// Name of the variant that keeps a value no variant fits.
    pub fallback: String,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The payload type.
    pub ty: TypeRef,
    /// What a value must look like to be tried as this variant.
    pub shape: Shape,
}

/// The JSON shape that selects an untagged variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// An object with these properties, and these properties set to these values (the only
    /// value of a one-value enum, such as `"object": "token"`).
    Object {
        /// Properties that must be present.
        required: Vec<String>,
        /// Properties that must have exactly this string value.
        constants: Vec<(String, String)>,
    },
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// An array.
    Array,
    /// Anything.
    Any,
}

impl Shape {
    /// How narrowly the shape selects values; variants are tried from the most specific.
    pub fn specificity(&self) -> (usize, usize) {
        match self {
            Shape::Object { required, constants } => (constants.len() + 1, required.len() + 1),
            Shape::String | Shape::Boolean | Shape::Integer | Shape::Array => (1, 0),
            Shape::Number => (0, 1),
            Shape::Any => (0, 0),
        }
    }
}

/// A struct generated from an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// The type appears (directly or nested) in a request body, so its optional nullable
    /// fields are three-state.
    pub used_in_request: bool,
    /// The type appears (directly or nested) in a response body, success or error, so the
    /// lenient decoder may fill its required fields.
    pub used_in_response: bool,
    /// The type is a `multipart/form-data` body: sent as form parts, not JSON.
    pub multipart: bool,
}

impl StructDef {
    /// The builder method that sets `field`, one of this struct's fields: the field's Rust name,
    /// except for a field named `new`, whose setter is `set_new` (numbered if another field
    /// already has that name), since `new` is the constructor.
    pub fn setter(&self, field: &Field) -> String {
        if unraw(&field.rust_name) != "new" {
            return field.rust_name.clone();
        }
        Scope::with_reserved(self.fields.iter().map(|f| unraw(&f.rust_name))).claim("set_new")
    }
}

/// One property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire_name: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    /// The property's description.
    pub doc: Option<String>,
    /// The value's type, without the optionality wrapper.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// Marked `nullable: true`.
    pub nullable: bool,
    /// How the field is represented in Rust: decided in lowering, once it is known whether
    /// its struct is sent in a request.
    pub presence: Presence,
    /// The spec's `example` for the property, if any.
    pub example: Option<serde_json::Value>,
    /// What the spec requires of the values sent in it, checked before a request is sent.
    pub constraints: Vec<Constraint>,
    /// A string's `format` (`uri`, `email`, `date-time`, ...), which the examples follow.
    pub format: Option<String>,
    /// Marked `deprecated: true`: another field takes its place.
    pub deprecated: bool,
}

/// A constraint of the spec on a value: the runtime's `Rule` of the same name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint {
    /// `minimum`.
    Minimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `minimum` with `exclusiveMinimum: true`.
    Above(f64),
    /// `maximum` with `exclusiveMaximum: true`.
    Below(f64),
    /// `minLength`.
    MinLength(u64),
    /// `maxLength`.
    MaxLength(u64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
}

/// How a field's optionality and nullability map to Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, serialized as `null` when `None`.
    RequiredNullable,
    /// Optional: `Option<T>`, left out when `None`. Also used for optional nullable fields of
    /// response-only types, where absent and `null` mean the same to a reader.
    Optional,
    /// Optional and nullable in a request: `Nullable<T>`, which tells apart not sent, sent as
    /// `null` and sent with a value.
    ThreeState,
}

impl Presence {
    /// The representation of a field that is `required` and `nullable` or not, in a struct
    /// that is sent in a request (`in_request`) or only received, by the rules above.
    pub fn of(required: bool, nullable: bool, in_request: bool) -> Presence {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if in_request => Presence::ThreeState,
            (false, _) => Presence::Optional,
        }
    }

    /// Whether the field must be given to build its struct: it has no absent state.
    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }
}

impl Field {
    /// The field's Rust type, with the wrapper its presence gives it: `T`, `Option<T>` or
    /// `Nullable<T>`.
    pub fn rust_type(&self) -> RustType {
        let ty = self.ty.rust();
        match self.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional => RustType::generic(OPTION, vec![ty]),
            Presence::ThreeState => RustType::generic(NULLABLE, vec![ty]),
        }
    }
}

/// An open string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps unknown values.
    pub fallback: String,
    /// The spec allows values it does not list (`x-speakeasy-unknown-values: allow`), so one
    /// is no deviation, even in strict mode.
    pub unknown_allowed: bool,
}

/// One known value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub rust_name: String,
}

/// A tagged, open union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The discriminator property, such as `object`.
    pub tag_field: String,
    /// Known variants in spec order.
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps an unknown tag's raw JSON.
    pub fallback: String,
}

/// One known variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The tag value that selects it.
    pub tag: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The payload type (always a named struct).
    pub ty: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_from_path_item_keys() {
        assert_eq!(HttpMethod::from_key("patch"), Some(HttpMethod::Patch));
        assert_eq!(HttpMethod::from_key("PATCH"), None);
        assert_eq!(HttpMethod::from_key("query"), None);
        assert_eq!(HttpMethod::Delete.to_string(), "DELETE");
        assert!(HttpMethod::Patch.is_idempotent() && !HttpMethod::Post.is_idempotent());
    }

    #[test]
    fn the_setter_of_new_avoids_the_constructor_and_other_fields() {
        let field = |name: &str| Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            doc: None,
            ty: TypeRef::Bool,
            required: false,
            nullable: false,
            presence: Presence::Optional,
            example: None,
            constraints: Vec::new(),
            format: None,
            deprecated: false,
        };
        let def = StructDef {
            fields: vec![field("new"), field("set_new"), field("code")],
            used_in_request: true,
            used_in_response: false,
            multipart: false,
        };
        let setters: Vec<String> = def.fields.iter().map(|f| def.setter(f)).collect();
        assert_eq!(setters, ["set_new2", "set_new", "code"]);
    }
}
