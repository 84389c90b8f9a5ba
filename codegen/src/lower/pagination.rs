//! List operations: how each pages, from Speakeasy's `x-speakeasy-pagination` where the spec
//! (or an overlay) has it, else inferred where the parameters and the response leave no doubt.
//!
//! Read in two steps. While an operation is lowered, [`declared`] and [`inferred`] read what
//! the spec says of the request (the parameters). Once every type is known, [`resolve`] finds
//! the items, the total and the cursor in the response's type, and drops (with a warning) a
//! declaration the response does not fit.
//!
//! `x-speakeasy-pagination`, as far as it is read:
//!
//! ```yaml
//! x-speakeasy-pagination:
//!   type: offsetLimit            # or cursor
//!   inputs:
//!     - {name: offset, in: parameters, type: offset}   # cursor lists: type: cursor
//!     - {name: limit, in: parameters, type: limit}
//!   outputs:
//!     results: $.data            # or $ for a bare array
//!     nextCursor: $.data[-1].id  # cursor lists: a field of the last item, or $.next_cursor
//!     totalCount: $.total_count  # this generator's addition; inferred from `total_count`
//! ```
//!
//! Inferred: a query parameter `offset` and one `limit`, both integers, and a response that is
//! an array or an object with an array field `data`.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{Schema, SchemaKind, Type};

use crate::error::Warning;
use crate::model::{Api, CursorFrom, Envelope, Field, PageBy, Pagination, Results, TypeKind, TypeRef};

/// Speakeasy's pagination extension.
const EXTENSION: &str = "x-speakeasy-pagination";
/// The field an inferred envelope keeps its items in.
const DATA: &str = "data";
/// The field an envelope keeps its total in, unless the declaration names another.
const TOTAL_COUNT: &str = "total_count";

/// What lowering knows of a query parameter that pagination cares about.
#[derive(Debug, Clone)]
pub(super) struct QueryFacts {
    /// Its wire name.
    pub(super) name: String,
    /// Whether its schema is an integer, or a `number`.
    pub(super) numeric: bool,
    /// Its schema's `maximum`, when it is a whole number.
    pub(super) maximum: Option<u64>,
    /// Its schema's `default`, as a query sends it, when it is a string, number or boolean.
    pub(super) default: Option<String>,
}

/// The facts of a query parameter's schema, `schema` resolved.
pub(super) fn facts(name: &str, schema: Option<&Schema>) -> QueryFacts {
    let (numeric, maximum) = match schema.map(|schema| &schema.schema_kind) {
        Some(SchemaKind::Type(Type::Integer(integer))) => {
            (true, integer.maximum.and_then(|max| u64::try_from(max).ok()))
        }
        Some(SchemaKind::Type(Type::Number(number))) => (true, number.maximum.and_then(whole)),
        _ => (false, None),
    };
    let default = schema
        .and_then(|schema| schema.schema_data.default.as_ref())
        .and_then(|default| match default {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            serde_json::Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        });
    QueryFacts {
        name: name.to_owned(),
        numeric,
        maximum,
        default,
    }
}

/// `value` as a count, when it is one.
fn whole(value: f64) -> Option<u64> {
    // Exact: only whole values within f64's exact integers are taken.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (value.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&value)).then_some(value as u64)
}

/// The pagination `x-speakeasy-pagination` declares, with the cursor's `x-cursor-rules`, if
/// the operation has the extensions. `Err` says why a declaration cannot be used (a warning:
/// the operation is then no list).
pub(super) fn declared(
    extensions: &IndexMap<String, serde_json::Value>,
    query: &[QueryFacts],
) -> Option<Result<Pagination, String>> {
    let Some(value) = extensions.get(EXTENSION) else {
        return extensions
            .contains_key(cursor_rules::EXTENSION)
            .then(|| Err(format!("`{}` without `{EXTENSION}`", cursor_rules::EXTENSION)));
    };
    Some(read_declaration(value, extensions, query))
}

