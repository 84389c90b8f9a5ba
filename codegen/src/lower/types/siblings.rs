//! The keywords beside a `$ref`. OpenAPI 3.0 says to ignore them, but specs mean them, and
//! tools (Prism among them) honour them: `{$ref: …, nullable: true}` is how Clerk's Frontend
//! API makes a reference nullable. Lowering honours what it can (`nullable`, a `description`
//! as the field's doc, a `type` that agrees with the target's) and warns about the rest, so a
//! construct is never read as something other than what it says without a word.

use openapiv3::{Schema, SchemaKind, Type};
use serde_yaml::Value;

use super::{Lowered, TypeLowerer};
use crate::error::{Pointer, Warning};

/// Keywords that describe a schema without changing what it accepts: the generator reads none
/// of them for a type, beside a `$ref` or not (a `description` becomes a field's doc).
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
    "xml",
];

impl TypeLowerer<'_> {
    /// Applies the keywords beside the `$ref` at `pointer`, which points to `target`, to what
    /// the reference lowered to, and warns (once) about those it cannot honour.
    pub(super) fn apply_ref_siblings(&mut self, pointer: &Pointer, target: &Schema, lowered: &mut Lowered) {
        let Some(siblings) = self.ref_siblings.get(pointer) else {
            return;
        };
        if siblings.get("nullable").and_then(Value::as_bool) == Some(true) {
            lowered.nullable = true;
        }
        if !self.read_siblings.insert(pointer.clone()) {
            return;
        }
        let mut warnings = Vec::new();
        for (key, value) in siblings {
            let Some(key) = key.as_str() else { continue };
            let honoured = match key {
                "nullable" => value.as_bool().is_some(),
                "type" => value.as_str().is_some_and(|typ| agrees(typ, target)),
                _ => ANNOTATIONS.contains(&key),
            };
            if !honoured {
                warnings.push(Warning {
                    pointer: pointer.join(key),
                    message: format!(
                        "`{key}` beside a `$ref` is ignored: the generator honours only `nullable`, a `type` that agrees with the reference, and annotations there"
                    ),
                });
            }
        }
        self.warnings.extend(warnings);
    }

    /// The `description` written beside the `$ref` at `pointer`, if any: a field's doc.
    pub(super) fn ref_description(&self, pointer: &Pointer) -> Option<String> {
        self.ref_siblings
            .get(pointer)?
            .get("description")?
            .as_str()
            .map(str::to_owned)
    }

    /// Warns about the keywords beside each `$ref` that lowering never read as a schema's (a
    /// parameter's or response's `$ref`, an `allOf` member), other than annotations.
    pub(super) fn warn_unread_siblings(&mut self) {
        let mut unread = Vec::new();
        for (pointer, siblings) in &self.ref_siblings {
            if self.read_siblings.contains(pointer) {
                continue;
            }
            for key in siblings.keys().filter_map(Value::as_str) {
                if !ANNOTATIONS.contains(&key) {
                    unread.push(Warning {
                        pointer: pointer.join(key),
                        message: format!("`{key}` beside a `$ref` is ignored, as OpenAPI 3.0 says"),
                    });
                }
            }
        }
        unread.into_iter().for_each(|warning| self.warn(warning));
    }
}

/// Whether `type: typ` says what `target` already is.
fn agrees(typ: &str, target: &Schema) -> bool {
    let target_type = match &target.schema_kind {
        SchemaKind::Type(Type::String(_)) => "string",
        SchemaKind::Type(Type::Number(_)) => "number",
        SchemaKind::Type(Type::Integer(_)) => "integer",
        SchemaKind::Type(Type::Boolean(_)) => "boolean",
        SchemaKind::Type(Type::Array(_)) => "array",
        SchemaKind::Type(Type::Object(_)) => "object",
        SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => "object",
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some(typ) => typ,
            None if !any.properties.is_empty() || !any.all_of.is_empty() => "object",
            None => return false,
        },
        SchemaKind::Not { .. } => return false,
    };
    typ == target_type
}

#[cfg(test)]
mod tests {
    use super::super::super::spec_with_components;
    use super::super::SchemaSlot;
    use super::*;
    use crate::model::{TypeKind, TypeRef};
    use crate::unread::Unread;

    /// A field as the tests compare it: name, type, nullable, doc.
    type FieldView = (String, TypeRef, bool, Option<String>);

    /// The `Holder` struct's fields and the warnings of lowering it.
    fn holder(properties: &str) -> (Vec<FieldView>, Vec<String>) {
        let text = format!(
            "  schemas:\n    Method: {{type: object, properties: {{id: {{type: string}}}}}}\n    Holder:\n      type: object\n      required: [method]\n      properties:\n{properties}"
        );
        let spec = spec_with_components(&text);
        let document: Value = serde_yaml::from_str(&format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n{text}"
        ))
        .expect("YAML");
        let mut lowerer = TypeLowerer::new(&spec, Unread::read(&document).ref_siblings).expect("names are unique");
        lowerer
            .lower(SchemaSlot::Ref("#/components/schemas/Holder"), "", &Pointer::root())
            .expect("lowers");
        lowerer.warn_unread_siblings();
        let Some(TypeKind::Struct(def)) = lowerer.types.get("Holder").map(|t| &t.kind) else {
            panic!("a struct")
        };
        let fields = def
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.ty.clone(), f.nullable, f.doc.clone()))
            .collect();
        let warnings = lowerer.warnings.iter().map(ToString::to_string).collect();
        (fields, warnings)
    }

    #[test]
    fn nullable_beside_a_ref_makes_the_field_nullable() {
        let (fields, warnings) = holder(
            "        method: {$ref: '#/components/schemas/Method', nullable: true, description: The method used}\n        other: {$ref: '#/components/schemas/Method', type: object}\n",
        );
        let method = TypeRef::Named("Method".to_owned());
        assert_eq!(
            fields,
            [
                (
                    "method".to_owned(),
                    method.clone(),
                    true,
                    Some("The method used".to_owned())
                ),
                ("other".to_owned(), method, false, None),
            ]
        );
        assert_eq!(warnings, Vec::<String>::new());
    }

    #[test]
    fn keywords_beside_a_ref_that_cannot_be_honoured_are_warned_about() {
        let (fields, warnings) =
            holder("        method: {$ref: '#/components/schemas/Method', type: string, maxLength: 3, x-note: fine}\n");
        assert!(!fields[0].2);
        assert_eq!(
            warnings,
            [
                "#/components/schemas/Holder/properties/method/type: `type` beside a `$ref` is ignored: the generator honours only `nullable`, a `type` that agrees with the reference, and annotations there",
                "#/components/schemas/Holder/properties/method/maxLength: `maxLength` beside a `$ref` is ignored: the generator honours only `nullable`, a `type` that agrees with the reference, and annotations there",
            ]
        );
    }
}
