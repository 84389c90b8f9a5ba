//! The lenient decoder's walk: a JSON value and its [`Schema`], side by side. Where the value
//! deviates, the walk repairs it into what the Rust type can hold (see the outcome table in the
//! [module docs](super)) and records a [`Deviation`] at its JSON pointer. The repaired value is
//! then decoded by the types' own `Deserialize` impls, so the walk never builds a Rust value
//! itself, and the rules of the table live in this one place.

use serde_json::{Map, Number, Value};

use super::schema::{Enum, Field, Schema, Struct, TaggedUnion};
use super::{Deviation, DeviationKind, Expected, JsonType, Resolution, untagged};
use crate::unknown_fields::FILLED_MARKER;

/// How deep the empty value of a struct may nest: a struct that requires itself has no finite
/// empty value, and stops here (its decode then fails with the path of the cut).
const MAX_EMPTY_DEPTH: usize = 32;

/// The walk's state: where it is, and what it found so far.
pub(crate) struct Walker {
    /// The JSON pointer of the value being walked.
    pointer: String,
    pub(crate) deviations: Vec<Deviation>,
}

impl Walker {
    /// A walk from the root of a body.
    pub(crate) fn new() -> Self {
        Walker {
            pointer: String::new(),
            deviations: Vec::new(),
        }
    }

    /// Repairs `value` in place against `schema`, recording each deviation. Returns `false`,
    /// leaving it to the caller, when the value is not of the schema's JSON type and cannot be
    /// converted to it; nothing inside it was recorded then.
    pub(crate) fn repair(&mut self, value: &mut Value, schema: &'static Schema) -> bool {
        match schema {
            Schema::Any => true,
            Schema::Unit => {
                if !value.is_null() {
                    self.report(
                        DeviationKind::UnexpectedBody,
                        Expected::Nothing,
                        JsonType::of(value),
                        Resolution::Ignored,
                    );
                    *value = Value::Null;
                }
                true
            }
            Schema::Boolean => self.convert(value, Expected::Boolean, to_boolean),
            Schema::Integer { min, max } => {
                self.convert(value, Expected::Integer, |value| to_integer(value, *min, *max))
            }
            Schema::Number => self.convert(value, Expected::Number, to_number),
            Schema::String => self.convert(value, Expected::String, to_string),
            Schema::Object => value.is_object(),
            Schema::Array(item) => match value {
                Value::Array(items) => {
                    self.repair_items(items, item());
                    true
                }
                _ => false,
            },
            Schema::Map(item) => match value {
                Value::Object(entries) => {
                    self.repair_entries(entries, item());
                    true
                }
                _ => false,
            },
            Schema::Nullable(inner) => value.is_null() || self.repair(value, inner()),
            Schema::Struct(def) => match value {
                Value::Object(object) => {
                    self.repair_fields(object, def);
                    true
                }
                _ => false,
            },
            Schema::Enum(def) => self.repair_enum(value, def),
            Schema::Tagged(def) => self.repair_tagged(value, def),
            Schema::Untagged(def) => untagged::repair(self, value, def),
        }
    }

    /// A string of the enum (or a scalar that converts to one); a value it does not list is
    /// kept, and reported.
    fn repair_enum(&mut self, value: &mut Value, def: &'static Enum) -> bool {
        let fits = self.convert(value, Expected::Enum(def.name), to_string);
        if fits && value.as_str().is_some_and(|text| !(def.is_known)(text)) {
            self.report(
                DeviationKind::UnknownValue,
                Expected::Enum(def.name),
                JsonType::String,
                Resolution::KeptUnknown,
            );
        }
        fits
    }

    /// A member of a tagged union: repaired as the member its tag names; kept as it is, and
    /// reported at the tag, when the tag is one the union does not list or is missing.
    fn repair_tagged(&mut self, value: &mut Value, def: &'static TaggedUnion) -> bool {
        let Value::Object(object) = value else { return false };
        let (kind, found) = match object.get(def.tag) {
            Some(Value::String(tag)) => match def.variants.iter().find(|(known, _)| known == tag) {
                Some((_, variant)) => return self.repair(value, variant()),
                None => (DeviationKind::UnknownTag, JsonType::String),
            },
            Some(other) => (DeviationKind::MissingTag, JsonType::of(other)),
            None => (DeviationKind::MissingTag, JsonType::Missing),
        };
        self.at(def.tag, |walker| {
            walker.report(kind, Expected::Union(def.name), found, Resolution::KeptUnknown);
        });
        true
    }

    /// Checks a scalar by what `convert` says of it: it fits; it converts, and is replaced
    /// with the conversion, reported; or it does not fit (`false`).
    fn convert(&mut self, value: &mut Value, expected: Expected, convert: impl Fn(&Value) -> Conversion) -> bool {
        match convert(value) {
            Conversion::Fits => true,
            Conversion::To(converted) => {
                self.report(
                    DeviationKind::WrongType,
                    expected,
                    JsonType::of(value),
                    Resolution::Converted,
                );
                *value = converted;
                true
            }
            Conversion::Impossible => false,
        }
    }

