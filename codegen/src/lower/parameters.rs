//! Parameters: path parameters in template order, query parameters in a generated struct (with
//! their style), and header and cookie parameters.

use indexmap::IndexMap;
use openapiv3::{Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Schema};

use super::constraints;
use super::operations::OperationLowerer;
use super::pagination::{self, QueryFacts};
use super::refs::follow;
use super::styles::{self, Place};
use super::types::Lowered;
use super::{path_placeholders, security};
use crate::error::{Error, Pointer};
use crate::model::{
    Field, HeaderParam, KeyLocation, PathParam, Presence, SchemeKind, StructDef, Style, TypeKind, TypeRef,
};
use crate::names::{Scope, snake_name, type_name};

/// Headers the runtime sets on every request (or may): a parameter must not replace them.
/// OpenAPI itself says `Accept`, `Content-Type` and `Authorization` parameters are ignored.
const RUNTIME_HEADERS: &[&str] = &[
    "Accept",
    "Authorization",
    "Clerk-API-Version",
    "Content-Length",
    "Content-Type",
    "Cookie",
    "Host",
];

/// Parameters of one place by name, each resolved, with its pointer.
type ByName<'a> = IndexMap<String, (Pointer, &'a Parameter)>;

/// Parameters keyed by name in each place they go, resolved, each with its pointer: later
/// ones (the operation's) replace earlier ones (the path item's) of the same name and place.
#[derive(Default)]
struct ByPlace<'a> {
    path: IndexMap<String, (Pointer, &'a Parameter)>,
    query: IndexMap<String, (Pointer, &'a Parameter)>,
    /// Header names are case-insensitive, so they are keyed in lower case.
    headers: IndexMap<(KeyLocation, String), (Pointer, &'a Parameter)>,
}

/// An operation's parameters, lowered.
pub(super) struct Parameters {
    /// Path parameters in template order.
    pub(super) path: Vec<PathParam>,
    /// The query struct's name, if the operation has query parameters.
    pub(super) query: Option<String>,
    /// Query parameters sent in another style than one pair per array item.
    pub(super) query_styles: Vec<(String, Style)>,
    /// Required query parameters with one allowed value, sent by every call: name and value.
    pub(super) query_constants: Vec<(String, String)>,
    /// What pagination needs to know of each query parameter, constants included.
    pub(super) query_facts: Vec<QueryFacts>,
    /// Header and cookie parameters, in spec order.
    pub(super) headers: Vec<HeaderParam>,
}

impl<'a> OperationLowerer<'_, 'a> {
    /// Lowers the operation's parameters: path parameters in template order, query parameters
    /// gathered into a generated `{OperationId}Query` struct, and header and cookie parameters.
    pub(super) fn lower_parameters(
        &mut self,
        path: &str,
        item: &'a PathItem,
        operation: &'a SpecOperation,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Parameters, Error> {
        let ByPlace {
            path: path_params,
            query: query_params,
            headers: header_params,
        } = self.parameters_by_place(path, item, operation, pointer)?;
        let path = self.lower_path_params(path, path_params, operation_id, pointer)?;
        let query_facts = self.query_facts(&query_params);
        let (query_constants, query_params) = self.split_constants(query_params);
        let (query, query_styles) = if query_params.is_empty() {
            (None, Vec::new())
        } else {
            let (name, styles) = self.lower_query(query_params, operation_id, pointer)?;
            (Some(name), styles)
        };
        let mut headers = Vec::with_capacity(header_params.len());
        for ((location, _), (param_pointer, parameter)) in header_params {
            headers.push(self.lower_header_param(location, parameter, operation_id, &param_pointer)?);
        }
        Ok(Parameters {
            path,
            query,
            query_styles,
            query_constants,
            query_facts,
            headers,
        })
    }

    /// A query parameter's schema, resolved; `None` for one with `content`, or a `$ref` that
    /// leads nowhere (which lowering its type reports).
    fn query_schema(&self, parameter: &'a Parameter) -> Option<&'a Schema> {
        let ParameterSchemaOrContent::Schema(slot) = &parameter.parameter_data_ref().format else {
            return None;
        };
        follow(self.spec, slot, &Pointer::root())
            .ok()
            .map(|(_, schema, _)| schema)
    }

    /// What pagination needs to know of the query parameters.
    fn query_facts(&self, params: &IndexMap<String, (Pointer, &'a Parameter)>) -> Vec<QueryFacts> {
        params
            .iter()
            .map(|(name, (_, parameter))| pagination::facts(name, self.query_schema(parameter)))
            .collect()
    }

    /// Takes the required query parameters with one allowed value out of `params`: the
    /// operation sends them itself, so no caller has to.
    fn split_constants(&self, params: ByName<'a>) -> (Vec<(String, String)>, ByName<'a>) {
        let mut constants = Vec::new();
        let mut rest = IndexMap::with_capacity(params.len());
        for (name, (pointer, parameter)) in params {
            let value = parameter
                .parameter_data_ref()
                .required
                .then(|| self.query_schema(parameter).and_then(constraints::constant))
                .flatten();
            match value {
                Some(value) => constants.push((name, value)),
                None => {
                    rest.insert(name, (pointer, parameter));
                }
            }
        }
        (constants, rest)
    }

    /// The parameters of the path item and of the operation, which overrides those of the
    /// same name and place.
    fn parameters_by_place(
        &self,
        path: &str,
        item: &'a PathItem,
        operation: &'a SpecOperation,
        pointer: &Pointer,
    ) -> Result<ByPlace<'a>, Error> {
        let path_pointer = Pointer::root().join("paths").join(path);
        let item_params = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (path_pointer.join("parameters").join(i.to_string()), p));
        let op_params = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (pointer.join("parameters").join(i.to_string()), p));
        let mut by_place = ByPlace::default();
        for (param_pointer, slot) in item_params.chain(op_params) {
            let (param_pointer, parameter, _) = follow(self.spec, slot, &param_pointer)?;
            let name = parameter.parameter_data_ref().name.clone();
            // An operation's parameter replaces the path item's of the same name and place.
            let entry = (param_pointer, parameter);
            match parameter {
                Parameter::Path { .. } => {
                    by_place.path.insert(name, entry);
                }
                Parameter::Query { .. } => {
                    by_place.query.insert(name, entry);
                }
                Parameter::Header { .. } => {
                    by_place
                        .headers
                        .insert((KeyLocation::Header, name.to_ascii_lowercase()), entry);
                }
                Parameter::Cookie { .. } => {
                    by_place.headers.insert((KeyLocation::Cookie, name), entry);
                }
            }
        }
        Ok(by_place)
    }

    /// A header or cookie parameter: a scalar, with a name that can be sent and that does not
    /// take over a header or cookie the runtime owns.
    fn lower_header_param(
        &mut self,
        location: KeyLocation,
        parameter: &'a Parameter,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<HeaderParam, Error> {
        let data = parameter.parameter_data_ref();
        let name = &data.name;
        security::check_wire_name(name, location, &pointer.join("name"))?;
        if let Some(reason) = self.owned_by_runtime(location, name) {
            return Err(Error::unsupported(pointer, reason));
        }
        let hint = format!("{operation_id}{}", type_name(name));
        let (lowered, example) = self.parameter_schema(parameter, &hint, pointer)?;
        let is_float = matches!(lowered.ty, TypeRef::F32 | TypeRef::F64);
        if is_float || !self.types.is_scalar(&lowered.ty) {
            let kind = if location == KeyLocation::Header {
                "header"
            } else {
                "cookie"
            };
            return Err(Error::unsupported(
                pointer,
                format!("a {kind} parameter must be a string, a string enum, an integer or a boolean"),
            ));
        }
        Ok(HeaderParam {
            wire_name: name.clone(),
            rust_name: snake_name(name),
            location,
            doc: data.description.clone(),
            ty: lowered.ty,
            required: data.required,
            example,
        })
    }

    /// Why a parameter may not be sent as header or cookie `name`, if it may not: the runtime
    /// sets the credentials, the framing of the body, the API version and the `Cookie` header
    /// itself, and an API key's header or cookie is its scheme's.
    fn owned_by_runtime(&self, location: KeyLocation, name: &str) -> Option<String> {
        let key_scheme = self.settings.schemes.iter().find(|scheme| {
            matches!(&scheme.kind, SchemeKind::ApiKey { location: key_location, name: key_name }
                if *key_location == location && key_name.eq_ignore_ascii_case(name))
        });
        if let Some(scheme) = key_scheme {
            return Some(format!(
                "`{name}` carries the credential of security scheme `{}`; a parameter cannot set it",
                scheme.name
            ));
        }
        let owned =
            location == KeyLocation::Header && RUNTIME_HEADERS.iter().any(|owned| owned.eq_ignore_ascii_case(name));
        owned.then(|| format!("`{name}` is a header the SDK sets itself; a parameter cannot set it"))
    }

    /// The schema of a parameter, and the parameter's example (or its schema's).
    fn parameter_schema(
        &mut self,
        parameter: &'a Parameter,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<(Lowered, Option<serde_json::Value>), Error> {
        let data = parameter.parameter_data_ref();
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let mut example = data.example.clone();
                if let ReferenceOr::Item(schema) = schema {
                    example = example.or_else(|| schema.schema_data.example.clone());
                }
                Ok((self.types.lower(schema.into(), hint, &pointer.join("schema"))?, example))
            }
            ParameterSchemaOrContent::Content(_) => Err(Error::unsupported(
                pointer,
                "parameters with `content` are not supported",
            )),
        }
    }

    fn lower_path_params(
        &mut self,
        path: &str,
        mut by_name: IndexMap<String, (Pointer, &'a Parameter)>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Vec<PathParam>, Error> {
        let mut arg_names = Scope::new();
        let mut params = Vec::new();
        for placeholder in path_placeholders(path, pointer)? {
            let (param_pointer, parameter) = by_name.shift_remove(&placeholder).ok_or_else(|| {
                Error::unsupported(
                    pointer,
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                )
            })?;
            let hint = format!("{operation_id}{}", type_name(&placeholder));
            let (lowered, example) = self.parameter_schema(parameter, &hint, &param_pointer)?;
            let is_enum = matches!(self.types.kind(&lowered.ty), Some(TypeKind::Enum(_)));
            if !(is_enum || matches!(lowered.ty, TypeRef::String | TypeRef::I32 | TypeRef::I64)) {
                return Err(Error::unsupported(
                    &param_pointer,
                    "a path parameter must be a string, a string enum or an integer",
                ));
            }
            let data = parameter.parameter_data_ref();
            params.push(PathParam {
                rust_name: arg_names.claim(&snake_name(&data.name)),
                wire_name: data.name.clone(),
                doc: data.description.clone(),
                ty: lowered.ty,
                example,
            });
        }
        if let Some((name, (param_pointer, _))) = by_name.first() {
            return Err(Error::unsupported(
                param_pointer,
                format!("path parameter `{name}` does not appear in the path `{path}`"),
            ));
        }
        Ok(params)
    }

    /// Defines `{OperationId}Query`, a struct with one field per query parameter. Values must be
    /// scalars or arrays of scalars, which the runtime sends as `name=value` pairs (arrays as
    /// repeated names).
    fn lower_query(
        &mut self,
        params: IndexMap<String, (Pointer, &'a Parameter)>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<(String, Vec<(String, Style)>), Error> {
        let query_pointer = pointer.join("parameters");
        let mut styles = Vec::new();
        let name = self.types.claim(&format!("{operation_id}Query"), &query_pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(params.len());
        for (wire_name, (param_pointer, parameter)) in params {
            let hint = format!("{name}{}", type_name(&wire_name));
            let (lowered, example) = self.parameter_schema(parameter, &hint, &param_pointer)?;
            if let Some(style) = self.query_style(parameter, &lowered.ty, &param_pointer)? {
                styles.push((wire_name.clone(), style));
            }
            let data = parameter.parameter_data_ref();
            let schema = self.query_schema(parameter);
            let constraints = schema.map(constraints::of).unwrap_or_default();
            let format = schema.and_then(constraints::string_format);
            fields.push(Field {
                rust_name: field_names.claim(&snake_name(&wire_name)),
                wire_name,
                doc: data.description.clone(),
                ty: lowered.ty,
                required: data.required,
                nullable: lowered.nullable,
                presence: Presence::of(data.required, lowered.nullable, false),
                example,
                constraints,
                format,
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        let doc = format!("The query parameters of `{operation_id}`. Unset fields are not sent.");
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            used_in_response: false,
            multipart: false,
        });
        self.types.define(&name, Some(doc), &query_pointer, kind);
        Ok((name, styles))
    }

    /// How a query parameter of type `ty` is sent, from its `style` and `explode`.
    fn query_style(&self, parameter: &Parameter, ty: &TypeRef, pointer: &Pointer) -> Result<Option<Style>, Error> {
        let Parameter::Query { style, .. } = parameter else {
            return Ok(None);
        };
        let shape = self.types.value_shape(ty).ok_or_else(|| {
            Error::unsupported(
                pointer,
                "a query parameter must be a scalar or an array of scalars (objects only with `style: deepObject`)",
            )
        })?;
        let explode = parameter.parameter_data_ref().explode;
        styles::decide(style, explode, shape, Place::Query).map_err(|reason| Error::unsupported(pointer, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::super::operations::with_lowerer;
    use super::super::test_spec;
    use super::*;

    /// Lowers `GET /a/{id}`'s parameters in a spec with a header API key `X-Key`.
    fn parameters(parameters: &str) -> Result<Parameters, Error> {
        let spec = test_spec(&format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n{parameters}      responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    Key: {{type: apiKey, in: header, name: X-Key}}\n"
        ));
        let item = spec.paths.paths["/a/{id}"].as_item().expect("an item");
        let operation = item.get.as_ref().expect("get");
        with_lowerer(&spec, None, |lowerer| {
            lowerer.lower_parameters("/a/{id}", item, operation, "GetA", &Pointer::root().join("op"))
        })
    }

    #[test]
    fn header_and_cookie_parameters_are_scalars_with_names_that_can_be_sent() {
        let lowered = parameters(
            "        - {name: Origin, in: header, schema: {type: string}}\n        - {name: session, in: cookie, required: true, schema: {type: integer}}\n",
        )
        .expect("lowers");
        let headers: Vec<(&str, KeyLocation, &TypeRef, bool)> = lowered
            .headers
            .iter()
            .map(|p| (p.wire_name.as_str(), p.location, &p.ty, p.required))
            .collect();
        assert_eq!(
            headers,
            [
                ("Origin", KeyLocation::Header, &TypeRef::String, false),
                ("session", KeyLocation::Cookie, &TypeRef::I64, true),
            ]
        );
        assert_eq!(lowered.path.len(), 1);
        let error = |parameter: &str| parameters(parameter).err().map(|e| e.to_string());
        assert_eq!(
            error("        - {name: content-type, in: header, schema: {type: string}}\n").as_deref(),
            Some("#/op/parameters/1: `content-type` is a header the SDK sets itself; a parameter cannot set it")
        );
        assert_eq!(
            error("        - {name: x-key, in: header, schema: {type: string}}\n").as_deref(),
            Some(
                "#/op/parameters/1: `x-key` carries the credential of security scheme `Key`; a parameter cannot set it"
            )
        );
        assert_eq!(
            error("        - {name: ratio, in: header, schema: {type: number}}\n").as_deref(),
            Some("#/op/parameters/1: a header parameter must be a string, a string enum, an integer or a boolean")
        );
    }

    #[test]
    fn query_parameters_keep_their_styles() {
        let lowered = parameters(
            "        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}\n        - {name: q, in: query, schema: {type: string}}\n",
        )
        .expect("lowers");
        assert_eq!(lowered.query.as_deref(), Some("GetAQuery"));
        assert_eq!(lowered.query_styles, [("ids".to_owned(), Style::Comma)]);
    }
}
