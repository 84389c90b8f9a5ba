//! [`Schema`]: what the spec says a type looks like on the wire, as the lenient decoder reads
//! it. Generated types describe themselves through [`Modeled`] with a static table, so the
//! decoding behaviour lives here, once, and generated code holds only data.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Expected;

/// A type's schema, through a function so that schemas can refer to each other (and to
/// themselves) without evaluating anything at compile time.
pub type SchemaFn = fn() -> &'static Schema;

/// A type whose wire shape the lenient decoder knows. Implemented by every generated model, and
/// here for the standard types models are made of.
pub trait Modeled {
    /// The type's schema.
    fn schema() -> &'static Schema;
}

/// The shape of a type on the wire.
#[derive(Debug)]
#[non_exhaustive]
pub enum Schema {
    /// Any JSON value (`serde_json::Value`), `null` included.
    Any,
    /// No body (`()`): the operation documents none.
    Unit,
    /// `true` or `false`.
    Boolean,
    /// An integer between these bounds, inclusive.
    Integer {
        /// The smallest value the Rust type holds.
        min: i64,
        /// The largest value the Rust type holds.
        max: i64,
    },
    /// Any number.
    Number,
    /// A string.
    String,
    /// A JSON object of any shape (`serde_json::Map`).
    Object,
    /// An array of items of one schema.
    Array(SchemaFn),
    /// An object whose values have one schema.
    Map(SchemaFn),
    /// `null`, or a value of the schema (`Option<T>` as a whole body).
    Nullable(SchemaFn),
    /// A generated struct.
    Struct(&'static Struct),
    /// A generated string enum, open to values it does not list.
    Enum(&'static Enum),
    /// A generated union whose members carry a tag.
    Tagged(&'static TaggedUnion),
    /// A generated union whose member is chosen by its shape.
    Untagged(&'static UntaggedUnion),
}

/// A generated struct's fields, in spec order.
#[derive(Debug)]
pub struct Struct {
    /// The Rust type's name.
    pub name: &'static str,
    /// The fields.
    pub fields: &'static [Field],
}

/// One field of a [`Struct`].
#[derive(Debug)]
pub struct Field {
    /// The JSON property name.
    pub name: &'static str,
    /// The value's schema, without the optionality.
    pub schema: SchemaFn,
    /// Whether the spec requires the property.
    pub required: bool,
    /// Whether the spec allows `null`.
    pub nullable: bool,
    /// What the spec requires of a value the SDK sends (a length, a range); responses are read
    /// whatever they hold.
    pub rules: &'static [Rule],
}

/// A constraint the spec puts on a value: checked before a request is sent (see
/// `ClientBuilder::check_requests`), never on a response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// A number at least this (`minimum`).
    Minimum(f64),
    /// A number at most this (`maximum`).
    Maximum(f64),
    /// A number over this (`minimum` with `exclusiveMinimum: true`).
    Above(f64),
    /// A number under this (`maximum` with `exclusiveMaximum: true`).
    Below(f64),
    /// A string of at least this many characters (`minLength`).
    MinLength(u64),
    /// A string of at most this many characters (`maxLength`).
    MaxLength(u64),
    /// An array of at least this many items (`minItems`).
    MinItems(u64),
    /// An array of at most this many items (`maxItems`).
    MaxItems(u64),
}

impl Field {
    /// The field with `rules` on the values sent in it.
    pub const fn checked(self, rules: &'static [Rule]) -> Field {
        Field { rules, ..self }
    }

    /// A required, non-nullable property (a field of type `T`).
    pub const fn required(name: &'static str, schema: SchemaFn) -> Field {
        Field {
            name,
            schema,
            required: true,
            nullable: false,
            rules: &[],
        }
    }

    /// A required, nullable property (`Option<T>`).
    pub const fn required_nullable(name: &'static str, schema: SchemaFn) -> Field {
        Field {
            name,
            schema,
            required: true,
            nullable: true,
            rules: &[],
        }
    }

    /// An optional, non-nullable property (`Option<T>`).
    pub const fn optional(name: &'static str, schema: SchemaFn) -> Field {
        Field {
            name,
            schema,
            required: false,
            nullable: false,
            rules: &[],
        }
    }

    /// An optional, nullable property (`Option<T>` or `Nullable<T>`).
    pub const fn optional_nullable(name: &'static str, schema: SchemaFn) -> Field {
        Field {
            name,
            schema,
            required: false,
            nullable: true,
            rules: &[],
        }
    }
}

/// A generated open string enum.
#[derive(Debug)]
pub struct Enum {
    /// The Rust type's name.
    pub name: &'static str,
    /// Whether a wire value is one the spec lists.
    pub is_known: fn(&str) -> bool,
}

/// A generated open union whose members carry a tag property.
#[derive(Debug)]
pub struct TaggedUnion {
    /// The Rust type's name.
    pub name: &'static str,
    /// The tag property, such as `object`.
    pub tag: &'static str,
    /// Each known tag value and its member's schema.
    pub variants: &'static [(&'static str, SchemaFn)],
}

/// A generated open union whose member is chosen by its shape.
#[derive(Debug)]
pub struct UntaggedUnion {
    /// The Rust type's name.
    pub name: &'static str,
    /// The alternatives, in the order they are tried.
    pub variants: &'static [Alternative],
}

/// One alternative of an [`UntaggedUnion`].
#[derive(Debug)]
pub struct Alternative {
    /// What a value must look like to be tried as this alternative.
    pub shape: Shape,
    /// The alternative's schema.
    pub schema: SchemaFn,
}

/// The JSON shape that selects an untagged alternative.
#[derive(Debug)]
pub enum Shape {
    /// An object with these properties, and these properties set to these strings.
    Object {
        /// Properties that must be present.
        required: &'static [&'static str],
        /// Properties that must have exactly this string value.
        constants: &'static [(&'static str, &'static str)],
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
    /// Whether `value` has this shape.
    pub fn fits(&self, value: &Value) -> bool {
        match self {
            Shape::Object { required, .. } => {
                self.fits_loosely(value)
                    && value
                        .as_object()
                        .is_some_and(|o| required.iter().all(|name| o.contains_key(*name)))
            }
            _ => self.fits_loosely(value),
        }
    }

