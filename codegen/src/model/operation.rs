//! Operations as the emitters see them: methods, parameters, bodies, security.

use super::TypeRef;
use crate::error::Pointer;

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
    /// Required query parameters whose schema allows one value only, sent with every call
    /// rather than asked for: wire name and value, in spec order.
    pub query_constants: Vec<(String, String)>,
    /// How the operation pages, for a list operation.
    pub pagination: Option<super::Pagination>,
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
    /// The security requirements, as indexes into [`Api::schemes`](super::Api::schemes): alternatives (any one
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
