//! Type lowering: schemas to the model's named types.
//!
//! [`TypeLowerer`] owns everything about types: the names taken, the memo of schemas already
//! lowered, the type table, and the keywords beside `$ref`s. Operation lowering borrows it and
//! reaches it only through the `pub(in crate::lower)` methods here:
//! - [`TypeLowerer::lower`] a schema slot (or [`TypeLowerer::target`] and
//!   [`TypeLowerer::lower_target`], to read the schema a `$ref` leads to as well);
//! - [`TypeLowerer::claim`] and [`TypeLowerer::define`] a type of its own (a query struct);
//! - ask what a type is ([`TypeLowerer::kind`], [`TypeLowerer::value_shape`],
//!   [`TypeLowerer::is_scalar`]) or mark a multipart body ([`TypeLowerer::struct_mut`]);
//! - [`TypeLowerer::warn`];
//! - [`TypeLowerer::finish`] into the types of the API.

mod keywords;
mod objects;
mod schemas;
mod shapes;
mod siblings;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

pub(in crate::lower) use shapes::ValueShape;

use super::refs::{Resolved, resolve};
use crate::error::{Error, Pointer, Warning};
use crate::model::{Presence, StructDef, TypeDef, TypeKind, TypeRef};
use crate::names::{Scope, type_name};

/// A schema after lowering: its Rust type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub(in crate::lower) struct Lowered {
    /// The Rust type.
    pub(in crate::lower) ty: TypeRef,
    /// Whether the schema allows `null`.
    pub(in crate::lower) nullable: bool,
}

/// A schema position that may hold a `$ref` or an inline schema, whatever its boxing.
pub(in crate::lower) enum SchemaSlot<'r, 's> {
    /// A `$ref`, with its target to be found.
    Ref(&'r str),
    /// A schema written in place.
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Schema>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Box<Schema>>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

/// The schema a slot holds, its `$ref` followed once: what a caller lowers, and reads (a
/// component's extensions or description) without resolving the reference again.
pub(in crate::lower) struct Target<'a> {
    /// The schema.
    pub(in crate::lower) schema: &'a Schema,
    /// Where the schema is: the component's pointer when the slot is a `$ref`.
    pub(in crate::lower) pointer: Pointer,
    /// For a `$ref`: the component's name, and where the reference is written (the keywords
    /// beside it are read there).
    pub(in crate::lower) reference: Option<(String, Pointer)>,
}

/// Schemas to named types: the type table and what it takes to fill it without a name twice.
pub(in crate::lower) struct TypeLowerer<'a> {
    spec: &'a OpenAPI,
    /// Type names taken so far. Every component schema's name is taken up front, so inline
    /// schemas never push a component's type to a suffixed name.
    type_names: Scope,
    /// The type name of each component schema, by pointer.
    component_names: BTreeMap<Pointer, String>,
    /// Types defined so far, by name.
    types: BTreeMap<String, TypeDef>,
    /// Every schema lowered so far, by its canonical pointer, so a schema reached twice
    /// (two `$ref`s, or a shared response) becomes one type.
    memo: BTreeMap<Pointer, Lowered>,
    /// The keywords beside each `$ref` that has any, by the pointer of its object (openapiv3
    /// drops them).
    ref_siblings: BTreeMap<Pointer, serde_yaml::Mapping>,
    /// The `$ref`s whose siblings lowering has read (and warned about).
    read_siblings: BTreeSet<Pointer>,
    /// What lowering went past without representing it.
    warnings: Vec<Warning>,
}

impl<'a> TypeLowerer<'a> {
    /// A type lowerer for `spec`, given the keywords written beside each `$ref`.
    ///
    /// Reserves every component schema's type name up front. Two components whose names become
    /// the same Rust name are an error: numbering one of them would make its name depend on the
    /// order of the spec, and change when Clerk reorders it.
    pub(in crate::lower) fn new(
        spec: &'a OpenAPI,
        ref_siblings: BTreeMap<Pointer, serde_yaml::Mapping>,
    ) -> Result<Self, Error> {
        let mut type_names = Scope::new();
        let mut component_names = BTreeMap::new();
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        for name in spec.components.iter().flat_map(|components| components.schemas.keys()) {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            let rust_name = type_name(name);
            if let Some(first) = owners.get(&rust_name) {
                return Err(Error::unsupported(
                    &pointer,
                    format!("schemas `{first}` and `{name}` would both be named `{rust_name}` in Rust; rename one"),
                ));
            }
            owners.insert(rust_name.clone(), name.clone());
            component_names.insert(pointer, type_names.claim(&rust_name));
        }
        Ok(TypeLowerer {
            spec,
            type_names,
            component_names,
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            ref_siblings,
            read_siblings: BTreeSet::new(),
            warnings: Vec::new(),
        })
    }