fn read_declaration(
    value: &serde_json::Value,
    extensions: &IndexMap<String, serde_json::Value>,
    query: &[QueryFacts],
) -> Result<Pagination, String> {
    let output = |name: &str| {
        value
            .get("outputs")
            .and_then(|outputs| outputs.get(name))
            .and_then(serde_json::Value::as_str)
    };
    let kind = value.get("type").and_then(serde_json::Value::as_str);
    if kind != Some("cursor") && extensions.contains_key(cursor_rules::EXTENSION) {
        return Err(format!(
            "`{}` on a list that pages by no cursor",
            cursor_rules::EXTENSION
        ));
    }
    let by = page_by(kind.unwrap_or_default(), value, extensions, query)?;
    let limit = input(value, "limit", query)?;
    let results = match output("results") {
        None => Results::Infer,
        Some(path) => match field_path(path)?.as_slice() {
            [] => Results::Root,
            [field] => Results::Field(field.clone()),
            _ => return Err(format!("`results` must be `$` or `$.field`, not `{path}`")),
        },
    };
    let total = match output("totalCount") {
        None => None,
        Some(path) => match field_path(path)?.as_slice() {
            [field] => Some(field.clone()),
            _ => return Err(format!("`totalCount` must be `$.field`, not `{path}`")),
        },
    };
    Ok(Pagination {
        max_page_size: maximum_of(limit.as_deref(), query),
        by,
        limit,
        results,
        total,
        item: None,
        declared: true,
    })
}

/// How a declaration of type `kind` asks for its next page.
fn page_by(
    kind: &str,
    value: &serde_json::Value,
    extensions: &IndexMap<String, serde_json::Value>,
    query: &[QueryFacts],
) -> Result<PageBy, String> {
    match kind {
        "offsetLimit" => Ok(PageBy::Offset(input(value, "offset", query)?.ok_or(
            "an `offsetLimit` list needs an `offset` input (`page` inputs are not supported)",
        )?)),
        "cursor" => {
            let param = input(value, "cursor", query)?.ok_or("a `cursor` list needs a `cursor` input")?;
            let path = value
                .get("outputs")
                .and_then(|outputs| outputs.get("nextCursor"))
                .and_then(serde_json::Value::as_str)
                .ok_or("a `cursor` list needs a `nextCursor` output")?;
            Ok(PageBy::Cursor {
                param,
                from: cursor_from(path)?,
                rules: cursor_rules::read(extensions, query)?,
            })
        }
        other => Err(format!(
            "pagination of type `{other}` is not supported (only `offsetLimit` and `cursor`)"
        )),
    }
}

/// The query parameter a declaration's input of type `wanted` names, if it has one.
fn input(value: &serde_json::Value, wanted: &str, query: &[QueryFacts]) -> Result<Option<String>, String> {
    let text =
        |value: &serde_json::Value, key: &str| value.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
    let inputs = value.get("inputs").and_then(serde_json::Value::as_array);
    let Some(input) = inputs
        .into_iter()
        .flatten()
        .find(|input| text(input, "type").as_deref() == Some(wanted))
    else {
        return Ok(None);
    };
    let name = text(input, "name").unwrap_or_default();
    let place = text(input, "in").unwrap_or_else(|| "parameters".to_owned());
    if place != "parameters" || !query.iter().any(|param| param.name == name) {
        return Err(format!(
            "its `{wanted}` input `{name}` is not a query parameter of the operation"
        ));
    }
    Ok(Some(name))
}

/// Offset pagination where the parameters say it: integer query parameters `offset` and
/// `limit`.
pub(super) fn inferred(query: &[QueryFacts]) -> Option<Pagination> {
    let integer = |name: &str| query.iter().any(|param| param.name == name && param.numeric);
    (integer("offset") && integer("limit")).then(|| Pagination {
        by: PageBy::Offset("offset".to_owned()),
        limit: Some("limit".to_owned()),
        max_page_size: maximum_of(Some("limit"), query),
        results: Results::Infer,
        total: None,
        item: None,
        declared: false,
    })
}

fn maximum_of(limit: Option<&str>, query: &[QueryFacts]) -> Option<u64> {
    let limit = limit?;
    query.iter().find(|param| param.name == limit)?.maximum
}

