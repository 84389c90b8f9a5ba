//! A tower [`Layer`] that authenticates each request before the service behind it sees it (the
//! `tower` feature): axum routers, tonic servers and hyper services take it as they are.
//!
//! A request with a valid token of a kind the layer [accepts](AuthLayer::accepts) goes on with
//! its [`Verified`] in its extensions, and its [`SessionClaims`] or [`MachineClaims`] beside it
//! (axum: `Extension<SessionClaims>`); any other is answered by the rejection, 401 by default,
//! and never reaches the service. A layer that [requires](AuthLayer::require) a [`Check`]
//! answers a token that fails it with 403.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{HeaderValue, WWW_AUTHENTICATE};
use http::{Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use super::{Accepts, AuthError, Authenticator, Check, Denied, MachineClaims, Reverification, SessionClaims, Verified};

/// The answer to a request that did not authenticate, made from why.
type Reject<B> = Arc<dyn Fn(&AuthError) -> Response<B> + Send + Sync>;
/// The answer to a request whose token did not pass the check, made from why.
type Forbid<B> = Arc<dyn Fn(&Denied) -> Response<B> + Send + Sync>;

/// Authenticates each request with an [`Authenticator`] before the service behind it sees it.
/// A request with a valid session token goes on with its [`SessionClaims`] in its extensions
/// (axum: `Extension<SessionClaims>`); any other is answered by the rejection ([`unauthorized`]
/// unless [`on_rejection`](Self::on_rejection) says otherwise) and never reaches the service.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{Extension, Router, routing::get};
/// use clerk_sdk::auth::{AuthLayer, AuthOptions, SessionClaims};
///
/// let auth = clerk.authenticator(AuthOptions::new().authorized_parties(["https://app.example.com"]))?;
/// let app: Router = Router::new()
///     .route("/me", get(|Extension(claims): Extension<SessionClaims>| async move { claims.sub }))
///     .layer(AuthLayer::new(auth));
/// # Ok(()) }
/// ```
pub struct AuthLayer<B> {
    auth: Authenticator,
    accepts: Accepts,
    check: Option<Arc<Check>>,
    reject: Reject<B>,
    forbid: Forbid<B>,
}

impl<B> Clone for AuthLayer<B> {
    fn clone(&self) -> Self {
        AuthLayer {
            auth: self.auth.clone(),
            accepts: self.accepts,
            check: self.check.clone(),
            reject: self.reject.clone(),
            forbid: self.forbid.clone(),
        }
    }
}

impl<B> std::fmt::Debug for AuthLayer<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthLayer")
            .field("auth", &self.auth)
            .field("accepts", &self.accepts)
            .field("check", &self.check)
            .finish_non_exhaustive()
    }
}

impl<B: Default + From<String> + 'static> AuthLayer<B> {
    /// A layer that accepts session tokens, and answers a request that does not authenticate
    /// with [`unauthorized`] (401, `WWW-Authenticate: Bearer`, an empty body) and one that
    /// fails its [check](Self::require) with [`forbidden`]: 403, with Clerk's
    /// `reverification-error` body when a reverification failed.
    pub fn new(auth: Authenticator) -> Self {
        AuthLayer {
            auth,
            accepts: Accepts::SESSION,
            check: None,
            reject: Arc::new(unauthorized),
            forbid: Arc::new(forbidden),
        }
    }
}

impl<B> AuthLayer<B> {
    /// The kinds of token this layer accepts ([`Accepts::SESSION`] by default): a route for
    /// machines takes `TokenKind::ApiKey`, `Accepts::any()` takes every kind. A token of
    /// another kind is rejected before anything verifies it.
    #[must_use]
    pub fn accepts(mut self, accepts: impl Into<Accepts>) -> Self {
        self.accepts = accepts.into();
        self
    }

    /// Lets a request through only if its verified token also meets `check`
    /// ([`Verified::authorize`]): a role, a permission, a feature, a plan, a recent
    /// reverification. A token that fails is answered by [`on_forbidden`](Self::on_forbidden)'s
    /// response, [`forbidden`] by default. Give each route the layer with its check.
    #[must_use]
    pub fn require(mut self, check: Check) -> Self {
        self.check = Some(Arc::new(check));
        self
    }