    /// Repairs each field of a struct, in the spec's order, and names those it filled in
    /// (see [`UnknownFields::filled`](crate::UnknownFields::filled)).
    fn repair_fields(&mut self, object: &mut Map<String, Value>, def: &'static Struct) {
        let mut filled = Vec::new();
        for field in def.fields {
            if self.at(field.name, |walker| walker.repair_field(object, field)) {
                filled.push(Value::from(field.name));
            }
        }
        if !filled.is_empty() {
            object.insert(FILLED_MARKER.to_owned(), Value::Array(filled));
        }
    }

    /// Repairs one field: present, absent, `null` or of the wrong type. Returns whether the
    /// field now holds a value the repair filled in, not one that came.
    fn repair_field(&mut self, object: &mut Map<String, Value>, field: &'static Field) -> bool {
        let schema = (field.schema)();
        let Some(value) = object.get_mut(field.name) else {
            if field.required {
                let resolution = self.absent(object, field, schema);
                self.report(DeviationKind::Missing, schema.expected(), JsonType::Missing, resolution);
            }
            return field.required;
        };
        if value.is_null() {
            let refused = !field.nullable && !schema.takes_null();
            if refused {
                let resolution = self.absent(object, field, schema);
                self.report(DeviationKind::Null, schema.expected(), JsonType::Null, resolution);
            }
            return refused;
        }
        if !self.repair(value, schema) {
            let found = JsonType::of(value);
            let resolution = self.absent(object, field, schema);
            self.report(DeviationKind::WrongType, schema.expected(), found, resolution);
            return true;
        }
        false
    }

    /// Makes `field` what an absent field decodes as: left out when optional, `null` when
    /// nullable, its type's empty value otherwise.
    fn absent(&mut self, object: &mut Map<String, Value>, field: &Field, schema: &'static Schema) -> Resolution {
        if !field.required {
            object.remove(field.name);
            Resolution::None
        } else if field.nullable || schema.takes_null() {
            object.insert(field.name.to_owned(), Value::Null);
            Resolution::None
        } else {
            object.insert(field.name.to_owned(), empty(schema, 0));
            Resolution::Empty
        }
    }

    /// Repairs each item of an array, leaving out those that cannot be: one bad item never
    /// costs the others.
    fn repair_items(&mut self, items: &mut Vec<Value>, schema: &'static Schema) {
        let all = std::mem::take(items);
        items.reserve(all.len());
        for (index, mut item) in all.into_iter().enumerate() {
            if self.at(&index.to_string(), |walker| walker.keep(&mut item, schema)) {
                items.push(item);
            }
        }
    }

    /// Repairs each value of a map, leaving out those that cannot be.
    fn repair_entries(&mut self, entries: &mut Map<String, Value>, schema: &'static Schema) {
        let all = std::mem::take(entries);
        for (key, mut value) in all {
            if self.at(&key, |walker| walker.keep(&mut value, schema)) {
                entries.insert(key, value);
            }
        }
    }

    /// Repairs an array item or map value, or reports it dropped.
    fn keep(&mut self, value: &mut Value, schema: &'static Schema) -> bool {
        if value.is_null() && !schema.takes_null() {
            self.report(
                DeviationKind::Null,
                schema.expected(),
                JsonType::Null,
                Resolution::Dropped,
            );
            false
        } else if self.repair(value, schema) {
            true
        } else {
            self.report(
                DeviationKind::WrongType,
                schema.expected(),
                JsonType::of(value),
                Resolution::Dropped,
            );
            false
        }
    }

    /// Runs `walk` one level down, at property or index `segment`.
    pub(super) fn at<R>(&mut self, segment: &str, walk: impl FnOnce(&mut Self) -> R) -> R {
        let length = self.pointer.len();
        self.pointer.push('/');
        for c in segment.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        let result = walk(self);
        self.pointer.truncate(length);
        result
    }

    /// Records a deviation at the current pointer.
    pub(super) fn report(&mut self, kind: DeviationKind, expected: Expected, found: JsonType, resolution: Resolution) {
        self.deviations.push(Deviation {
            pointer: self.pointer.clone(),
            kind,
            expected,
            found,
            resolution,
            dropped: None,
        });
    }

    /// Walks a copy of `value` at the current pointer, recording nothing here: what the value
    /// would become, whether it fits, and what it would report.
    pub(super) fn trial(&self, value: &Value, schema: &'static Schema) -> (Value, bool, Vec<Deviation>) {
        let mut trial = Walker {
            pointer: self.pointer.clone(),
            deviations: Vec::new(),
        };
        let mut copy = value.clone();
        let fits = trial.repair(&mut copy, schema);
        (copy, fits, trial.deviations)
    }
}

