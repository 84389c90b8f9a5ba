//! A web API whose routes know who calls them, people and machines: axum, with clerk-sdk's
//! `AuthLayer` verifying each request's token and the kinds each route accepts.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_... APP_ORIGIN=https://app.example.com \
//!     cargo run -p clerk-sdk --example axum_auth --features tower,testing
//! ```
//!
//! It listens on `127.0.0.1:3000` (or `PORT`):
//!
//! - `/api/me`: signed-in users, by their session token (`Authorization: Bearer <token>` or the
//!   `__session` cookie).
//! - `/api/invoices`: signed-in users with the `org:invoices:manage` permission who verified a
//!   second factor in the last 10 minutes; a stale one gets Clerk's `reverification-error` 403,
//!   which Clerk's frontends answer by asking the user to verify again.
//! - `/machine/deploy`: API keys and M2M tokens (`Authorization: Bearer ak_…`, `mt_…` or an
//!   M2M JWT) that grant the `deploy` scope.
//! - `/oauth/profile`: OAuth access tokens, opaque or JWT.
//!
//! Without a valid token of a kind the route accepts, a request gets a JSON 401 saying why.
//! `cargo test` runs the tests below, which sign tokens with the testing kit's key and declare
//! machine tokens to the mock Clerk, with no Clerk instance.

use axum::body::Body;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use clerk_sdk::Clerk;
use clerk_sdk::auth::{
    AuthError, AuthLayer, AuthOptions, Authenticator, Check, MachineClaims, Reverification, SessionClaims, TokenKind,
};
use serde_json::{Value, json};

/// The application: `/health` for anyone; each other route for the tokens it accepts.
fn app(auth: Authenticator) -> Router {
    let people = AuthLayer::new(auth.clone()).on_rejection(reject);
    let managers = people.clone().require(
        Check::new()
            .permission("org:invoices:manage")
            .reverification(Reverification::Strict),
    );
    let machines = AuthLayer::new(auth.clone())
        .accepts([TokenKind::ApiKey, TokenKind::M2mToken])
        .on_rejection(reject);
    let oauth = AuthLayer::new(auth).accepts(TokenKind::OAuthToken).on_rejection(reject);
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/api/me", get(me).layer(people))
        .route("/api/invoices", post(create_invoice).layer(managers))
        .route("/machine/deploy", post(deploy).layer(machines))
        .route("/oauth/profile", get(profile).layer(oauth))
}

/// Who is calling: the layer put the verified claims in the request's extensions.
async fn me(Extension(claims): Extension<SessionClaims>) -> Json<Value> {
    let org = claims.org.as_ref().map(|org| json!({"id": org.id, "role": org.role}));
    Json(json!({"user_id": claims.sub, "session_id": claims.sid, "org": org}))
}

/// Reached only by a manager who reverified: the layer checked both.
async fn create_invoice(Extension(claims): Extension<SessionClaims>) -> Json<Value> {
    Json(json!({"created_by": claims.sub}))
}

/// A deployment by a machine: the token must grant `deploy`.
async fn deploy(Extension(machine): Extension<MachineClaims>) -> Response<Body> {
    if !machine.has_scope("deploy") {
        return (StatusCode::FORBIDDEN, Json(json!({"error": "missing_scope"}))).into_response();
    }
    Json(json!({"deployed_by": machine.subject, "kind": machine.kind.as_str()})).into_response()
}

/// The profile an OAuth application may read for its user.
async fn profile(Extension(token): Extension<MachineClaims>) -> Json<Value> {
    Json(json!({"user_id": token.subject, "client_id": token.client_id, "scopes": token.scopes}))
}

