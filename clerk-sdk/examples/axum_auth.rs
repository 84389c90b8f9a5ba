//! A web API whose routes know who calls them: axum, with clerk-sdk's `AuthLayer` verifying the
//! session token of each request to `/api/*`.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_... APP_ORIGIN=https://app.example.com \
//!     cargo run -p clerk-sdk --example axum_auth --features tower,testing
//! ```
//!
//! It listens on `127.0.0.1:3000` (or `PORT`). A request to `/api/me` with `Authorization:
//! Bearer <session token>` (or the `__session` cookie) gets who it is; without a valid token it
//! gets a JSON 401 saying why. `cargo test` runs the tests below, which sign tokens with the
//! testing kit's key and serve its keys from the mock Clerk, with no Clerk instance.

use axum::body::Body;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Json, Router};
use clerk_sdk::Clerk;
use clerk_sdk::auth::{AuthError, AuthLayer, AuthOptions, Authenticator, SessionClaims};
use serde_json::{Value, json};

/// The application: `/health` for anyone, `/api/*` for signed-in users only.
fn app(auth: Authenticator) -> Router {
    let api = Router::new()
        .route("/api/me", get(me))
        .layer(AuthLayer::new(auth).on_rejection(reject));
    Router::new().route("/health", get(|| async { "ok" })).merge(api)
}

/// Who is calling: the layer put the verified claims in the request's extensions.
async fn me(Extension(claims): Extension<SessionClaims>) -> Json<Value> {
    let org = claims.org.as_ref().map(|org| json!({"id": org.id, "role": org.role}));
    Json(json!({"user_id": claims.sub, "session_id": claims.sid, "org": org}))
}

/// The answer to a request that did not authenticate: 503 when the keys could not be fetched
/// (the caller may try again), 401 otherwise, with the reason as a short code.
fn reject(error: &AuthError) -> Response<Body> {
    let (status, code) = match error {
        AuthError::KeysUnavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "keys_unavailable"),
        AuthError::MissingToken => (StatusCode::UNAUTHORIZED, "signed_out"),
        AuthError::Expired { .. } => (StatusCode::UNAUTHORIZED, "token_expired"),
        _ => (StatusCode::UNAUTHORIZED, "invalid_token"),
    };
    (status, Json(json!({"error": code}))).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Reads the secret key from CLERK_SECRET_KEY: the instance's keys come from its Backend API.
    let clerk = Clerk::from_env()?;
    let parties: Vec<String> = std::env::var("APP_ORIGIN").into_iter().collect();
    // Made once: the authenticator keeps the instance's keys for every request.
    let auth = clerk.authenticator(AuthOptions::new().authorized_parties(parties))?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}/api/me", listener.local_addr()?);
    axum::serve(listener, app(auth)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::http::Request;
    use clerk_sdk::auth::testing::{session_claims, sign_session_token};
    use clerk_sdk::testing::MockClerk;
    use tower::ServiceExt as _;

    use super::*;

    /// The app, with its authenticator made from a mock Clerk that serves the kit's keys.
    async fn test_app() -> (Router, MockClerk) {
        let mock = MockClerk::start().await;
        mock.serves_session_keys();
        let auth = mock
            .clerk()
            .authenticator(AuthOptions::new())
            .expect("an authenticator");
        (app(auth), mock)
    }

    async fn get(app: Router, path: &str, header: Option<(&str, String)>) -> (StatusCode, Value) {
        let mut request = Request::get(path);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        let response = app
            .oneshot(request.body(Body::empty()).expect("a request"))
            .await
            .expect("answers");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn a_signed_in_user_gets_who_they_are() {
        let (app, _mock) = test_app().await;
        let mut claims = session_claims("user_123");
        claims["o"] = json!({"id": "org_9", "rol": "admin"});
        let bearer = format!("Bearer {}", sign_session_token(&claims));
        let (status, body) = get(app, "/api/me", Some(("authorization", bearer))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["user_id"], "user_123");
        assert_eq!(body["org"], json!({"id": "org_9", "role": "org:admin"}));
    }

    #[tokio::test]
    async fn the_session_cookie_works_as_the_header_does() {
        let (app, _mock) = test_app().await;
        let cookie = format!("__session={}", sign_session_token(&session_claims("user_123")));
        let (status, body) = get(app, "/api/me", Some(("cookie", cookie))).await;
        assert_eq!((status, body["user_id"].as_str()), (StatusCode::OK, Some("user_123")));
    }

    #[tokio::test]
    async fn requests_without_a_valid_token_never_reach_the_route() {
        let (app, _mock) = test_app().await;
        let (status, body) = get(app.clone(), "/api/me", None).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "signed_out"}))
        );
        let mut expired = session_claims("user_123");
        expired["exp"] = json!(1_000);
        let bearer = format!("Bearer {}", sign_session_token(&expired));
        let (status, body) = get(app.clone(), "/api/me", Some(("authorization", bearer))).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "token_expired"}))
        );
        // The open route needs no token.
        let response = app
            .oneshot(Request::get("/health").body(Body::empty()).expect("a request"))
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::OK);
    }
}
