//! What a value of a lowered type looks like: which styles can send it, and which JSON
//! selects it among an untagged union's variants.

use super::TypeLowerer;
use crate::model::{Shape, TypeKind, TypeRef};

/// The shape of a value, which decides which styles apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::lower) enum ValueShape {
    /// A scalar or an enum.
    Scalar,
    /// An array of scalars.
    Array,
    /// An object whose values are scalars (a struct, a map or a free-form object).
    Object,
}

impl TypeLowerer<'_> {
    /// The shape of a value of type `ty`, or `None` when it nests deeper than `name=value` pairs
    /// can carry.
    pub(in crate::lower) fn value_shape(&self, ty: &TypeRef) -> Option<ValueShape> {
        match ty {
            _ if self.is_scalar(ty) => Some(ValueShape::Scalar),
            TypeRef::Vec(item) if self.is_scalar(item) => Some(ValueShape::Array),
            TypeRef::JsonMap => Some(ValueShape::Object),
            TypeRef::Map(value) if self.is_scalar(value) => Some(ValueShape::Object),
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(def)) if def.fields.iter().all(|f| self.is_scalar(&f.ty)) => {
                    Some(ValueShape::Object)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a type is one `name=value` value: a scalar or an enum.
    pub(in crate::lower) fn is_scalar(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
            TypeRef::Named(name) => matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(_))),
            _ => false,
        }
    }

    /// What a JSON value must look like to be decoded as `ty`.
    pub(super) fn shape_of(&self, ty: &TypeRef) -> Shape {
        match ty {
            TypeRef::String => Shape::String,
            TypeRef::Bool => Shape::Boolean,
            TypeRef::I32 | TypeRef::I64 => Shape::Integer,
            TypeRef::F32 | TypeRef::F64 => Shape::Number,
            TypeRef::Vec(_) => Shape::Array,
            TypeRef::Boxed(inner) => self.shape_of(inner),
            TypeRef::Json | TypeRef::Binary | TypeRef::Bytes => Shape::Any,
            TypeRef::JsonMap | TypeRef::Map(_) => Shape::Object {
                required: Vec::new(),
                constants: Vec::new(),
            },
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(_)) => Shape::String,
                Some(TypeKind::Struct(def)) => Shape::Object {
                    required: def
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.wire_name.clone())
                        .collect(),
                    constants: def
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .filter_map(|f| self.single_value(&f.ty).map(|value| (f.wire_name.clone(), value)))
                        .collect(),
                },
                Some(TypeKind::Union(_) | TypeKind::Untagged(_)) | None => Shape::Any,
            },
        }
    }

    /// The only value of a one-value enum, which identifies the object it is in.
    fn single_value(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else { return None };
        match self.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(def)) if def.variants.len() == 1 => Some(def.variants[0].wire.clone()),
            _ => None,
        }
    }
}
