//! The constraints a schema puts on a value (`minimum`, `maxLength`, `minItems`, ...), which the
//! runtime checks before a request is sent. `pattern` is not among them: checking it would put
//! a regular-expression engine in every application's build.

use openapiv3::{Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use crate::model::Constraint;

/// The constraints of `schema`, in a fixed order: bounds, then lengths, then item counts.
pub(super) fn of(schema: &Schema) -> Vec<Constraint> {
    let mut constraints = Vec::new();
    let SchemaKind::Type(ty) = &schema.schema_kind else {
        return constraints;
    };
    match ty {
        Type::Integer(integer) => {
            // Clerk's bounds are small; `as` is exact for every integer below 2^53.
            #[allow(clippy::cast_precision_loss)]
            bounds(
                &mut constraints,
                integer.minimum.map(|min| min as f64),
                integer.exclusive_minimum,
                integer.maximum.map(|max| max as f64),
                integer.exclusive_maximum,
            );
        }
        Type::Number(number) => bounds(
            &mut constraints,
            number.minimum,
            number.exclusive_minimum,
            number.maximum,
            number.exclusive_maximum,
        ),
        Type::String(string) => {
            constraints.extend(string.min_length.map(|min| Constraint::MinLength(min as u64)));
            constraints.extend(string.max_length.map(|max| Constraint::MaxLength(max as u64)));
        }
        Type::Array(array) => {
            constraints.extend(array.min_items.map(|min| Constraint::MinItems(min as u64)));
            constraints.extend(array.max_items.map(|max| Constraint::MaxItems(max as u64)));
        }
        Type::Object(_) | Type::Boolean(_) => {}
    }
    constraints
}

/// A string schema's `format`, as the spec writes it (`uri`, `date-time`), or that of an array's
/// items written in place: the format of the strings a field holds.
pub(super) fn string_format(schema: &Schema) -> Option<String> {
    let string = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string,
        SchemaKind::Type(Type::Array(array)) => {
            return match array.items.as_ref()? {
                openapiv3::ReferenceOr::Item(items) => string_format(items),
                openapiv3::ReferenceOr::Reference { .. } => None,
            };
        }
        _ => return None,
    };
    match &string.format {
        VariantOrUnknownOrEmpty::Item(format) => Some(
            match format {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }
            .to_owned(),
        ),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The value a schema allows, when it allows one only (`enum` with one value): a constant.
pub(super) fn constant(schema: &Schema) -> Option<String> {
    let one = |values: Vec<String>| (values.len() == 1).then(|| values.into_iter().next()).flatten();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => one(string.enumeration.iter().flatten().cloned().collect()),
        SchemaKind::Type(Type::Boolean(boolean)) => {
            one(boolean.enumeration.iter().flatten().map(bool::to_string).collect())
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            one(integer.enumeration.iter().flatten().map(i64::to_string).collect())
        }
        _ => None,
    }
}

fn bounds(constraints: &mut Vec<Constraint>, min: Option<f64>, above: bool, max: Option<f64>, below: bool) {
    constraints.extend(min.map(|min| {
        if above {
            Constraint::Above(min)
        } else {
            Constraint::Minimum(min)
        }
    }));
    constraints.extend(max.map(|max| {
        if below {
            Constraint::Below(max)
        } else {
            Constraint::Maximum(max)
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraints(yaml: &str) -> Vec<Constraint> {
        of(&serde_yaml::from_str(yaml).expect("a schema"))
    }

    #[test]
    fn each_kind_of_schema_gives_its_constraints() {
        assert_eq!(
            constraints("{type: integer, minimum: 1, maximum: 500}"),
            [Constraint::Minimum(1.0), Constraint::Maximum(500.0)]
        );
        assert_eq!(
            constraints("{type: number, minimum: 0, exclusiveMinimum: true}"),
            [Constraint::Above(0.0)]
        );
        assert_eq!(
            constraints("{type: string, minLength: 1, maxLength: 255, pattern: '^a'}"),
            [Constraint::MinLength(1), Constraint::MaxLength(255)]
        );
        assert_eq!(
            constraints("{type: array, items: {type: string}, minItems: 1}"),
            [Constraint::MinItems(1)]
        );
        assert_eq!(constraints("{type: boolean}"), []);
        assert_eq!(constraints("{oneOf: [{type: string}]}"), []);
    }

    #[test]
    fn only_a_single_allowed_value_is_a_constant() {
        let schema = |yaml: &str| -> Schema { serde_yaml::from_str(yaml).expect("a schema") };
        assert_eq!(
            constant(&schema("{type: boolean, enum: [true]}")),
            Some("true".to_owned())
        );
        assert_eq!(
            constant(&schema("{type: string, enum: [code]}")),
            Some("code".to_owned())
        );
        assert_eq!(constant(&schema("{type: string, enum: [a, b]}")), None);
        assert_eq!(constant(&schema("{type: boolean}")), None);
    }
}
