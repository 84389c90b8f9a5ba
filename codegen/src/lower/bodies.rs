//! Request bodies: which media type is sent, the body's type, and what a form or multipart
//! body may hold.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, RequestBody};

use super::operations::OperationLowerer;
use super::refs::follow;
use super::styles::{self, Place};
use super::{FORM, JSON, MULTIPART, OCTET_STREAM};
use crate::error::{Error, Pointer};
use crate::model::{Body, BodyEncoding, Style, TypeKind, TypeRef};

impl<'a> OperationLowerer<'_, 'a> {
    pub(super) fn lower_body(
        &mut self,
        slot: &'a ReferenceOr<RequestBody>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Body, Error> {
        let (body_pointer, body, component) = follow(self.spec, slot, pointer)?;
        let hint = component.unwrap_or_else(|| format!("{operation_id}Request"));
        let content_pointer = body_pointer.join("content");
        let (media_type, media, encoding) = choose_media_type(&body.content).ok_or_else(|| {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            Error::unsupported(
                &content_pointer,
                format!(
                    "only application/json, application/x-www-form-urlencoded, multipart/form-data and application/octet-stream request bodies are supported, found {}",
                    types.join(", ")
                ),
            )
        })?;
        let media_pointer = content_pointer.join(media_type);
        let schema_pointer = media_pointer.join("schema");
        let ty = match (encoding, &media.schema) {
            (BodyEncoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => self.types.lower(schema.into(), &hint, &schema_pointer)?.ty,
            (_, None) => TypeRef::Json,
        };
        let mut styles = Vec::new();
        match encoding {
            BodyEncoding::Multipart => self.mark_multipart(&ty, &schema_pointer)?,
            BodyEncoding::Form => {
                styles = self.form_styles(&ty, media, &media_pointer)?;
                self.request_roots.push(ty.clone());
            }
            BodyEncoding::Json => self.request_roots.push(ty.clone()),
            BodyEncoding::Bytes => {}
        }
        Ok(Body {
            ty,
            doc: body.description.clone(),
            encoding,
            media_type: media_type.to_owned(),
            styles,
        })
    }

    /// Checks that a form body is an object whose fields `name=value` pairs can carry, and
    /// reads each field's style from the media type's `encoding`.
    fn form_styles(&self, ty: &TypeRef, media: &MediaType, pointer: &Pointer) -> Result<Vec<(String, Style)>, Error> {
        let schema_pointer = pointer.join("schema");
        let fields = match ty {
            TypeRef::Named(_) => match self.types.kind(ty) {
                Some(TypeKind::Struct(def)) => &def.fields,
                _ => return Err(Error::unsupported(&schema_pointer, "a form body must be an object")),
            },
            // A free-form object (or one without properties): its entries are the fields.
            TypeRef::JsonMap | TypeRef::Json => return Ok(Vec::new()),
            TypeRef::Map(value) if self.types.is_scalar(value) => return Ok(Vec::new()),
            _ => return Err(Error::unsupported(&schema_pointer, "a form body must be an object")),
        };
        let mut styles = Vec::new();
        for field in fields {
            let shape = self.types.value_shape(&field.ty).ok_or_else(|| {
                Error::unsupported(
                    &schema_pointer.join("properties").join(&field.wire_name),
                    "a form field must be a scalar, an array of scalars or an object of scalars",
                )
            })?;
            let encoding_pointer = pointer.join("encoding").join(&field.wire_name);
            let (style, explode) = match media.encoding.get(&field.wire_name) {
                Some(encoding) => (
                    encoding.style.clone().unwrap_or(openapiv3::QueryStyle::Form),
                    self.settings.explicit_explodes.get(&encoding_pointer).copied(),
                ),
                None => (openapiv3::QueryStyle::Form, None),
            };
            if let Some(style) = styles::decide(&style, explode, shape, Place::FormField)
                .map_err(|reason| Error::unsupported(&encoding_pointer, reason))?
            {
                styles.push((field.wire_name.clone(), style));
            }
        }
        Ok(styles)
    }

    /// Checks that a multipart body is a struct of scalars, files and arrays of those, and marks
    /// it so it is emitted as form parts rather than JSON.
    fn mark_multipart(&mut self, ty: &TypeRef, pointer: &Pointer) -> Result<(), Error> {
        let part_ok = |ty: &TypeRef| match ty {
            TypeRef::Vec(item) => is_part_scalar(item),
            other => is_part_scalar(other),
        };
        match self.types.struct_mut(ty) {
            Some(def) if def.fields.iter().all(|f| part_ok(&f.ty)) => {
                def.multipart = true;
                Ok(())
            }
            _ => Err(Error::unsupported(
                pointer,
                "a multipart/form-data body must be an object of strings, numbers, booleans and files",
            )),
        }
    }
}

/// Whether a value can be one multipart part: a file, or a scalar sent as text.
fn is_part_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Binary | TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// The media type a request body is sent as: the first of JSON, form, multipart and bytes that
/// the operation offers (media type parameters, such as `; charset=utf-8`, aside).
fn choose_media_type(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType, BodyEncoding)> {
    let preference = [
        (JSON, BodyEncoding::Json),
        (FORM, BodyEncoding::Form),
        (MULTIPART, BodyEncoding::Multipart),
        (OCTET_STREAM, BodyEncoding::Bytes),
    ];
    preference.iter().find_map(|(wanted, encoding)| {
        content
            .iter()
            .find(|(media_type, _)| essence(media_type).eq_ignore_ascii_case(wanted))
            .map(|(media_type, media)| (media_type.as_str(), media, *encoding))
    })
}

/// A media type without its parameters: `application/json; charset=utf-8` is `application/json`.
pub(super) fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}
