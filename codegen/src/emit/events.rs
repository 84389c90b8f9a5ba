//! `events.rs`: the API's webhook events as one open enum, through the runtime's
//! `webhook_events!`, one line per event. Verifying, decoding and the `Unknown` variant live in
//! the runtime (`clerk_sdk_runtime::webhooks`, which every crate re-exports as `webhooks`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, model_type_tokens};
use crate::model::Api;
use crate::names::snake_name;
use crate::runtime::{EVENT_FIXTURE, WEBHOOK_EVENTS};

/// Where the events module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `generated/events.rs`, beside the API's `models` and operations.
    BesideModels,
    /// `generated/events/mod.rs`, with the models of the events' spec as its child `models`.
    OwnModule,
}

/// The events module of an API with webhooks; `None` without any.
pub(super) fn file(api: &Api, place: Place) -> Option<TokenStream> {
    if api.webhooks.is_empty() {
        return None;
    }
    // The title is the spec's, sanitized as spec prose; the rest is ours, with a working link.
    let mut module_doc = doc_attrs(&format!("The webhook events of {}.", api.title), true);
    module_doc.extend(quote! {
        #![doc = ""]
        #![doc = " [`WebhookEvent`] has one variant per event the spec declares. Verify a delivery and decode it with [`Webhook::verify`](crate::webhooks::Webhook::verify): `webhook.verify::<WebhookEvent>(&headers, &body)`."]
    });
    let events = api.webhooks.iter().map(|event| {
        let key = &event.key;
        let variant = ident(&event.variant);
        let payload = model_type_tokens(&event.ty);
        let doc = match &event.doc {
            Some(doc) => format!("`{key}`: {doc}"),
            None => format!("`{key}`."),
        };
        let doc = doc_attrs(&doc, false);
        quote!(#doc #key => #variant(#payload),)
    });
    let enum_doc = format!(
        " An event {} sends to a webhook endpoint, by its `type`; one it does not list yet is `Unknown`, with its payload.",
        api.title
    );
    let models = match place {
        Place::BesideModels => quote!(
            use super::models;
        ),
        Place::OwnModule => quote!(
            pub mod models;
        ),
    };
    let fixtures = fixtures(api);
    // Produces the enum, through the runtime's macro, and the fixtures.
    Some(quote! {
        #module_doc
        #models

        #WEBHOOK_EVENTS! {
            #[doc = #enum_doc]
            WebhookEvent {
                #(#events)*
            }
        }

        #fixtures
    })
}

/// `fixtures`: one function per event with an example, its value from that example.
fn fixtures(api: &Api) -> TokenStream {
    let functions = api.webhooks.iter().filter_map(|event| {
        let example = event.example.as_ref()?;
        let json = serde_json::to_string(example).ok()?;
        let key = &event.key;
        let name = ident(&snake_name(&event.variant));
        let doc = format!(" `{key}`, from the spec's example payload.");
        Some(quote! {
            #[doc = #doc]
            pub fn #name() -> super::WebhookEvent {
                #EVENT_FIXTURE(#key, #json)
            }
        })
    });
    // Produces the fixtures module, for tests.
    quote! {
        /// Each event the spec gives an example of, as that example: sign one with
        /// [`sign_event`](crate::webhooks::sign_event) to test a webhook handler end to end.
        #[cfg(feature = "testing")]
        pub mod fixtures {
            #(#functions)*
        }
    }
}
