//! A schema classified by what it lowers to, and lowered by its class: scalars, enums,
//! arrays, objects, alternatives and `allOf`s.

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use super::keywords::foreign_keywords;
use super::objects::{EMPTY_PROPERTIES, Properties, constraint_doc, is_constraint_only, is_nullable_marker};
use super::{Lowered, TypeLowerer};
use crate::error::{Error, Pointer, Warning};
use crate::model::TypeRef;

/// What a schema lowers to, its keywords read: what [`TypeLowerer::lower_schema`] dispatches on.
#[derive(Debug)]
enum Form<'a> {
    /// A type with nothing to define: a scalar, a file, any JSON value.
    Builtin(TypeRef),
    /// An open string enum of these values.
    Enum(Vec<&'a str>),
    /// An array of these items (any JSON value when the schema leaves them open).
    Array(Option<&'a ReferenceOr<Box<Schema>>>),
    /// An object: a struct of its properties, else a map.
    Object {
        properties: &'a Properties,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        /// A `oneOf`/`anyOf` of bare `required` lists beside the properties: which optional
        /// fields must be set, said in the struct's doc.
        constraints: &'a [ReferenceOr<Schema>],
    },
    /// `oneOf` or `anyOf` (the `keyword`) alternatives.
    Alternatives {
        members: &'a [ReferenceOr<Schema>],
        keyword: &'static str,
    },
    /// `allOf` members, merged with the schema's own properties.
    AllOf {
        members: &'a [ReferenceOr<Schema>],
        properties: &'a Properties,
        required: &'a [String],
    },
}

/// A schema's [`Form`], whether it allows `null`, and, for a schema with no `type` read as an
/// array or object, the schema and that type: its keywords that do not apply are warned about.
#[derive(Debug)]
struct Classified<'a> {
    form: Form<'a>,
    nullable: bool,
    loose: Option<(&'a AnySchema, &'static str)>,
}

/// Reads what a schema is. Constructs that cannot be represented are refused here.
fn classify<'a>(schema: &'a Schema, pointer: &Pointer) -> Result<Classified<'a>, Error> {
    let nullable = schema.schema_data.nullable;
    let form = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            // `enum: [a, null]` allows `null` too.
            let null_in_enum = string.enumeration.iter().any(Option::is_none);
            return Ok(Classified {
                form: string_form(string),
                nullable: nullable || null_in_enum,
                loose: None,
            });
        }
        SchemaKind::Type(Type::Integer(integer)) => Form::Builtin(match integer.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        }),
        SchemaKind::Type(Type::Number(number)) => Form::Builtin(match number.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        }),
        SchemaKind::Type(Type::Boolean(_)) => Form::Builtin(TypeRef::Bool),
        SchemaKind::Type(Type::Array(array)) => Form::Array(array.items.as_ref()),
        SchemaKind::Type(Type::Object(object)) => Form::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
            constraints: &[],
        },
        SchemaKind::OneOf { one_of } => Form::Alternatives {
            members: one_of,
            keyword: "oneOf",
        },
        SchemaKind::AnyOf { any_of } => Form::Alternatives {
            members: any_of,
            keyword: "anyOf",
        },
        SchemaKind::AllOf { all_of } => {
            return Ok(Classified {
                form: Form::AllOf {
                    members: all_of,
                    properties: EMPTY_PROPERTIES.get_or_init(Default::default),
                    required: &[],
                },
                nullable: nullable || all_of.iter().any(is_nullable_marker),
                loose: None,
            });
        }
        SchemaKind::Not { .. } => return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust")),
        SchemaKind::Any(any) => return classify_any(any, nullable, pointer),
    };
    Ok(Classified {
        form,
        nullable,
        loose: None,
    })
}

/// A string schema's form: a file, an enum of its values, or a string.
fn string_form(string: &StringType) -> Form<'_> {
    let values: Vec<&str> = string.enumeration.iter().flatten().map(String::as_str).collect();
    if matches!(string.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary)) {
        Form::Builtin(TypeRef::Binary)
    } else if values.is_empty() {
        Form::Builtin(TypeRef::String)
    } else {
        Form::Enum(values)
    }
}