/// The fields a JSONPath of the form `$`, `$.a`, `$.a.b` or `$['a']` walks.
fn field_path(path: &str) -> Result<Vec<String>, String> {
    let rest = path
        .trim()
        .strip_prefix('$')
        .ok_or_else(|| format!("`{path}` is not a JSONPath"))?;
    let mut fields = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            fields.push(after[..end].to_owned());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after
                .find("']")
                .ok_or_else(|| format!("`{path}` has an unclosed `['`"))?;
            fields.push(after[..end].to_owned());
            rest = &after[end + 2..];
        } else {
            return Err(format!("`{path}` is more than a path of fields"));
        }
    }
    if fields.iter().any(String::is_empty) {
        return Err(format!("`{path}` has an empty field name"));
    }
    Ok(fields)
}

/// Where `nextCursor` points: a field of the last item (`$.data[-1].id`, `$[-1].id`,
/// `$.data[(@.length-1)].id`) or a field of the response (`$.next_cursor`).
fn cursor_from(path: &str) -> Result<CursorFrom, String> {
    for last in ["[-1].", "[(@.length-1)]."] {
        if let Some(at) = path.find(last) {
            let field = &path[at + last.len()..];
            let valid = !field.is_empty() && !field.contains(['.', '[']);
            return if valid {
                Ok(CursorFrom::LastItem(field.to_owned()))
            } else {
                Err(format!(
                    "`nextCursor` must end in the last item's field, as in `$.data[-1].id`, not `{path}`"
                ))
            };
        }
    }
    match field_path(path)?.as_slice() {
        [field] => Ok(CursorFrom::Envelope(field.clone())),
        _ => Err(format!(
            "`nextCursor` must be `$.field` or a field of the last item, not `{path}`"
        )),
    }
}

/// Finds each list operation's items, total and cursor in its response's type, and collects
/// the envelopes. A declaration the response does not fit is dropped with a warning; an
/// inference that does not fit is dropped quietly (the operation is not a list).
pub(super) fn resolve(api: &mut Api, warnings: &mut Vec<Warning>) {
    let types: BTreeMap<String, TypeKind> = api
        .types
        .iter()
        .map(|def| (def.name.clone(), def.kind.clone()))
        .collect();
    let mut envelopes: BTreeMap<String, Envelope> = BTreeMap::new();
    for operation in api.resources.iter_mut().flat_map(|resource| &mut resource.operations) {
        let Some(mut pagination) = operation.pagination.take() else {
            continue;
        };
        let pointer = operation.pointer.join(EXTENSION);
        let shape = if operation.response_optional || !operation.redirect_statuses.is_empty() {
            Err("the operation's success response is not always a list".to_owned())
        } else {
            shape(operation.response.as_ref(), &pagination, &types)
        };
        let envelope = shape.and_then(|(item, envelope)| {
            if let Some(envelope) = &envelope
                && let Some(other) = envelopes.get(&envelope.type_name).filter(|other| *other != envelope)
            {
                return Err(format!(
                    "`{}` is a list envelope of another operation with its items in `{}`",
                    other.type_name, other.items
                ));
            }
            pagination.item = Some(item);
            settle(&mut pagination, envelope.as_ref());
            Ok(envelope)
        });
        match envelope {
            Ok(envelope) => {
                if let Some(envelope) = envelope {
                    envelopes.insert(envelope.type_name.clone(), envelope);
                }
                operation.pagination = Some(pagination);
            }
            Err(reason) if pagination.declared => warnings.push(Warning {
                pointer,
                message: format!("not paginated: {reason}"),
            }),
            Err(_) => {}
        }
    }
    api.envelopes = envelopes.into_values().collect();
}

/// Writes down where a resolved list's response keeps its items and its total, by JSON name:
/// the response itself or an envelope field, and the total field only if the envelope has it.
fn settle(pagination: &mut Pagination, envelope: Option<&Envelope>) {
    let Some(envelope) = envelope else {
        pagination.results = Results::Root;
        pagination.total = None;
        return;
    };
    if pagination.results == Results::Infer {
        pagination.results = Results::Field(DATA.to_owned());
    }
    pagination.total = envelope
        .total
        .as_ref()
        .map(|_| pagination.total.clone().unwrap_or_else(|| TOTAL_COUNT.to_owned()));
}

