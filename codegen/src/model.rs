//! The resolved model the emitters work from: named types and grouped operations.
//!
//! Everything here is already decided: every `$ref` is resolved, every inline schema has a
//! unique Rust name, and every field knows its Rust representation. The emitters only turn this
//! into tokens; they make no decisions about the spec.

use crate::error::Pointer;
use crate::names::{Scope, unraw};

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
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
    /// standalone crate whose operations map no error response.
    pub error_type: Option<String>,
    /// Operations grouped by resource, in the order their first operation appears in the spec.
    pub resources: Vec<Resource>,
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
    /// How `field`, one of this struct's fields, is represented, from the rules documented on
    /// [`Presence`]: by whether it is required and nullable, and whether the struct is sent.
    pub fn presence(&self, field: &Field) -> Presence {
        match (field.required, field.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if self.used_in_request => Presence::ThreeState,
            (false, _) => Presence::Optional,
        }
    }

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
    /// The spec's `example` for the property, if any.
    pub example: Option<serde_json::Value>,
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

/// An open string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps unknown values.
    pub fallback: String,
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

/// A reference to a Rust type, as used by fields, bodies and responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// File contents (`format: binary`), sent as a multipart file part.
    Binary,
    /// Raw bytes: an `application/octet-stream` body, `Vec<u8>`.
    Bytes,
    /// Any JSON value: `serde_json::Value`.
    Json,
    /// A free-form JSON object: `serde_json::Map<String, Value>`.
    JsonMap,
    /// An object whose values all have one type: `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Vec<T>`
    Vec(Box<TypeRef>),
    /// `Box<T>`: a field whose type contains the field's own struct, which Rust can lay out
    /// only behind a pointer.
    Boxed(Box<TypeRef>),
    /// A generated type, by name.
    Named(String),
}

/// The HTTP methods an OpenAPI 3.0 path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// The method as a path item's key spells it (`get`, `post`, ...), if it is one.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as it goes on the wire: `GET`, `POST`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether sending a request twice is taken to have the effect of sending it once, which
    /// decides what the runtime may retry after the request was sent: every method but POST.
    /// (RFC 9110 does not count PATCH as idempotent; Clerk's PATCH operations set fields, and
    /// the SDK has always retried them.)
    pub fn is_idempotent(self) -> bool {
        self != HttpMethod::Post
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A security scheme: a kind of credential the builder takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecuritySchemeDef {
    /// Its name in `components.securitySchemes`, such as `DevBrowser`.
    pub name: String,
    /// The builder method that sets it, such as `dev_browser`.
    pub setter: String,
    /// The scheme's description.
    pub doc: Option<String>,
    /// How the credential is sent.
    pub kind: SchemeKind,
}

/// How a credential is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: http `bearer`, and OAuth 2.0 and OpenID Connect access
    /// tokens.
    Bearer,
    /// `Authorization: Basic ...`: http `basic`, a user name and password.
    Basic,
    /// An API key in a header, a query parameter or a cookie.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
    },
}

