//! The verification of each kind of token, after [`classify`](super::kind::classify) has told
//! which kind a token is.

use std::time::SystemTime;

use serde_json::{Map, Value};
use tokio::time::Instant;

use super::kind::{self, Jwt, TokenFormat};
use super::machine::{self, MachineAnswer, jwt};
use super::options::MissingAzp;
use super::{
    Accepts, AuthError, Authenticator, Carrier, ClaimRules, Keys, MachineClaims, SessionClaims, TokenKind, Verified,
    check_signature, keys,
};

impl Authenticator {
    /// The time the claims are checked at.
    fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(SystemTime::now)
    }

    /// What a token's claims are checked against, for a token that came by `carrier`.
    fn rules(&self, carrier: Carrier) -> ClaimRules<'_> {
        let options = &self.inner.options;
        ClaimRules {
            now: self.now(),
            skew: options.clock_skew,
            issuer: options.issuer.as_deref(),
            authorized_parties: &options.authorized_parties,
            missing_azp: options.missing_azp_on(carrier),
            accept_pending: options.accept_pending,
        }
    }

    /// Verifies `token`, which came by `carrier`, if it is of a kind `accepts` names. A
    /// machine token in the `__session` cookie is refused: Clerk's frontends put only session
    /// tokens there.
    pub(super) async fn verify_carried(
        &self,
        token: &str,
        carrier: Carrier,
        accepts: Accepts,
    ) -> Result<Verified, AuthError> {
        let classified = kind::classify(token);
        let accepted = match carrier {
            Carrier::Cookie => Accepts::SESSION,
            Carrier::Header => accepts,
        };
        if !accepts.accepts(classified.kind) || !accepted.accepts(classified.kind) {
            return Err(AuthError::TokenKindNotAccepted {
                kind: classified.kind,
                accepted: accepts,
            });
        }
        match (classified.kind, classified.format) {
            (kind, TokenFormat::Opaque) => self.verify_opaque(kind, token).await.map(Verified::Machine),
            (TokenKind::Session, _) => self
                .verify_session(classified.jwt?, carrier)
                .await
                .map(Verified::Session),
            (kind, TokenFormat::Jwt) => self
                .verify_machine_jwt(kind, classified.jwt?)
                .await
                .map(Verified::Machine),
        }
    }

    /// A session token: its `typ` (`JWT`) and `cat` (not a machine token's), its signature,
    /// then its claims.
    async fn verify_session(&self, jwt: Jwt<'_>, carrier: Carrier) -> Result<SessionClaims, AuthError> {
        let header = &jwt.header;
        if let Some(typ) = &header.typ
            && !typ.eq_ignore_ascii_case("JWT")
        {
            return Err(AuthError::InvalidType { typ: typ.clone() });
        }
        if !jwt::is_session_category(header.cat.as_deref()) {
            return Err(AuthError::InvalidCategory {
                kind: TokenKind::Session,
                cat: header.cat.clone().unwrap_or_default(),
            });
        }
        let raw = self.signed(jwt).await?;
        SessionClaims::check(raw, &self.rules(carrier))
    }

    /// An M2M or OAuth token in JWT form: its header, its signature with the instance's keys,
    /// then its claims.
    async fn verify_machine_jwt(&self, kind: TokenKind, jwt: Jwt<'_>) -> Result<MachineClaims, AuthError> {
        let header = &jwt.header;
        match kind {
            TokenKind::OAuthToken => jwt::check_oauth_header(header.typ.as_deref())?,
            _ => jwt::check_m2m_header(header.typ.as_deref(), header.cat.as_deref())?,
        }
        let raw = self.signed(jwt).await?;
        // A missing `azp` never refuses a machine token; authorized parties are for sessions.
        let rules = ClaimRules {
            missing_azp: MissingAzp::Accept,
            ..self.rules(Carrier::Header)
        };
        jwt::claims_of(kind, raw, &rules, &self.inner.options.audience)
    }

    /// The claims of a JWT whose algorithm is allowed, whose key is known and for it, and whose
    /// signature verifies.
    async fn signed(&self, jwt: Jwt<'_>) -> Result<Map<String, Value>, AuthError> {
        let header = &jwt.header;
        let algorithm = keys::allowed_algorithm(&header.alg).ok_or_else(|| AuthError::InvalidAlgorithm {
            alg: header.alg.clone(),
        })?;
        let key = match &self.inner.keys {
            Keys::Pem(key) => key.clone(),
            Keys::Jwks(cache) => {
                let kid = header.kid.as_deref().ok_or(AuthError::MissingKeyId)?;
                cache.key(kid).await?
            }
        };
        if let Some(key_alg) = &key.alg
            && *key_alg != header.alg
        {
            return Err(AuthError::AlgorithmMismatch {
                kid: header.kid.clone().unwrap_or_default(),
                key_alg: key_alg.clone(),
                alg: header.alg.clone(),
            });
        }
        check_signature(&jwt, &key.key, algorithm)?;
        Ok(jwt.claims)
    }

    /// An opaque machine token: remembered, or asked about once for every request that carries
    /// it now, through the machine verifier.
    async fn verify_opaque(&self, kind: TokenKind, token: &str) -> Result<MachineClaims, AuthError> {
        let machines = (self.machines.as_ref())
            .filter(|machines| machines.verifier.supports(kind))
            .ok_or(AuthError::MachineTokensUnsupported { kind })?;
        let (now, skew) = (self.now(), self.inner.options.clock_skew);
        let key = machines.cache.key_of(token);
        let verify = || async move {
            match machines.verifier.verify_machine_token(kind, token.to_owned()).await {
                MachineAnswer::Verified(record) => machine::from_record(kind, &record, now, skew),
                MachineAnswer::Invalid { status } => Err(AuthError::MachineTokenInvalid { kind, status }),
                MachineAnswer::Unavailable { reason } => {
                    tracing::warn!(target: "clerk_sdk::auth", %kind, %reason, "a machine token could not be verified");
                    Err(AuthError::MachineVerificationUnavailable { kind, reason })
                }
            }
        };
        machines
            .cache
            .get_or_verify(key, |claims| expires(claims, now), verify)
            .await
    }
}

/// When a token's claims stop being valid, as an `Instant`, if they say.
fn expires(claims: &MachineClaims, now: SystemTime) -> Option<Instant> {
    let expires_at = claims.expires_at?;
    let left = expires_at.duration_since(now).unwrap_or_default();
    Some(Instant::now() + left)
}
