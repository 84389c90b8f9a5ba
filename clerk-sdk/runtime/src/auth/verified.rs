//! What a verified token is: a session's claims or a machine's.

use super::{Check, Denied, MachineClaims, SessionClaims, TokenKind};

/// A verified token: which kind it was, with its typed claims. The tower layer puts it in each
/// request's extensions (axum: `Extension<Verified>`), beside the [`SessionClaims`] or
/// [`MachineClaims`] alone.
///
/// Every kind of machine token is a [`Verified::Machine`], so a `match` on the two variants
/// stays whole as Clerk adds kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Verified {
    /// A session token.
    Session(SessionClaims),
    /// An API key, an M2M token or an OAuth access token.
    Machine(MachineClaims),
}

impl Verified {
    /// The kind of token that was verified.
    pub fn kind(&self) -> TokenKind {
        match self {
            Verified::Session(_) => TokenKind::Session,
            Verified::Machine(claims) => claims.kind,
        }
    }

    /// Who the token acts for: the session's user, or the machine token's subject (a user, an
    /// organization or a machine).
    pub fn subject(&self) -> &str {
        match self {
            Verified::Session(claims) => &claims.sub,
            Verified::Machine(claims) => &claims.subject,
        }
    }

    /// The session's claims, if it was a session token.
    pub fn session(&self) -> Option<&SessionClaims> {
        match self {
            Verified::Session(claims) => Some(claims),
            Verified::Machine(_) => None,
        }
    }

    /// The machine token's claims, if it was one.
    pub fn machine(&self) -> Option<&MachineClaims> {
        match self {
            Verified::Session(_) => None,
            Verified::Machine(claims) => Some(claims),
        }
    }

    /// Whether the token meets `check`: a session's [`SessionClaims::has`]; a machine token
    /// never does, having no roles, permissions, features or plans (check its
    /// [scopes](MachineClaims::has_scope)).
    pub fn has(&self, check: &Check) -> bool {
        self.authorize(check).is_ok()
    }

    /// As [`has`](Self::has), with the reason it denied.
    ///
    /// # Errors
    ///
    /// The [`Denied`] reason; [`Denied::NotASession`] for a machine token.
    pub fn authorize(&self, check: &Check) -> Result<(), Denied> {
        match self {
            Verified::Session(claims) => claims.authorize(check),
            Verified::Machine(_) => Err(Denied::NotASession),
        }
    }
}