    /// Whether `value` has this shape, leaving out the required properties: it is of the right
    /// JSON type and has every constant property. What a member that lost a field still has.
    pub(crate) fn fits_loosely(&self, value: &Value) -> bool {
        match self {
            Shape::Object { constants, .. } => value.as_object().is_some_and(|object| {
                constants
                    .iter()
                    .all(|(name, constant)| object.get(*name).and_then(Value::as_str) == Some(*constant))
            }),
            Shape::String => value.is_string(),
            Shape::Boolean => value.is_boolean(),
            Shape::Integer => value.is_i64() || value.is_u64(),
            Shape::Number => value.is_number(),
            Shape::Array => value.is_array(),
            Shape::Any => true,
        }
    }
}

impl Schema {
    /// What the schema expects, for a deviation's report.
    pub(crate) fn expected(&self) -> Expected {
        match self {
            Schema::Any => Expected::Any,
            Schema::Unit => Expected::Nothing,
            Schema::Boolean => Expected::Boolean,
            Schema::Integer { .. } => Expected::Integer,
            Schema::Number => Expected::Number,
            Schema::String => Expected::String,
            Schema::Object | Schema::Map(_) => Expected::Object,
            Schema::Array(_) => Expected::Array,
            Schema::Nullable(inner) => inner().expected(),
            Schema::Struct(def) => Expected::Model(def.name),
            Schema::Enum(def) => Expected::Enum(def.name),
            Schema::Tagged(def) => Expected::Union(def.name),
            Schema::Untagged(def) => Expected::Union(def.name),
        }
    }