/// Where an API key, or a header or cookie parameter, is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Operations that share a handle, such as `clerk.phone_numbers()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The accessor method on the client: `phone_numbers`.
    pub accessor: String,
    /// The handle's type name: `PhoneNumbers`.
    pub type_name: String,
    /// The tag's description, if the resource comes from a tag that has one.
    pub doc: Option<String>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId`, such as `CreatePhoneNumber`.
    pub id: String,
    /// The name of the operation's descriptor constant, such as `CREATE_PHONE_NUMBER`: unique in
    /// the operations module.
    pub const_name: String,
    /// The method name on the resource handle, such as `create`.
    pub method_name: String,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub path: String,
    /// Path parameters in the order they appear in the template.
    pub path_params: Vec<PathParam>,
    /// The generated struct holding the query parameters, if the operation has any.
    pub query: Option<String>,
    /// The query parameters sent in another style than one pair per array item, by wire name.
    pub query_styles: Vec<(String, Style)>,
    /// Header and cookie parameters in spec order: required ones are method arguments after
    /// the path parameters, optional ones setters on the operation's calls.
    pub header_params: Vec<HeaderParam>,
    /// The type that marks this operation's calls, when it has optional header or cookie
    /// parameters, so their setters are methods of its calls alone: `GetClientParameters`.
    pub params_marker: Option<String>,
    /// The JSON request body, if any.
    pub body: Option<Body>,
    /// The 2xx response's type; `None` when it has no content.
    pub response: Option<TypeRef>,
    /// Some 2xx response has no body beside one that has one: the call returns `Option` of
    /// the response's type, `None` for the empty one.
    pub response_optional: bool,
    /// Statuses the spec maps to the typed error, ascending.
    pub error_statuses: Vec<u16>,
    /// Documented 3xx statuses, ascending. When there are any, the operation returns
    /// `Redirected<T>`: the success value, or the redirect with its `Location`, never followed.
    pub redirect_statuses: Vec<u16>,
    /// Every error status the operation does not list maps to the typed error too: its
    /// `default` response has the error body.
    pub default_errors: bool,
    /// The media types the responses document, success ones first, without parameters: the
    /// request's `Accept` header. Never empty.
    pub accept: Vec<String>,
    /// The security requirements, as indexes into [`Api::schemes`]: alternatives (any one
    /// will do), each a set of schemes sent together. Empty when the operation needs no
    /// credentials (`security: []`, or no requirement anywhere); an empty alternative makes
    /// credentials optional.
    pub security: Vec<Vec<usize>>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Marked `deprecated: true`.
    pub deprecated: bool,
    /// Where the operation is defined.
    pub pointer: Pointer,
}

/// How a query parameter is sent, when it is not one pair per array item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`, `explode: false`: items joined by commas.
    Comma,
    /// `style: spaceDelimited`: items joined by spaces.
    Space,
    /// `style: pipeDelimited`: items joined by `|`.
    Pipe,
    /// `style: deepObject`: `name[property]=value`.
    DeepObject,
}

/// A header or cookie parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderParam {
    /// The header or cookie name, as the spec writes it.
    pub wire_name: String,
    /// The method argument (required) or the setter on the call (optional).
    pub rust_name: String,
    /// [`KeyLocation::Header`] or [`KeyLocation::Cookie`].
    pub location: KeyLocation,
    /// The parameter's description.
    pub doc: Option<String>,
    /// A scalar: `String`, an integer, `bool` or a string enum.
    pub ty: TypeRef,
    /// Marked `required: true`.
    pub required: bool,
    /// The spec's `example` for the parameter (or its schema), if any.
    pub example: Option<serde_json::Value>,
}

/// A path parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParam {
    /// The name inside `{}` in the template.
    pub wire_name: String,
    /// The Rust argument name.
    pub rust_name: String,
    /// The parameter's description.
    pub doc: Option<String>,
    /// `String` or an integer type.
    pub ty: TypeRef,
    /// The spec's `example` for the parameter (or its schema), if any.
    pub example: Option<serde_json::Value>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's type.
    pub ty: TypeRef,
    /// The request body's description.
    pub doc: Option<String>,
    /// How the body is sent.
    pub encoding: BodyEncoding,
    /// The media type it is sent as, as the spec writes it.
    pub media_type: String,
    /// The fields of a form body sent in another style than OpenAPI's default, by wire name.
    pub styles: Vec<(String, Style)>,
}

/// How a request body is sent. When an operation offers several media types, the first of
/// these it offers is used: JSON holds any shape, a form only flat ones, and bytes no structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`: the fields as `name=value` pairs.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `application/octet-stream`: the bytes as they are.
    Bytes,
}

impl TypeRef {
    /// The generated type this reference names, looking through `Vec` and maps.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }
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
            example: None,
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
