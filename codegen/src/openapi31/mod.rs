//! OpenAPI 3.1 documents, read as the OpenAPI 3.0 documents they mean.
//!
//! openapiv3 reads 3.0 only, and lowering works on its model. Rather than a second model and a
//! second lowering, a 3.1 document is rewritten in place, as a YAML value, into the 3.0
//! document that accepts the same JSON; lowering then never knows which version it read. No
//! crate does this in Rust (the 3.1 model crates would need that second lowering), so it is
//! written here.
//!
//! [`downgrade`] walks the document by its structure, so that a property called `type` is
//! never taken for the keyword, and converts each schema it reaches ([`schema`]). The document
//! itself changes in these ways:
//!
//! - `openapi` becomes `3.0.3`, and `paths`, optional in 3.1, is added when missing;
//! - an operation without `responses` (optional in 3.1) gets an empty set, so that lowering
//!   says what is missing rather than openapiv3 refusing the whole document;
//! - a path item that is a `$ref` to `components/pathItems` (3.1) is replaced by its target,
//!   with the reference's own `summary` and `description` kept;
//! - `webhooks` stay where they are: lowering reads them from the document as it is;
//! - a `jsonSchemaDialect` other than OpenAPI's own is a warning, and a `mutualTLS` security
//!   scheme is refused with its pointer.
//!
//! Every construct keeps its place, so the pointers of later errors and warnings point into
//! the document as written (a path item taken from `components/pathItems` is pointed at where
//! it is used). What 3.0 cannot say is a warning with its pointer, never dropped in silence.

mod schema;

use serde_yaml::{Mapping, Value};

use crate::error::{Error, Pointer, Warning};
// The operations of a path item are the same in 3.0 and 3.1.
use crate::slice::METHODS;

/// The JSON Schema dialect of a 3.1 document's schemas when it names none.
const BASE_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Where a reusable path item is referred to from.
const PATH_ITEMS_PREFIX: &str = "#/components/pathItems/";

/// How many `$ref`s from one path item to the next are followed before they are called a
/// cycle.
const MAX_PATH_ITEM_HOPS: usize = 32;

/// Whether an `openapi` version is one [`downgrade`] reads.
pub(crate) fn is_3_1(version: &str) -> bool {
    version.starts_with("3.1.")
}