    /// Whether the schema takes `null` as a value of its own (`Value`, `()`, `Option`).
    pub(crate) fn takes_null(&self) -> bool {
        matches!(self, Schema::Any | Schema::Unit | Schema::Nullable(_))
    }
}

/// Implements [`Modeled`] for a generated struct from its fields, each written
/// `presence "json_name": Type,`, where `presence` names a [`Field`] constructor (`required`,
/// `required_nullable`, `optional`, `optional_nullable`) and `Type` is the field's type
/// without its `Option`, followed by the [`Rule`]s on the values sent in it, if the spec sets
/// any: `optional "limit": i64 [Minimum(1.0), Maximum(500.0)],`. Generated code calls it, so a
/// struct's schema is one line per field.
#[doc(hidden)]
#[macro_export]
macro_rules! __modeled_struct {
    ($name:ident { $($presence:ident $wire:literal: $ty:ty $([$($rule:ident($bound:expr)),* $(,)?])?,)* }) => {
        impl $crate::__private::Modeled for $name {
            fn schema() -> &'static $crate::__private::Schema {
                static SCHEMA: $crate::__private::Schema = $crate::__private::Schema::Struct(&$crate::__private::Struct {
                    name: ::core::stringify!($name),
                    fields: &[$(
                        $crate::__private::Field::$presence($wire, <$ty as $crate::__private::Modeled>::schema)
                            $(.checked(&[$($crate::__private::Rule::$rule($bound)),*]))?,
                    )*],
                });
                &SCHEMA
            }
        }
    };
}

/// Implements [`Modeled`] for types with a fixed schema.
macro_rules! modeled {
    ($($ty:ty => $schema:expr;)*) => {
        $(impl Modeled for $ty {
            fn schema() -> &'static Schema {
                const { &$schema }
            }
        })*
    };
}

modeled! {
    String => Schema::String;
    bool => Schema::Boolean;
    i8 => Schema::Integer { min: i8::MIN as i64, max: i8::MAX as i64 };
    i16 => Schema::Integer { min: i16::MIN as i64, max: i16::MAX as i64 };
    i32 => Schema::Integer { min: i32::MIN as i64, max: i32::MAX as i64 };
    i64 => Schema::Integer { min: i64::MIN, max: i64::MAX };
    u8 => Schema::Integer { min: 0, max: u8::MAX as i64 };
    u16 => Schema::Integer { min: 0, max: u16::MAX as i64 };
    u32 => Schema::Integer { min: 0, max: u32::MAX as i64 };
    f32 => Schema::Number;
    f64 => Schema::Number;
    Value => Schema::Any;
    Map<String, Value> => Schema::Object;
    () => Schema::Unit;
}

impl<T: Modeled> Modeled for Vec<T> {
    fn schema() -> &'static Schema {
        const { &Schema::Array(T::schema) }
    }
}

impl<T: Modeled> Modeled for BTreeMap<String, T> {
    fn schema() -> &'static Schema {
        const { &Schema::Map(T::schema) }
    }
}

impl<T: Modeled> Modeled for Option<T> {
    fn schema() -> &'static Schema {
        const { &Schema::Nullable(T::schema) }
    }
}

impl<T: Modeled> Modeled for Box<T> {
    fn schema() -> &'static Schema {
        T::schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_describe_their_items() {
        let Schema::Array(item) = <Vec<Option<i32>>>::schema() else {
            panic!("an array")
        };
        let Schema::Nullable(inner) = item() else {
            panic!("nullable items")
        };
        assert!(matches!(inner(), Schema::Integer { min, max } if *min == i32::MIN as i64 && *max == i32::MAX as i64));
        assert!(matches!(<Box<String>>::schema(), Schema::String));
        assert_eq!(<BTreeMap<String, bool>>::schema().expected(), Expected::Object);
        assert!(<Option<String>>::schema().takes_null() && !<String>::schema().takes_null());
    }

    #[test]
    fn shapes_check_type_required_and_constants() {
        let token = Shape::Object {
            required: &["object", "jwt"],
            constants: &[("object", "token")],
        };
        assert!(token.fits(&json!({"object": "token", "jwt": "x"})));
        assert!(!token.fits(&json!({"object": "token"})));
        assert!(token.fits_loosely(&json!({"object": "token"})));
        assert!(!token.fits_loosely(&json!({"object": "cookies", "jwt": "x"})));
        assert!(!token.fits_loosely(&json!(["object"])));
        assert!(Shape::Integer.fits(&json!(3)) && !Shape::Integer.fits(&json!(3.5)));
        assert!(Shape::Number.fits(&json!(3.5)) && Shape::Any.fits(&json!(null)));
    }
}