/// What a scalar becomes.
enum Conversion {
    /// It is of the right type already.
    Fits,
    /// It converts, without loss, to this value.
    To(Value),
    /// It does not.
    Impossible,
}

fn to_boolean(value: &Value) -> Conversion {
    match value {
        Value::Bool(_) => Conversion::Fits,
        Value::String(text) if text == "true" => Conversion::To(Value::Bool(true)),
        Value::String(text) if text == "false" => Conversion::To(Value::Bool(false)),
        _ => Conversion::Impossible,
    }
}

/// 2^53: below it, a whole `f64` is the one number that reads as it; from it on, the float a
/// JSON number was read as may not be the number that was sent (`9007199254740993.0` reads as
/// 2^53 itself).
const EXACT_FLOAT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// An integer in `min..=max`: an integral number, or a string holding one. A float converts
/// only where it is exact: whole, and below 2^53.
fn to_integer(value: &Value, min: i64, max: i64) -> Conversion {
    let in_range = |n: i64| (min..=max).contains(&n);
    let from_float = |f: f64| {
        // Whole and below 2^53: the float is the number sent, and `as` is exact.
        (f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT_FLOAT_LIMIT)
            .then_some(f as i64)
            .filter(|&n| in_range(n))
    };
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(n) if in_range(n) => Conversion::Fits,
            Some(_) => Conversion::Impossible,
            None => match number.as_f64().filter(|_| number.is_f64()).and_then(from_float) {
                Some(n) => Conversion::To(Value::from(n)),
                None => Conversion::Impossible,
            },
        },
        Value::String(text) => match text.parse::<i64>() {
            Ok(n) if in_range(n) => Conversion::To(Value::from(n)),
            Ok(_) => Conversion::Impossible,
            Err(_) => match text.parse::<f64>().ok().and_then(from_float) {
                Some(n) => Conversion::To(Value::from(n)),
                None => Conversion::Impossible,
            },
        },
        _ => Conversion::Impossible,
    }
}

/// A number: a JSON number, or a string holding one that an `f64` reads as the number it
/// says (an integer within 2^53, or a decimal, read as JSON reads one).
fn to_number(value: &Value) -> Conversion {
    match value {
        Value::Number(_) => Conversion::Fits,
        Value::String(text) => {
            if let Ok(integer) = text.parse::<i64>() {
                // An integer beyond 2^53 has no exact `f64`; one within it converts exactly.
                return match integer.unsigned_abs() <= 1 << 53 {
                    true => Conversion::To(Value::from(integer)),
                    false => Conversion::Impossible,
                };
            }
            match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(number) if !looks_integral(text) => Conversion::To(Value::Number(number)),
                _ => Conversion::Impossible,
            }
        }
        _ => Conversion::Impossible,
    }
}

/// Whether `text` is digits only (with a sign): an integer too large for `i64`.
fn looks_integral(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit())
}

/// A string: a string, a boolean as `true` or `false`, or an integer as its digits. A float
/// does not convert: its text is not what was sent (`1.5555550147e10` would become
/// `"15555550147.0"`).
fn to_string(value: &Value) -> Conversion {
    match value {
        Value::String(_) => Conversion::Fits,
        Value::Number(number) if !number.is_f64() => Conversion::To(Value::String(number.to_string())),
        Value::Bool(flag) => Conversion::To(Value::String(flag.to_string())),
        _ => Conversion::Impossible,
    }
}

/// The empty value of a schema: what a required field that did not come decodes as.
pub(super) fn empty(schema: &'static Schema, depth: usize) -> Value {
    match schema {
        Schema::Any | Schema::Unit | Schema::Nullable(_) | Schema::Tagged(_) | Schema::Untagged(_) => Value::Null,
        Schema::Boolean => Value::Bool(false),
        Schema::Integer { min, max } => Value::from(0i64.clamp(*min, *max)),
        Schema::Number => Value::from(0),
        Schema::String | Schema::Enum(_) => Value::String(String::new()),
        Schema::Object | Schema::Map(_) => Value::Object(Map::new()),
        Schema::Array(_) => Value::Array(Vec::new()),
        Schema::Struct(_) if depth >= MAX_EMPTY_DEPTH => Value::Null,
        Schema::Struct(def) => {
            let mut object: Map<String, Value> = def
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| {
                    let schema = (field.schema)();
                    let value = if field.nullable {
                        Value::Null
                    } else {
                        empty(schema, depth + 1)
                    };
                    (field.name.to_owned(), value)
                })
                .collect();
            // Every field of a struct that did not come is filled in.
            let filled: Vec<Value> = object.keys().map(|name| Value::from(name.as_str())).collect();
            if !filled.is_empty() {
                object.insert(FILLED_MARKER.to_owned(), Value::Array(filled));
            }
            Value::Object(object)
        }
    }
}

#[cfg(test)]
mod tests;