/// The items' type and, for an envelope, the envelope, of a list response of type `response`.
fn shape(
    response: Option<&TypeRef>,
    pagination: &Pagination,
    types: &BTreeMap<String, TypeKind>,
) -> Result<(TypeRef, Option<Envelope>), String> {
    let response = response.ok_or("the operation's success response has no body")?;
    let (item, envelope) = list_shape(response, pagination, types)?;
    if let PageBy::Cursor {
        from: CursorFrom::LastItem(name),
        ..
    } = &pagination.by
    {
        let item_fields = match item.named().and_then(|name| types.get(name)) {
            Some(TypeKind::Struct(def)) => Some(&def.fields),
            _ => None,
        };
        if item_fields.is_none_or(|fields| field(fields, name).is_none()) {
            return Err(format!("the list's items have no field `{name}` for the cursor"));
        }
    }
    Ok((item, envelope))
}

/// The items' type and the envelope, before the cursor is checked.
fn list_shape(
    response: &TypeRef,
    pagination: &Pagination,
    types: &BTreeMap<String, TypeKind>,
) -> Result<(TypeRef, Option<Envelope>), String> {
    if let TypeRef::Vec(item) = response {
        return match (&pagination.results, &pagination.by) {
            (Results::Field(field), _) => Err(format!("the response is an array, not an object with `{field}`")),
            (
                _,
                PageBy::Cursor {
                    from: CursorFrom::Envelope(field),
                    ..
                },
            ) => Err(format!("the response is an array, with no `{field}` cursor")),
            _ => Ok(((**item).clone(), None)),
        };
    }
    let Some(TypeKind::Struct(def)) = response.named().and_then(|name| types.get(name)) else {
        return Err("the response is neither an array nor an object".to_owned());
    };
    let type_name = response.named().unwrap_or_default().to_owned();
    let items_field = match &pagination.results {
        Results::Root => return Err("`results` is `$`, but the response is an object".to_owned()),
        Results::Field(field) => field.as_str(),
        Results::Infer => DATA,
    };
    let items = field(&def.fields, items_field).ok_or_else(|| format!("the response has no field `{items_field}`"))?;
    let TypeRef::Vec(item) = &items.ty else {
        return Err(format!("the response's `{items_field}` is not an array"));
    };
    let total_field = pagination.total.as_deref().unwrap_or(TOTAL_COUNT);
    let total = field(&def.fields, total_field).filter(|total| is_count(&total.ty));
    if pagination.total.is_some() && total.is_none() {
        return Err(format!("the response has no number field `{total_field}`"));
    }
    let cursor = envelope_cursor(&def.fields, pagination)?;
    let envelope = Envelope {
        type_name,
        items: items.rust_name.clone(),
        total: total.map(|total| total.rust_name.clone()),
        cursor,
        item: (**item).clone(),
    };
    Ok(((**item).clone(), Some(envelope)))
}

/// The Rust name of the envelope field a cursor list takes its next cursor from, if it does.
fn envelope_cursor(fields: &[Field], pagination: &Pagination) -> Result<Option<String>, String> {
    let PageBy::Cursor {
        from: CursorFrom::Envelope(name),
        ..
    } = &pagination.by
    else {
        return Ok(None);
    };
    field(fields, name)
        .filter(|cursor| matches!(cursor.ty, TypeRef::String | TypeRef::I32 | TypeRef::I64))
        .map(|cursor| Some(cursor.rust_name.clone()))
        .ok_or_else(|| format!("the response has no string or integer field `{name}`"))
}

fn field<'f>(fields: &'f [Field], wire_name: &str) -> Option<&'f Field> {
    fields.iter().find(|field| field.wire_name == wire_name)
}

fn is_count(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64)
}

mod cursor_rules;
#[cfg(test)]
mod tests;
