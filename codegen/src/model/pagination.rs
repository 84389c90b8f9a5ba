//! How a list operation pages, as the emitters see it.

use super::TypeRef;

/// How a list operation pages: what it sends to ask for a page, and where the response keeps
/// the items, the total and the next cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub by: PageBy,
    /// The wire name of the query parameter that sets the page size, if there is one.
    pub limit: Option<String>,
    /// The page size parameter's `maximum`: the page size asked for.
    pub max_page_size: Option<u64>,
    /// Where the response keeps the items: the response itself (a bare array) or a field of
    /// an envelope. Lowering decides it from the spec; until the response's type is known it
    /// may be [`Results::Infer`], never after.
    pub results: Results,
    /// The field of the envelope that holds the list's total, by wire name: as declared until
    /// the response's type is known, then the field it has, if any.
    pub total: Option<String>,
    /// The items' type, once the response's shape is resolved.
    pub item: Option<TypeRef>,
    /// Whether the spec declares it (`x-speakeasy-pagination`), rather than the generator
    /// inferring it from the parameters.
    pub declared: bool,
}

/// How a list's next page is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageBy {
    /// A query parameter that skips that many items, by wire name.
    Offset(String),
    /// A query parameter holding a cursor, by wire name.
    Cursor {
        /// The parameter's wire name.
        param: String,
        /// Where the next cursor comes from.
        from: CursorFrom,
        /// What the API accepts with the cursor (`x-cursor-rules`).
        rules: CursorRules,
    },
}

/// What a cursor list's API accepts with its cursor, as the spec declares it with
/// `x-cursor-rules`; a call outside these rules pages by [`fallback`](Self::fallback), or is
/// refused before it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CursorRules {
    /// Query parameters (wire names) that the cursor allows only these values of.
    pub allows: Vec<(String, Vec<String>)>,
    /// Query parameters (wire names) that the cursor cannot be combined with, unless at this
    /// value (the parameter's default, as sent).
    pub excludes: Vec<(String, Option<String>)>,
    /// The offset parameter (wire name) that pages a call outside the rules.
    pub fallback: Option<String>,
}

/// Where a cursor list finds its next cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorFrom {
    /// This field (wire name) of the page's last item.
    LastItem(String),
    /// This field (wire name) of the response's envelope.
    Envelope(String),
}

/// Where a list response keeps its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Results {
    /// Not said: a bare array, or the array field `data` of an envelope.
    Infer,
    /// The response is the array.
    Root,
    /// This field (wire name) of the response's envelope.
    Field(String),
}

/// A struct returned by a list operation, with the fields its items, total and cursor are in:
/// the generator implements the runtime's `IntoPage` for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The struct's name.
    pub type_name: String,
    /// The Rust name of the field with the items.
    pub items: String,
    /// The Rust name of the field with the list's total, if there is one.
    pub total: Option<String>,
    /// The Rust name of the field with the next page's cursor, if there is one.
    pub cursor: Option<String>,
    /// The items' type.
    pub item: TypeRef,
}