    /// Answers a request whose token fails the [check](Self::require) with `forbid`'s
    /// response, made from the reason.
    #[must_use]
    pub fn on_forbidden(mut self, forbid: impl Fn(&Denied) -> Response<B> + Send + Sync + 'static) -> Self {
        self.forbid = Arc::new(forbid);
        self
    }

    /// Answers a request that does not authenticate with `reject`'s response, made from the
    /// reason: a JSON error body, a redirect to a sign-in page, a 403 for some reasons. The
    /// reason holds no token; whether to show it to the caller is the application's choice.
    #[must_use]
    pub fn on_rejection(mut self, reject: impl Fn(&AuthError) -> Response<B> + Send + Sync + 'static) -> Self {
        self.reject = Arc::new(reject);
        self
    }
}

/// The default rejection: `401 Unauthorized`, `WWW-Authenticate: Bearer` (RFC 6750), and an
/// empty body, whatever the reason.
pub fn unauthorized<B: Default>(_: &AuthError) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The default answer to a failed check: `403 Forbidden`, with an empty body, or for a failed
/// reverification the body [`reverification_required`] gives.
pub fn forbidden<B: Default + From<String>>(denied: &Denied) -> Response<B> {
    match denied {
        Denied::Reverification(reverification) => reverification_required(*reverification),
        _ => {
            let mut response = Response::new(B::default());
            *response.status_mut() = StatusCode::FORBIDDEN;
            response
        }
    }
}

/// `403 Forbidden` with the body Clerk's frontends read as "verify again" (Clerk's Go and
/// JavaScript SDKs send the same): `{"clerk_error": {"type": "forbidden", "reason":
/// "reverification-error", "metadata": {"reverification": <the requirement>}}}`, as JSON.
pub fn reverification_required<B: From<String>>(reverification: Reverification) -> Response<B> {
    let body = serde_json::json!({
        "clerk_error": {
            "type": "forbidden",
            "reason": "reverification-error",
            "metadata": {"reverification": reverification.to_json()},
        }
    });
    let mut response = Response::new(B::from(body.to_string()));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

impl<S, B> Layer<S> for AuthLayer<B> {
    type Service = AuthService<S, B>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`AuthLayer`] wraps around another.
pub struct AuthService<S, B> {
    inner: S,
    layer: AuthLayer<B>,
}

impl<S: Clone, B> Clone for AuthService<S, B> {
    fn clone(&self) -> Self {
        AuthService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: std::fmt::Debug, B> std::fmt::Debug for AuthService<S, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthService")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for AuthService<S, ResBody>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The service that was polled ready is the one to call; a clone takes its place.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let layer = self.layer.clone();
        // The token is taken out first: the future must not hold the request's body across the
        // verification's `.await`, or the body would have to be `Sync`.
        let token = super::token::find(request.headers()).map(|(token, carrier)| (token.to_owned(), carrier));
        Box::pin(async move {
            let verified = match token {
                Some((token, carrier)) => layer.auth.verify_carried(&token, carrier, layer.accepts).await,
                None => Err(AuthError::MissingToken),
            };
            let verified = match verified {
                Ok(verified) => verified,
                Err(error) => {
                    tracing::debug!(target: "clerk_sdk::auth", %error, "a request did not authenticate");
                    return Ok((layer.reject)(&error));
                }
            };
            if let Some(check) = &layer.check
                && let Err(denied) = verified.authorize(check)
            {
                tracing::debug!(target: "clerk_sdk::auth", ?denied, "a request failed its check");
                return Ok((layer.forbid)(&denied));
            }
            insert(request.extensions_mut(), verified);
            inner.call(request).await
        })
    }
}

/// Puts the verified token in the request's extensions, with its claims beside it.
fn insert(extensions: &mut http::Extensions, verified: Verified) {
    match &verified {
        Verified::Session(claims) => {
            extensions.insert::<SessionClaims>(claims.clone());
        }
        Verified::Machine(claims) => {
            extensions.insert::<MachineClaims>(claims.clone());
        }
    }
    extensions.insert::<Verified>(verified);
}
