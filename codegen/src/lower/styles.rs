//! OpenAPI's `style` and `explode`, for query parameters and the fields of form bodies: which
//! [`Style`] a value is sent in, or why that combination cannot be sent.

use super::types::ValueShape;
use crate::model::Style;

/// Where the value is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A query parameter: an object only as a `deepObject`.
    Query,
    /// A field of an `application/x-www-form-urlencoded` body.
    FormField,
}

/// The style a value of `shape` is sent in, from its `style` and `explode` (`None` for OpenAPI's
/// default, which is `true` for `form` and `false` otherwise): `None` for one pair per array item
/// and, in a body, an object's properties as pairs of their own. Each style applies to the shapes
/// OpenAPI defines it for; any other combination is refused with the reason.
pub(super) fn decide(
    style: &openapiv3::QueryStyle,
    explode: Option<bool>,
    shape: ValueShape,
    place: Place,
) -> Result<Option<Style>, &'static str> {
    use openapiv3::QueryStyle as Spec;
    match (style, explode, shape) {
        (Spec::DeepObject, Some(false), _) => Err("`style: deepObject` requires `explode: true`"),
        (Spec::DeepObject, _, ValueShape::Object) => Ok(Some(Style::DeepObject)),
        (Spec::DeepObject, _, _) => Err("`style: deepObject` applies only to objects whose properties are scalars"),
        (_, _, ValueShape::Object) if place == Place::Query => {
            Err("a query parameter must be a scalar or an array of scalars (objects only with `style: deepObject`)")
        }
        (_, _, ValueShape::Scalar) if *style == Spec::Form => Ok(None),
        (Spec::Form, Some(false), _) => Ok(Some(Style::Comma)),
        (Spec::Form, _, _) => Ok(None),
        (_, _, ValueShape::Scalar | ValueShape::Object) => {
            Err("`style: spaceDelimited` and `style: pipeDelimited` apply only to arrays")
        }
        // With `explode: true` these styles are sent as `form` is: one pair per item.
        (_, Some(true), ValueShape::Array) => Ok(None),
        (Spec::SpaceDelimited, _, ValueShape::Array) => Ok(Some(Style::Space)),
        (Spec::PipeDelimited, _, ValueShape::Array) => Ok(Some(Style::Pipe)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapiv3::QueryStyle as Spec;

    #[test]
    fn each_style_applies_to_its_shapes() {
        use ValueShape::{Array, Object, Scalar};
        let query = |style, explode, shape| decide(&style, explode, shape, Place::Query);
        assert_eq!(query(Spec::Form, None, Array), Ok(None));
        assert_eq!(query(Spec::Form, Some(false), Array), Ok(Some(Style::Comma)));
        assert_eq!(query(Spec::Form, Some(false), Scalar), Ok(None));
        assert_eq!(query(Spec::SpaceDelimited, None, Array), Ok(Some(Style::Space)));
        assert_eq!(query(Spec::PipeDelimited, Some(false), Array), Ok(Some(Style::Pipe)));
        assert_eq!(query(Spec::PipeDelimited, Some(true), Array), Ok(None));
        assert_eq!(query(Spec::DeepObject, None, Object), Ok(Some(Style::DeepObject)));
        assert!(query(Spec::DeepObject, Some(false), Object).is_err());
        assert!(query(Spec::DeepObject, None, Array).is_err());
        assert!(query(Spec::SpaceDelimited, None, Scalar).is_err());
        assert!(query(Spec::Form, None, Object).is_err());
        let field = |style, explode, shape| decide(&style, explode, shape, Place::FormField);
        assert_eq!(field(Spec::Form, None, Object), Ok(None));
        assert_eq!(field(Spec::Form, Some(false), Object), Ok(Some(Style::Comma)));
    }
}