/// The answer to a request that did not authenticate: 503 when Clerk could not be asked (the
/// caller may try again), 401 otherwise, with the reason as a short code.
fn reject(error: &AuthError) -> Response<Body> {
    let (status, code) = match error {
        AuthError::KeysUnavailable { .. } | AuthError::MachineVerificationUnavailable { .. } => {
            (StatusCode::SERVICE_UNAVAILABLE, "try_again")
        }
        AuthError::MissingToken => (StatusCode::UNAUTHORIZED, "signed_out"),
        AuthError::Expired { .. } | AuthError::MachineTokenExpired { .. } => {
            (StatusCode::UNAUTHORIZED, "token_expired")
        }
        AuthError::MachineTokenRevoked { .. } => (StatusCode::UNAUTHORIZED, "token_revoked"),
        AuthError::TokenKindNotAccepted { .. } => (StatusCode::UNAUTHORIZED, "wrong_kind_of_token"),
        _ => (StatusCode::UNAUTHORIZED, "invalid_token"),
    };
    (status, Json(json!({"error": code}))).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Reads the secret key from CLERK_SECRET_KEY: the instance's keys, and the verdicts on
    // opaque machine tokens, come from its Backend API.
    let clerk = Clerk::from_env()?;
    let parties: Vec<String> = std::env::var("APP_ORIGIN").into_iter().collect();
    // Made once: the authenticator keeps the instance's keys and its verdicts for every request.
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
    use clerk_sdk::auth::testing::{
        MachineTokens, TestMachineToken, m2m_claims, oauth_claims, session_claims, sign_m2m_token, sign_oauth_token,
        sign_session_token,
    };
    use clerk_sdk::testing::MockClerk;
    use tower::ServiceExt as _;

    use super::*;

    /// The app, with its authenticator made from a mock Clerk that serves the kit's keys and
    /// knows a few machine tokens.
    async fn test_app() -> (Router, MockClerk) {
        let mock = MockClerk::start().await;
        mock.serves_session_keys();
        mock.serves_machine_tokens(
            &MachineTokens::new()
                .api_key("ak_ci", TestMachineToken::valid("user_123").scopes(["deploy"]))
                .api_key("ak_readonly", TestMachineToken::valid("user_123").scopes(["read"]))
                .api_key("ak_leaked", TestMachineToken::revoked("user_123").scopes(["deploy"]))
                .m2m_token("mt_worker", TestMachineToken::valid("mch_worker").scopes(["deploy"]))
                .oauth_token(
                    "oat_app",
                    TestMachineToken::valid("user_123")
                        .client_id("client_9")
                        .scopes(["profile"]),
                )
                .oauth_token("oat_old", TestMachineToken::expired("user_123")),
        );
        let auth = mock
            .clerk()
            .authenticator(AuthOptions::new())
            .expect("an authenticator");
        (app(auth), mock)
    }

    async fn get(app: Router, path: &str, header: Option<(&str, String)>) -> (StatusCode, Value) {
        send(app, Request::get(path), header).await
    }

    async fn post(app: Router, path: &str, bearer: &str) -> (StatusCode, Value) {
        send(
            app,
            Request::post(path),
            Some(("authorization", format!("Bearer {bearer}"))),
        )
        .await
    }

    async fn send(
        app: Router,
        mut request: axum::http::request::Builder,
        header: Option<(&str, String)>,
    ) -> (StatusCode, Value) {
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

    #[tokio::test]
    async fn api_keys_and_m2m_tokens_reach_the_machine_route_and_sessions_do_not() {
        let (app, mock) = test_app().await;
        let (status, body) = post(app.clone(), "/machine/deploy", "ak_ci").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"deployed_by": "user_123", "kind": "api_key"}));
        let (status, body) = post(app.clone(), "/machine/deploy", "mt_worker").await;
        assert_eq!(
            (status, body["deployed_by"].as_str()),
            (StatusCode::OK, Some("mch_worker"))
        );
        let jwt = sign_m2m_token(&m2m_claims("mch_builder", &["mch_worker"]));
        let (status, body) = post(app.clone(), "/machine/deploy", &jwt).await;
        assert_eq!(
            (status, body["kind"].as_str()),
            (StatusCode::FORBIDDEN, None),
            "no `deploy` scope"
        );
        let (status, body) = post(app.clone(), "/machine/deploy", "ak_readonly").await;
        assert_eq!(
            (status, body),
            (StatusCode::FORBIDDEN, json!({"error": "missing_scope"}))
        );
        let (status, body) = post(app.clone(), "/machine/deploy", "ak_leaked").await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "token_revoked"}))
        );
        let (status, body) = post(app.clone(), "/machine/deploy", "ak_unknown").await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "invalid_token"}))
        );
        let session = sign_session_token(&session_claims("user_123"));
        let (status, body) = post(app.clone(), "/machine/deploy", &session).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "wrong_kind_of_token"}))
        );
        // And an API key is no session.
        let (status, body) = get(app, "/api/me", Some(("authorization", "Bearer ak_ci".to_owned()))).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "wrong_kind_of_token"}))
        );
        let verifications = mock
            .requests()
            .iter()
            .filter(|request| request.path.ends_with("/verify"))
            .count();
        assert_eq!(
            verifications, 5,
            "one per opaque token, none for the JWT or the session"
        );
    }

    #[tokio::test]
    async fn oauth_tokens_reach_their_route_opaque_or_jwt() {
        let (app, _mock) = test_app().await;
        let bearer = |token: &str| Some(("authorization", format!("Bearer {token}")));
        let (status, body) = get(app.clone(), "/oauth/profile", bearer("oat_app")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            json!({"user_id": "user_123", "client_id": "client_9", "scopes": ["profile"]})
        );
        let jwt = sign_oauth_token(&oauth_claims("user_7", "client_2", &["profile", "email"]));
        let (status, body) = get(app.clone(), "/oauth/profile", bearer(&jwt)).await;
        assert_eq!((status, body["client_id"].as_str()), (StatusCode::OK, Some("client_2")));
        let (status, body) = get(app, "/oauth/profile", bearer("oat_old")).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!({"error": "token_expired"}))
        );
    }

    #[tokio::test]
    async fn a_route_that_requires_a_recent_reverification_answers_clerks_403() {
        let (app, _mock) = test_app().await;
        let manager = |fva: Value| {
            let mut claims = session_claims("user_123");
            claims["o"] = json!({"id": "org_9", "rol": "admin", "per": "manage", "fpm": "1"});
            claims["fea"] = json!("o:invoices");
            claims["fva"] = fva;
            sign_session_token(&claims)
        };
        let (status, body) = post(app.clone(), "/api/invoices", &manager(json!([0, 2]))).await;
        assert_eq!((status, body), (StatusCode::OK, json!({"created_by": "user_123"})));
        let (status, body) = post(app.clone(), "/api/invoices", &manager(json!([0, 45]))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body,
            json!({"clerk_error": {"type": "forbidden", "reason": "reverification-error", "metadata": {"reverification": "strict"}}})
        );
        // Without the permission, a fresh factor does not help: 403, with no body.
        let mut member = session_claims("user_123");
        member["o"] = json!({"id": "org_9", "rol": "member"});
        member["fva"] = json!([0, 0]);
        let (status, body) = post(app, "/api/invoices", &sign_session_token(&member)).await;
        assert_eq!((status, body), (StatusCode::FORBIDDEN, Value::Null));
    }
}
