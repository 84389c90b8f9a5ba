//! A tower [`Layer`] that authenticates each request before the service behind it sees it (the
//! `tower` feature): axum routers, tonic servers and hyper services take it as they are.
//!
//! A request with a valid session token goes on with its [`SessionClaims`] in its extensions
//! (axum: `Extension<SessionClaims>`); any other is answered by the rejection, 401 by default,
//! and never reaches the service.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{HeaderValue, WWW_AUTHENTICATE};
use http::{Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use super::{AuthError, Authenticator, SessionClaims};

/// The answer to a request that did not authenticate, made from why.
type Reject<B> = Arc<dyn Fn(&AuthError) -> Response<B> + Send + Sync>;

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
    reject: Reject<B>,
}

impl<B> Clone for AuthLayer<B> {
    fn clone(&self) -> Self {
        AuthLayer {
            auth: self.auth.clone(),
            reject: self.reject.clone(),
        }
    }
}

impl<B> std::fmt::Debug for AuthLayer<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthLayer")
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl<B: Default + 'static> AuthLayer<B> {
    /// A layer that answers a request that does not authenticate with [`unauthorized`]: 401,
    /// `WWW-Authenticate: Bearer`, and an empty body.
    pub fn new(auth: Authenticator) -> Self {
        AuthLayer {
            auth,
            reject: Arc::new(unauthorized),
        }
    }
}

impl<B> AuthLayer<B> {
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
        let token = super::token::find(request.headers()).map(str::to_owned);
        Box::pin(async move {
            let verified = match token {
                Some(token) => layer.auth.verify_token(&token).await,
                None => Err(AuthError::MissingToken),
            };
            match verified {
                Ok(claims) => {
                    request.extensions_mut().insert::<SessionClaims>(claims);
                    inner.call(request).await
                }
                Err(error) => {
                    tracing::debug!(target: "clerk_sdk::auth", %error, "a request did not authenticate");
                    Ok((layer.reject)(&error))
                }
            }
        })
    }
}