/// Reads a schema whose keywords openapiv3 could not sort under one `type`: `allOf` beside
/// properties, alternatives, an array or object without `type`, or any JSON value.
fn classify_any<'a>(any: &'a AnySchema, nullable: bool, pointer: &Pointer) -> Result<Classified<'a>, Error> {
    let (alternatives, keyword) = if any.one_of.is_empty() {
        (&any.any_of, "anyOf")
    } else {
        (&any.one_of, "oneOf")
    };
    let nullable = nullable || any.all_of.iter().any(is_nullable_marker);
    let real_alternatives = !alternatives.is_empty() && !is_constraint_only(alternatives);
    let (form, loose) = if any.not.is_some() {
        return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust"));
    } else if !any.all_of.is_empty() {
        if real_alternatives {
            return Err(Error::unsupported(
                pointer,
                "`allOf` beside `oneOf` or `anyOf` is not supported",
            ));
        }
        let form = Form::AllOf {
            members: &any.all_of,
            properties: &any.properties,
            required: &any.required,
        };
        (form, None)
    } else if real_alternatives {
        if !any.properties.is_empty() {
            return Err(Error::unsupported(
                pointer,
                format!("`{keyword}` beside `properties` is not supported"),
            ));
        }
        let form = Form::Alternatives {
            members: alternatives,
            keyword,
        };
        (form, None)
    } else if any.typ.as_deref() == Some("array") {
        (Form::Array(any.items.as_ref()), Some((any, "array")))
    } else if any.typ.as_deref() == Some("object") || !any.properties.is_empty() {
        let form = Form::Object {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
            constraints: alternatives,
        };
        (form, Some((any, "object")))
    } else if any.typ.is_none() && any.enumeration.is_empty() && any.items.is_none() {
        (Form::Builtin(TypeRef::Json), None)
    } else {
        let typ = any.typ.as_deref().unwrap_or("(none)");
        return Err(Error::unsupported(
            pointer,
            format!("schema of type `{typ}` mixes keywords that do not belong to that type"),
        ));
    };
    Ok(Classified { form, nullable, loose })
}

impl<'a> TypeLowerer<'a> {
    /// Lowers the schema at `pointer` (where it is defined, so one schema reached twice is one
    /// type), naming a type it defines after `hint`.
    pub(super) fn lower_schema(&mut self, schema: &'a Schema, hint: &str, pointer: &Pointer) -> Result<Lowered, Error> {
        if let Some(done) = self.memo.get(pointer) {
            return Ok(done.clone());
        }
        let Classified { form, nullable, loose } = classify(schema, pointer)?;
        if let Some((any, typ)) = loose {
            self.warn_foreign_keywords(any, typ, pointer);
        }
        let doc = schema.schema_data.description.clone();
        let ty = match form {
            Form::Builtin(ty) => ty,
            Form::Enum(values) => {
                let unknown_allowed = crate::lower::extensions::unknown_values_allowed(&schema.schema_data.extensions);
                self.define_enum(hint, doc, &values, unknown_allowed, pointer)
            }
            Form::Array(items) => self.lower_array(items, hint, pointer)?,
            Form::Object {
                properties,
                required,
                additional,
                constraints,
            } => {
                let doc = constraint_doc(doc, constraints);
                self.lower_object(properties, required, additional, hint, doc, pointer)?
            }
            Form::Alternatives { members, keyword } => {
                let discriminator = schema.schema_data.discriminator.as_ref();
                self.lower_alternatives(members, discriminator, hint, doc, &pointer.join(keyword), pointer)?
            }
            Form::AllOf {
                members,
                properties,
                required,
            } => self.lower_all_of(members, properties, required, hint, doc, pointer)?,
        };
        let lowered = Lowered { ty, nullable };
        self.memo.insert(pointer.clone(), lowered.clone());
        Ok(lowered)
    }

    /// `Vec` of the items' type (any JSON value when the schema leaves them open).
    fn lower_array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            None => TypeRef::Json,
            Some(items) => {
                self.lower(items.into(), &format!("{hint}Item"), &pointer.join("items"))?
                    .ty
            }
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    /// Warns about each keyword of `schema` that does not apply to `typ`, the type it is lowered
    /// as, at the keyword's pointer.
    fn warn_foreign_keywords(&mut self, schema: &AnySchema, typ: &str, pointer: &Pointer) {
        for keyword in foreign_keywords(schema, typ) {
            self.warn(Warning {
                pointer: pointer.join(keyword),
                message: format!("`{keyword}` does not apply to a schema of type `{typ}`; ignored"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::spec_with_components;
    use super::super::{SchemaSlot, lower_component as lowered};
    use super::*;

    #[test]
    fn formats_choose_the_rust_type() {
        let schemas = "    A: {type: integer, format: int32}\n    B: {type: integer}\n    C: {type: number, format: float}\n    D: {type: string, format: binary}\n    E: {type: string, nullable: true}\n";
        let ty = |name| lowered(schemas, name).0;
        assert_eq!(ty("A").ty, TypeRef::I32);
        assert_eq!(ty("B").ty, TypeRef::I64);
        assert_eq!(ty("C").ty, TypeRef::F32);
        assert_eq!(ty("D").ty, TypeRef::Binary);
        assert!(ty("E").nullable && ty("E").ty == TypeRef::String);
    }

    #[test]
    fn a_schema_reached_twice_is_one_type() {
        let spec = spec_with_components("  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n");
        let mut lowerer = TypeLowerer::new(&spec, Default::default()).expect("names are unique");
        let first = lowerer
            .lower(SchemaSlot::Ref("#/components/schemas/A"), "", &Pointer::root())
            .expect("lowers");
        let second = lowerer
            .lower(
                SchemaSlot::Ref("#/components/schemas/A"),
                "Other",
                &Pointer::root().join("x"),
            )
            .expect("lowers");
        assert_eq!(first.ty, second.ty);
        assert_eq!(lowerer.types.len(), 1);
    }
}
