//! List operations: each one's paging descriptor, and the runtime's `IntoPage` for each list
//! envelope, so `.paginate()` finds the items, the total and the cursor. How pages are asked
//! for and where a list ends lives in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, model_type_tokens};
use crate::model::{Api, CursorFrom, CursorRules, Envelope, Operation, PageBy, Results};
use crate::runtime::{CURSOR_FROM, CURSOR_RULES, INTO_PAGE, PAGE_BY, PAGE_PARTS, PAGING};

/// The name of an operation's paging descriptor: `GET_USER_LIST_PAGING`.
pub(super) fn paging_ident(operation: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}_PAGING", operation.const_name))
}

/// The paging descriptor of a list operation; nothing for any other.
pub(super) fn descriptor(operation: &Operation) -> TokenStream {
    let Some(pagination) = &operation.pagination else {
        return TokenStream::new();
    };
    let name = paging_ident(operation);
    let by = match &pagination.by {
        PageBy::Offset(param) => quote!(#PAGE_BY::Offset(#param)),
        PageBy::Cursor { param, from, rules } => {
            let from = match from {
                CursorFrom::LastItem(field) => quote!(#CURSOR_FROM::LastItem(#field)),
                CursorFrom::Envelope(field) => quote!(#CURSOR_FROM::Field(#field)),
            };
            let rules = cursor_rules(rules);
            quote!(#PAGE_BY::Cursor { param: #param, from: #from, rules: #rules })
        }
    };
    let limit = option(pagination.limit.as_ref().map(|limit| quote!(#limit)));
    let max = option(pagination.max_page_size.map(|max| {
        let max = proc_macro2::Literal::u64_unsuffixed(max);
        quote!(#max)
    }));
    let items = option(match &pagination.results {
        Results::Field(field) => Some(quote!(#field)),
        Results::Root | Results::Infer => None,
    });
    let total = option(pagination.total.as_ref().map(|total| quote!(#total)));
    let doc = format!(" How `{}` pages.", operation.id);
    // Produces the descriptor the runtime's paginator (and the testing kit) reads.
    quote! {
        #[doc = #doc]
        pub(crate) const #name: #PAGING = #PAGING {
            by: #by,
            limit: #limit,
            max_page_size: #max,
            items: #items,
            total: #total,
        };
    }
}

/// A cursor's rules: the runtime's `CursorRules::NONE` when there are none.
fn cursor_rules(rules: &CursorRules) -> TokenStream {
    if *rules == CursorRules::default() {
        return quote!(#CURSOR_RULES::NONE);
    }
    let allows = rules
        .allows
        .iter()
        .map(|(param, values)| quote!((#param, &[#(#values),*])));
    let excludes = rules.excludes.iter().map(|(param, default)| {
        let default = option(default.as_ref().map(|default| quote!(#default)));
        quote!((#param, #default))
    });
    let fallback = option(rules.fallback.as_ref().map(|fallback| quote!(#fallback)));
    // Produces the rules the paginator checks a call against before it pages by cursor.
    quote!(#CURSOR_RULES {
        allows: &[#(#allows),*],
        excludes: &[#(#excludes),*],
        fallback: #fallback,
    })
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// The `.paged(..)` that marks a list operation's call; nothing for any other.
pub(super) fn paged_call(operation: &Operation) -> TokenStream {
    if operation.pagination.is_none() {
        return TokenStream::new();
    }
    let name = paging_ident(operation);
    quote!(.paged(&#name))
}

/// `IntoPage` for every list envelope.
pub(super) fn envelopes(api: &Api) -> TokenStream {
    api.envelopes.iter().map(envelope).collect()
}

fn envelope(envelope: &Envelope) -> TokenStream {
    let name = ident(&envelope.type_name);
    let item = model_type_tokens(&envelope.item);
    let items = ident(&envelope.items);
    let total = envelope.total.as_ref().map(|total| {
        let total = ident(total);
        quote!(.total_count(self.#total))
    });
    let cursor = envelope.cursor.as_ref().map(|cursor| {
        let cursor = ident(cursor);
        quote!(.next_cursor(self.#cursor))
    });
    // Produces the conversion the paginator takes a page apart with.
    quote! {
        impl #INTO_PAGE for models::#name {
            type Item = #item;

            fn into_page(self) -> #PAGE_PARTS<Self::Item> {
                #PAGE_PARTS::new(self.#items) #total #cursor
            }
        }
    }
}
