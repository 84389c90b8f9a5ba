//! Types as fields, bodies and responses refer to them, and how Rust writes each.
//!
//! [`TypeRef::rust`] (and [`Field::rust_type`](super::Field::rust_type), which adds a field's
//! wrapper) is the one place that decides how a type is written. The generated code, the
//! Markdown docs and the regeneration report each only spell the [`RustType`] it returns: as
//! tokens, as text with links to the models, and as plain text.

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

use crate::runtime;

/// A library type: the path generated code names it by, and the name docs and reports show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Library {
    /// The path in generated code, such as `std::collections::BTreeMap`.
    pub code: &'static str,
    /// The name in docs and reports, such as `BTreeMap`.
    pub text: &'static str,
}

const fn library(code: &'static str, text: &'static str) -> Library {
    Library { code, text }
}

/// `Option`, the wrapper of optional and of required nullable fields.
pub const OPTION: Library = library("Option", "Option");
/// `Nullable`, the runtime's three-state wrapper of optional nullable request fields.
pub const NULLABLE: Library = library(runtime::NULLABLE.as_str(), "Nullable");
const STRING: Library = library("String", "String");
const BOOL: Library = library("bool", "bool");
const I32: Library = library("i32", "i32");
const I64: Library = library("i64", "i64");
const F32: Library = library("f32", "f32");
const F64: Library = library("f64", "f64");
const U8: Library = library("u8", "u8");
const VEC: Library = library("Vec", "Vec");
const BOX: Library = library("Box", "Box");
const BTREE_MAP: Library = library("std::collections::BTreeMap", "BTreeMap");
const FILE_PART: Library = library(runtime::FILE_PART.as_str(), "FilePart");
const JSON_VALUE: Library = library("serde_json::Value", "serde_json::Value");
const JSON_MAP: Library = library("serde_json::Map", "serde_json::Map");
/// `serde_json::Value` as the value type of a free-form object, which the docs shorten to
/// `serde_json::Map<String, Value>`.
const JSON_MAP_VALUE: Library = library("serde_json::Value", "Value");

/// A type as Rust writes it: a generated model, or a library type with its generic arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// A generated type, by name: in scope inside the models module, behind `models::`
    /// elsewhere.
    Model(String),
    /// A type from the standard library, `serde_json` or the runtime.
    Library {
        /// Which type.
        ty: Library,
        /// Its generic arguments, none for most.
        args: Vec<RustType>,
    },
}

impl RustType {
    /// A library type with generic arguments, such as `Vec<T>`.
    pub fn generic(ty: Library, args: Vec<RustType>) -> RustType {
        RustType::Library { ty, args }
    }

    fn plain(ty: Library) -> RustType {
        RustType::generic(ty, Vec::new())
    }

    /// Whether a generated type that `is_linked` says has a page of its own appears in this
    /// type, so that the docs write it as a link.
    pub fn links(&self, is_linked: &dyn Fn(&str) -> bool) -> bool {
        match self {
            RustType::Model(name) => is_linked(name),
            RustType::Library { args, .. } => args.iter().any(|arg| arg.links(is_linked)),
        }
    }
}

/// The type as docs and reports write it, such as `Option<Vec<PhoneNumber>>`.
impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RustType::Model(name) => f.write_str(name),
            RustType::Library { ty, args } => {
                f.write_str(ty.text)?;
                if let Some((first, rest)) = args.split_first() {
                    write!(f, "<{first}")?;
                    for arg in rest {
                        write!(f, ", {arg}")?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
        }
    }
}

impl TypeRef {
    /// How Rust writes this type, without a field's wrapper.
    pub fn rust(&self) -> RustType {
        let plain = RustType::plain;
        match self {
            TypeRef::String => plain(STRING),
            TypeRef::Bool => plain(BOOL),
            TypeRef::I32 => plain(I32),
            TypeRef::I64 => plain(I64),
            TypeRef::F32 => plain(F32),
            TypeRef::F64 => plain(F64),
            TypeRef::Json => plain(JSON_VALUE),
            TypeRef::Binary => plain(FILE_PART),
            TypeRef::Bytes => RustType::generic(VEC, vec![plain(U8)]),
            TypeRef::JsonMap => RustType::generic(JSON_MAP, vec![plain(STRING), plain(JSON_MAP_VALUE)]),
            TypeRef::Map(value) => RustType::generic(BTREE_MAP, vec![plain(STRING), value.rust()]),
            TypeRef::Vec(item) => RustType::generic(VEC, vec![item.rust()]),
            TypeRef::Boxed(inner) => RustType::generic(BOX, vec![inner.rust()]),
            TypeRef::Named(name) => RustType::Model(name.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_written_as_rust_writes_them() {
        let named = || Box::new(TypeRef::Named("PhoneNumber".to_owned()));
        let cases = [
            (TypeRef::Vec(named()), "Vec<PhoneNumber>"),
            (
                TypeRef::Map(Box::new(TypeRef::Vec(named()))),
                "BTreeMap<String, Vec<PhoneNumber>>",
            ),
            (TypeRef::JsonMap, "serde_json::Map<String, Value>"),
            (TypeRef::Json, "serde_json::Value"),
            (TypeRef::Bytes, "Vec<u8>"),
            (TypeRef::Binary, "FilePart"),
            (TypeRef::Boxed(named()), "Box<PhoneNumber>"),
        ];
        for (ty, text) in cases {
            assert_eq!(ty.rust().to_string(), text, "{ty:?}");
        }
    }

    #[test]
    fn only_types_that_name_a_linked_model_link() {
        let linked = |name: &str| name == "PhoneNumber";
        let ty = |t: TypeRef| t.rust().links(&linked);
        assert!(ty(TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Named(
            "PhoneNumber".to_owned()
        )))))));
        assert!(!ty(TypeRef::Vec(Box::new(TypeRef::Named("Other".to_owned())))));
        assert!(!ty(TypeRef::JsonMap));
    }
}