    /// The spec being lowered.
    pub(in crate::lower) fn spec(&self) -> &'a OpenAPI {
        self.spec
    }

    /// Lowers a `$ref` or inline schema. `hint` names an inline schema that needs a type;
    /// `pointer` is where the slot is.
    pub(in crate::lower) fn lower(
        &mut self,
        slot: SchemaSlot<'_, 'a>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<Lowered, Error> {
        let target = self.target(slot, pointer)?;
        self.lower_target(&target, hint)
    }

    /// The schema in `slot`, at `pointer`, with a `$ref` followed (through any chain).
    pub(in crate::lower) fn target(&self, slot: SchemaSlot<'_, 'a>, pointer: &Pointer) -> Result<Target<'a>, Error> {
        Ok(match slot {
            SchemaSlot::Inline(schema) => Target {
                schema,
                pointer: pointer.clone(),
                reference: None,
            },
            SchemaSlot::Ref(reference) => {
                let Resolved {
                    pointer: target,
                    item,
                    name,
                } = resolve(self.spec, reference, pointer)?;
                Target {
                    schema: item,
                    pointer: target,
                    reference: Some((name, pointer.clone())),
                }
            }
        })
    }

    /// Lowers a schema found by [`Self::target`]. A component's type is named after the
    /// component; an inline schema's after `hint`.
    pub(in crate::lower) fn lower_target(&mut self, target: &Target<'a>, hint: &str) -> Result<Lowered, Error> {
        let Some((component, written_at)) = &target.reference else {
            return self.lower_schema(target.schema, hint, &target.pointer);
        };
        let mut lowered = self.lower_schema(target.schema, &type_name(component), &target.pointer)?;
        self.apply_ref_siblings(written_at, target.schema, &mut lowered);
        Ok(lowered)
    }

    /// Claims a unique type name and records it for `pointer`, so recursive references to the
    /// schema resolve to the type being defined.
    pub(in crate::lower) fn claim(&mut self, hint: &str, pointer: &Pointer) -> String {
        let name = match self.component_names.get(pointer) {
            Some(name) => name.clone(),
            None => self.type_names.claim(&type_name(hint)),
        };
        self.memo.insert(
            pointer.clone(),
            Lowered {
                ty: TypeRef::Named(name.clone()),
                nullable: false,
            },
        );
        name
    }

    /// Defines the type `name`, claimed with [`Self::claim`].
    pub(in crate::lower) fn define(&mut self, name: &str, doc: Option<String>, pointer: &Pointer, kind: TypeKind) {
        let def = TypeDef {
            name: name.to_owned(),
            doc,
            pointer: pointer.clone(),
            kind,
        };
        self.types.insert(name.to_owned(), def);
    }

    /// What the generated type `ty` is, when `ty` is one.
    pub(in crate::lower) fn kind(&self, ty: &TypeRef) -> Option<&TypeKind> {
        let TypeRef::Named(name) = ty else { return None };
        self.types.get(name).map(|def| &def.kind)
    }

    /// The struct `ty` is, when it is a generated struct, to change.
    pub(in crate::lower) fn struct_mut(&mut self, ty: &TypeRef) -> Option<&mut StructDef> {
        let TypeRef::Named(name) = ty else { return None };
        match self.types.get_mut(name).map(|def| &mut def.kind) {
            Some(TypeKind::Struct(def)) => Some(def),
            _ => None,
        }
    }

    /// Records what lowering went past without representing it, once: a construct met again
    /// through another reference (an error response shared by many operations, say) is the
    /// same warning, not a new one.
    pub(in crate::lower) fn warn(&mut self, warning: Warning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The types, sorted by name, and the warnings met. Boxes the fields through which a
    /// struct holds itself, warns about the keywords beside `$ref`s that nothing read, and
    /// marks each struct sent in a request (from `request_roots`) or received in a response
    /// (from `response_roots`), which decides its fields' presence.
    pub(in crate::lower) fn finish(
        mut self,
        request_roots: &[TypeRef],
        response_roots: &[TypeRef],
    ) -> Result<(Vec<TypeDef>, Vec<Warning>), Error> {
        self.box_recursive_fields()?;
        self.warn_unread_siblings();
        let request_types = self.reachable_from(request_roots);
        let response_types = self.reachable_from(response_roots);
        for (name, def) in &mut self.types {
            if let TypeKind::Struct(def) = &mut def.kind {
                def.used_in_request = request_types.contains(name);
                def.used_in_response = response_types.contains(name);
                for field in &mut def.fields {
                    field.presence = Presence::of(field.required, field.nullable, def.used_in_request);
                }
            }
        }
        Ok((self.types.into_values().collect(), self.warnings))
    }

    /// Boxes every struct field through which the struct contains itself by value (such as
    /// `Node.next: Node`), which Rust can lay out only behind a pointer. A cycle with no struct
    /// field on it (a union that is its own variant) cannot be broken that way and is refused.
    fn box_recursive_fields(&mut self) -> Result<(), Error> {
        let mut to_box = Vec::new();
        for (name, def) in &self.types {
            let TypeKind::Struct(def) = &def.kind else { continue };
            for (index, field) in def.fields.iter().enumerate() {
                if let TypeRef::Named(target) = &field.ty
                    && self.reaches(target, name)
                {
                    to_box.push((name.clone(), index));
                }
            }
        }
        for (name, index) in to_box {
            if let Some(TypeKind::Struct(def)) = self.types.get_mut(&name).map(|def| &mut def.kind) {
                let field = &mut def.fields[index];
                field.ty = TypeRef::Boxed(Box::new(field.ty.clone()));
            }
        }
        for (name, def) in &self.types {
            if direct_children(&def.kind).iter().any(|child| self.reaches(child, name)) {
                return Err(Error::unsupported(
                    &def.pointer,
                    format!("`{name}` contains itself through union variants alone, which no field can break"),
                ));
            }
        }
        Ok(())
    }

    /// Whether type `from` holds type `to` by value, directly or through other types.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if seen.insert(current)
                && let Some(def) = self.types.get(current)
            {
                stack.extend(direct_children(&def.kind));
            }
        }
        false
    }

    /// Names of all generated types reachable from `roots`.
    fn reachable_from(&self, roots: &[TypeRef]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.iter().filter_map(TypeRef::named).map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.types.get(&name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => {
                    stack.extend(def.fields.iter().filter_map(|f| f.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Union(def)) => stack.extend(def.variants.iter().map(|v| v.ty.clone())),
                Some(TypeKind::Untagged(def)) => {
                    stack.extend(def.variants.iter().filter_map(|v| v.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Enum(_)) | None => {}
            }
        }
        seen
    }
}

/// The types a type holds by value (not behind a `Vec` or map), which a recursive layout
/// would have to go through.
fn direct_children(kind: &TypeKind) -> Vec<&str> {
    fn by_value(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(def) => def.fields.iter().filter_map(|field| by_value(&field.ty)).collect(),
        TypeKind::Union(def) => def.variants.iter().map(|v| v.ty.as_str()).collect(),
        TypeKind::Untagged(def) => def.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Lowers `#/components/schemas/{name}` of a spec whose schemas are `schemas` (YAML indented
/// under `schemas:`), with every type it defined, for the type lowering's unit tests.
#[cfg(test)]
fn lower_component(schemas: &str, name: &str) -> (Lowered, BTreeMap<String, TypeDef>) {
    let spec = super::spec_with_components(&format!("  schemas:\n{schemas}"));
    let mut lowerer = TypeLowerer::new(&spec, BTreeMap::new()).expect("names are unique");
    let reference = format!("#/components/schemas/{name}");
    let lowered = lowerer
        .lower(SchemaSlot::Ref(&reference), "", &Pointer::root())
        .expect("lowers");
    (lowered, lowerer.types)
}
