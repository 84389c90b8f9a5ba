//! `blocking.rs`: the crate's blocking client and call, from the runtime's `blocking_types!`,
//! and a blocking twin of each resource handle, whose methods prepare the async call and wrap
//! it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{own_doc_attrs, sentence};
use super::operations::{Signature, handle, param_setters, signature};
use super::{doc_attrs, ident};
use crate::model::{Api, Resource};
use crate::runtime::BLOCKING_TYPES;

/// `blocking.rs`: module docs, the client types and the blocking resource handles.
pub(crate) fn file(api: &Api) -> TokenStream {
    let mut tokens = blocking_head(api);
    tokens.extend(api.resources.iter().map(blocking_resource));
    tokens
}

/// The start of `blocking.rs`: module docs, imports, the client types and `from_env`.
fn blocking_head(api: &Api) -> TokenStream {
    let module_doc = own_doc_attrs(
        "A blocking client, for programs without an async runtime (the `blocking` feature).\n\nIt offers the same operations as the async [`Clerk`](crate::Clerk), with the same retries, timeouts, per-call overrides and hooks: each call is run on a small runtime the client owns, and the calling thread waits for the result. Build one with [`ClerkBuilder::build_blocking`](crate::ClerkBuilder::build_blocking), then call [`send`](Call::send) on what an operation returns. A list's call pages with `.paginate()` too, as iterators.\n\nIt may be called from anywhere, including from inside another tokio runtime (it does not panic there), but it blocks the calling thread: in async code, use the async client.",
        true,
    );
    let marker = ident(&api.marker);
    let from_env = api.env_scheme.map(|index| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! {
            impl Clerk {
                /// Like [`crate::Clerk::from_env`]: the key from `CLERK_SECRET_KEY`, everything
                /// else default.
                ///
                /// # Errors
                ///
                /// [`SdkError::Config`](crate::SdkError::Config) if the variable is missing or
                /// empty, or the runtime cannot start.
                pub fn from_env() -> Result<Self, crate::Error> {
                    Self::from_env_credential(#index)
                }
            }
        }
    });
    // Produces the module docs, imports, the blocking client and call through the runtime's
    // macro, and `from_env`.
    quote! {
        #module_doc
        use super::models;

        #BLOCKING_TYPES!(super::#marker);

        #from_env
    }
}

fn blocking_resource(resource: &Resource) -> TokenStream {
    let accessor = ident(&resource.accessor);
    let handle_doc = format!(
        " Blocking version of [`{0}`](crate::{0}): the `{1}` operations.",
        resource.type_name, resource.accessor
    );
    let accessor_doc = format!(" The `{}` operations, blocking.", resource.accessor);
    let methods = resource.operations.iter().map(|operation| {
        let name = ident(&operation.method_name);
        // A deprecated operation's blocking twin is deprecated too, and may call the async one.
        let deprecated = if operation.deprecated {
            quote!(#[deprecated] #[allow(deprecated)])
        } else {
            quote!()
        };
        let Signature {
            params,
            args,
            call_type,
            ..
        } = signature(operation, &quote!(super::operations::));
        let summary = operation.summary.as_deref().map(sentence).unwrap_or_default();
        let doc = format!(
            "{summary}\n\nBlocking version of [`{0}::{1}`](crate::{0}::{1}), which documents the arguments and errors.",
            resource.type_name, operation.method_name
        );
        let doc = doc_attrs(doc.trim_start(), false);
        // Produces a method that prepares the async call and wraps it for blocking use.
        quote! {
            #doc
            #deprecated
            pub fn #name(&self, #(#params),*) -> #call_type {
                self.client.wrap(self.client.as_async().#accessor().#name(#(#args),*))
            }
        }
    });
    let methods: Vec<TokenStream> = methods.collect();
    let mut tokens = handle(resource, quote!(#[doc = #handle_doc]), &accessor_doc, &methods);
    for operation in &resource.operations {
        let call_type = signature(operation, &quote!(super::operations::)).call_type;
        tokens.extend(param_setters(operation, &call_type, false));
    }
    tokens
}
