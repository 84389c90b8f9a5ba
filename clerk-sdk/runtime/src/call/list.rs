//! What a list operation's call adds: the paging descriptor the generator marks it with, the
//! query parameters the SDK sets itself, and what the paginator needs to send the next page.

use std::marker::PhantomData;
use std::sync::Arc;

use super::{Call, form};
use crate::pagination::Paging;

impl<A, T, P> Call<A, T, P> {
    /// Marks the call's operation as a list that pages as `paging` says. Used by generated
    /// operations.
    #[doc(hidden)]
    pub fn paged(mut self, paging: &'static Paging) -> Self {
        self.paging = Some(paging);
        self
    }

    /// Sends query parameter `name` as `value` on every call: a parameter the spec allows one
    /// value for. Used by generated operations, after the query struct.
    #[doc(hidden)]
    pub fn query_constant(mut self, name: &'static str, value: &'static str) -> Self {
        self.replace_query_value(name, value);
        self
    }

    /// How the operation pages, if the generator marked it as a list that does.
    pub(crate) fn paging(&self) -> Option<&'static Paging> {
        self.paging
    }

    /// Another call with the same request and settings, to send again (the next page).
    pub(crate) fn fork(&self) -> Self {
        Call {
            client: Arc::clone(&self.client),
            operation: self.operation,
            parts: self.parts.clone(),
            options: self.options.clone(),
            paging: self.paging,
            response: PhantomData,
        }
    }

    /// The value of query parameter `name`, as the call would send it.
    pub(crate) fn query_value(&self, name: &str) -> Option<String> {
        let wanted = form::encode(name);
        let (_, value) = self.parts.query.iter().find(|(encoded, _)| *encoded == wanted)?;
        let pair = format!("v={value}");
        form_urlencoded::parse(pair.as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
    }

    /// Sets query parameter `name` to `value`, in place of any value the call had for it.
    pub(crate) fn replace_query_value(&mut self, name: &str, value: &str) {
        let encoded = form::encode(name);
        self.parts.query.retain(|(existing, _)| *existing != encoded);
        self.parts.query.push((encoded, form::encode(value)));
    }
}