/// Rewrites an OpenAPI 3.1 document, in place, into the 3.0 document it means, and returns
/// the warnings for what 3.0 cannot say.
///
/// # Errors
///
/// [`Error::Unsupported`] with its pointer for a construct that has no 3.0 form.
pub(crate) fn downgrade(document: &mut Value) -> Result<Vec<Warning>, Error> {
    let mut walk = Walk::default();
    let Some(root) = document.as_mapping_mut() else {
        return Ok(walk.warnings);
    };
    root.insert("openapi".into(), "3.0.3".into());
    if let Some(dialect) = root.remove("jsonSchemaDialect")
        && dialect.as_str() != Some(BASE_DIALECT)
    {
        walk.warn(
            &Pointer::root().join("jsonSchemaDialect"),
            "the schemas are read as OpenAPI 3.1's own JSON Schema dialect, not this one",
        );
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Mapping(Mapping::new()));
    }
    walk.path_items = root
        .get_mut("components")
        .and_then(Value::as_mapping_mut)
        .and_then(|components| components.remove("pathItems"))
        .and_then(|items| match items {
            Value::Mapping(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default();
    for (key, value) in root.iter_mut() {
        let Some(key) = key.as_str() else { continue };
        let pointer = Pointer::root().join(key);
        match key {
            "paths" | "webhooks" | "x-webhooks" => walk.entries(value, &pointer, Walk::path_item)?,
            "components" => walk.components(value, &pointer)?,
            _ => {}
        }
    }
    Ok(walk.warnings)
}

/// The state of one rewrite: the reusable path items, and the warnings so far.
#[derive(Debug, Default)]
struct Walk {
    path_items: Mapping,
    warnings: Vec<Warning>,
}

/// How a part of the document is visited.
type Visit = fn(&mut Walk, &mut Value, &Pointer) -> Result<(), Error>;

impl Walk {
    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.clone(),
            message: message.into(),
        });
    }

    /// Visits each entry of a mapping but its extensions (`x-…`).
    fn entries(&mut self, value: &mut Value, pointer: &Pointer, visit: Visit) -> Result<(), Error> {
        let Some(entries) = value.as_mapping_mut() else {
            return Ok(());
        };
        for (key, entry) in entries.iter_mut() {
            match key.as_str() {
                Some(key) if !key.starts_with("x-") => visit(self, entry, &pointer.join(key))?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Visits each item of a sequence.
    fn items(&mut self, value: &mut Value, pointer: &Pointer, visit: Visit) -> Result<(), Error> {
        let Some(items) = value.as_sequence_mut() else {
            return Ok(());
        };
        for (index, item) in items.iter_mut().enumerate() {
            visit(self, item, &pointer.join(index.to_string()))?;
        }
        Ok(())
    }

    /// Calls `visit` on each field of an object that `fields` names, with the field's pointer.
    fn fields(&mut self, value: &mut Value, pointer: &Pointer, fields: &[(&str, Visit)]) -> Result<(), Error> {
        let Some(object) = value.as_mapping_mut() else {
            return Ok(());
        };
        for (key, field) in object.iter_mut() {
            let Some(key) = key.as_str() else { continue };
            if let Some((_, visit)) = fields.iter().find(|(name, _)| *name == key) {
                visit(self, field, &pointer.join(key))?;
            }
        }
        Ok(())
    }

    fn components(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[
                ("schemas", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::schema)
                }),
                ("responses", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::response)
                }),
                ("parameters", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::parameter)
                }),
                ("requestBodies", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::request_body)
                }),
                ("headers", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::parameter)
                }),
                ("callbacks", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::callback)
                }),
                ("securitySchemes", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::security_scheme)
                }),
            ],
        )
    }

    fn path_item(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.inline_path_item(value, pointer)?;
        let Some(item) = value.as_mapping_mut() else {
            return Ok(());
        };
        for (key, field) in item.iter_mut() {
            match key.as_str() {
                Some("parameters") => self.items(field, &pointer.join("parameters"), Walk::parameter)?,
                Some(method) if METHODS.contains(&method) => self.operation(field, &pointer.join(method))?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Replaces a `$ref` to `components/pathItems` by its target (following a chain of them),
    /// keeping the reference's other fields (`summary`, `description`) over the target's.
    /// Another `$ref` is left for lowering to refuse with its pointer.
    fn inline_path_item(&self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        for _ in 0..MAX_PATH_ITEM_HOPS {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok(());
            };
            let Some(name) = reference.strip_prefix(PATH_ITEMS_PREFIX) else {
                return Ok(());
            };
            let name = name.replace("~1", "/").replace("~0", "~");
            let Some(Value::Mapping(target)) = self.path_items.get(name.as_str()) else {
                return Err(Error::unsupported(
                    pointer,
                    format!("`$ref: {reference}` names no path item under `components/pathItems`"),
                ));
            };
            let mut inlined = target.clone();
            if let Some(own) = value.as_mapping() {
                for (key, field) in own.iter().filter(|(key, _)| key.as_str() != Some("$ref")) {
                    inlined.insert(key.clone(), field.clone());
                }
            }
            *value = Value::Mapping(inlined);
        }
        Err(Error::unsupported(
            pointer,
            "the path item's `$ref`s to `components/pathItems` form a cycle",
        ))
    }

    fn operation(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        if let Some(operation) = value.as_mapping_mut()
            && !operation.contains_key("responses")
        {
            operation.insert("responses".into(), Value::Mapping(Mapping::new()));
        }
        self.fields(
            value,
            pointer,
            &[
                ("parameters", |walk, value, pointer| {
                    walk.items(value, pointer, Walk::parameter)
                }),
                ("requestBody", Walk::request_body),
                ("responses", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::response)
                }),
                ("callbacks", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::callback)
                }),
            ],
        )
    }

    /// A callback: path items by expression.
    fn callback(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.entries(value, pointer, Walk::path_item)
    }

    /// A parameter or a header: a `schema`, or a `content` of one media type.
    fn parameter(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[
                ("schema", Walk::schema),
                ("content", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::media_type)
                }),
            ],
        )
    }

    fn request_body(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[("content", |walk, value, pointer| {
                walk.entries(value, pointer, Walk::media_type)
            })],
        )
    }

    fn response(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[
                ("headers", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::parameter)
                }),
                ("content", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::media_type)
                }),
            ],
        )
    }

    fn media_type(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[
                ("schema", Walk::schema),
                ("encoding", |walk, value, pointer| {
                    walk.entries(value, pointer, Walk::encoding)
                }),
            ],
        )
    }

    fn encoding(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        self.fields(
            value,
            pointer,
            &[("headers", |walk, value, pointer| {
                walk.entries(value, pointer, Walk::parameter)
            })],
        )
    }

    /// Refuses a scheme 3.0 has no type for.
    fn security_scheme(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        match value.get("type").and_then(Value::as_str) {
            Some("mutualTLS") => Err(Error::unsupported(
                &pointer.join("type"),
                "`mutualTLS` security schemes are not supported: the client cannot present a certificate",
            )),
            _ => Ok(()),
        }
    }

    /// A schema: see [`schema`].
    fn schema(&mut self, value: &mut Value, pointer: &Pointer) -> Result<(), Error> {
        schema::convert(value, pointer, &mut self.warnings)
    }
}

#[cfg(test)]
mod tests;
