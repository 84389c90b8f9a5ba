//! Contract tests for a crate generated from Clerk's Frontend API
//! (`spec/upstream/fapi-2025-11-10.yml`), against Stoplight Prism serving that spec: every
//! request the crate sends passes Prism's validation, for forty operations (form bodies, query,
//! path and header parameters) sent with each of the spec's credentials in turn.
//!
//! `cargo xtask contract` generates the crate into `target/contract/`, copies this file in as
//! `tests/contract.rs`, starts Prism and runs it with `PRISM_URL` set.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use fapi_2025_11_10::hooks::{AttemptFailure, HookContext, HookResponse, Hooks};
use fapi_2025_11_10::models::*;
use fapi_2025_11_10::{Clerk, ClerkBuilder, Error, Nullable, RetryConfig};

/// The credentials sent to Prism; `cargo xtask contract` checks Prism's log for them.
const CONTRACT_TOKEN: &str = "contract_token_9b1e";

/// The request violations Prism reports in its `sl-violations` header, by operation.
#[derive(Clone, Default)]
struct Violations(Arc<Mutex<Vec<String>>>);

impl Violations {
    fn record(&self, context: &HookContext, headers: &fapi_2025_11_10::reqwest::header::HeaderMap) {
        if let Some(violations) = headers.get("sl-violations") {
            let text = String::from_utf8_lossy(violations.as_bytes()).into_owned();
            // Prism also flags its own generated responses; only request violations are ours.
            if text.contains("\"request\"") {
                self.0.lock().expect("not poisoned").push(format!("{}: {text}", context.operation_id));
            }
        }
    }
}

impl Hooks for Violations {
    fn after_success(&self, context: &HookContext, response: &HookResponse<'_>) {
        self.record(context, response.headers);
    }

    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        if let AttemptFailure::Status(response) = failure {
            self.record(context, response.headers);
        }
    }
}

fn builder(violations: &Violations) -> ClerkBuilder {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL is set by `cargo xtask contract`");
    Clerk::builder().server_url(url).retries(RetryConfig::none()).hook(violations.clone())
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

/// Makes each call's value `()`: only the request is under test here.
fn done<'a, T: 'a>(call: impl std::future::IntoFuture<Output = Result<T, Error>> + 'a) -> Pending<'a> {
    Box::pin(async move { call.await.map(drop) })
}

/// Operations whose spec security is the spec's own alternatives (or optional), called with
/// every kind of argument the generator emits.
fn calls(clerk: &Clerk) -> Vec<(&'static str, Pending<'_>)> {
    let origin = "https://app.example.com";
    vec![
        ("getEnvironment", done(clerk.environment().get_environment())),
        ("updateEnvironment", done(clerk.environment().update_environment(origin))),
        ("getAccountPortal", done(clerk.account_portal().get_account_portal())),
        ("getHealth", done(clerk.health().get_health())),
        ("getClient", done(clerk.client().get_client())),
        ("putClient", done(clerk.client().put_client())),
        ("deleteClientSessions", done(clerk.client().delete_client_sessions())),
        (
            "createSignIn",
            done(
                clerk
                    .sign_ins()
                    .create_sign_in(CreateSignInRequest::new().identifier("ann@example.com").strategy("email_code"))
                    .origin(origin),
            ),
        ),
        ("getSignIn", done(clerk.sign_ins().get_sign_in("sia_1"))),
        (
            "prepareSignInFactorOne",
            done(
                clerk
                    .sign_ins()
                    .prepare_sign_in_factor_one("sia_1", PrepareSignInFactorOneRequest::new("email_code"))
                    .origin(origin),
            ),
        ),
        (
            "createSignUps",
            done(clerk.sign_ups().create_sign_ups(
                CreateSignUpsRequest::new()
                    .email_address("ann@example.com")
                    .first_name("Ann")
                    .last_name(Nullable::Null)
                    .legal_accepted(true),
            )),
        ),
        ("getSignUps", done(clerk.sign_ups().get_sign_ups("sua_1"))),
        (
            "updateSignUps",
            done(clerk.sign_ups().update_sign_ups("sua_1", UpdateSignUpsRequest::new().first_name("Ann"))),
        ),
        ("getSession", done(clerk.sessions().get_session("sess_1"))),
        ("touchSession", done(clerk.sessions().touch_session("sess_1", TouchSessionRequest::new()))),
        ("endSession", done(clerk.sessions().end_session("sess_1"))),
        ("getSessions", done(clerk.active_sessions().get_sessions(GetSessionsQuery::new()))),
        ("getEmailAddresses", done(clerk.email_addresses().get_email_addresses(GetEmailAddressesQuery::new()))),
        (
            "createEmailAddresses",
            done(
                clerk
                    .email_addresses()
                    .create_email_addresses(CreateEmailAddressesQuery::new(), CreateEmailAddressesRequest::new("ann@example.com")),
            ),
        ),
        (
            "getEmailAddress",
            done(clerk.email_addresses().get_email_address("idn_1", GetEmailAddressQuery::new())),
        ),
        ("getPhoneNumbers", done(clerk.phone_numbers().get_phone_numbers(GetPhoneNumbersQuery::new()))),
        (
            "postPhoneNumbers",
            done(
                clerk
                    .phone_numbers()
                    .post_phone_numbers(PostPhoneNumbersQuery::new(), PostPhoneNumbersRequest::new("+15555550100")),
            ),
        ),
        ("getWeb3Wallets", done(clerk.web3_wallets().get_web3_wallets(GetWeb3WalletsQuery::new()))),
        ("postTOTP", done(clerk.totp().post_totp())),
        ("verifyTOTP", done(clerk.totp().verify_totp(VerifyTotpRequest::new().code("123456")))),
        ("createBackupCodes", done(clerk.backup_codes().create_backup_codes())),
        ("getUser", done(clerk.user().get_user())),
        ("patchUser", done(clerk.user().patch_user(PatchUserRequest::new().first_name("Ann")))),
        (
            "changePassword",
            done(clerk.user().change_password(
                ChangePasswordRequest::new()
                    .new_password("correct horse battery staple")
                    .sign_out_of_other_sessions(true),
            )),
        ),
        ("getOrganization", done(clerk.organization().get_organization("org_1"))),
        (
            "updateOrganization",
            done(clerk.organization().update_organization("org_1", UpdateOrganizationRequest::new().name("Acme"))),
        ),
        (
            "createOrganizationDomain",
            done(clerk.domains().create_organization_domain("org_1", CreateOrganizationDomainRequest::new("example.com"))),
        ),
        (
            "createOrganizationInvitations",
            done(clerk.invitations().create_organization_invitations(
                "org_1",
                CreateOrganizationInvitationsRequest::new("ann@example.com", "org:member"),
            )),
        ),
        ("joinWaitlist", done(clerk.waitlist().join_waitlist(JoinWaitlistRequest::new("ann@example.com")))),
        ("getBillingPlanList", done(clerk.billing().list_plans(GetBillingPlanListQuery::new()))),
    ]
}

/// Operations with `security: []`, or their own requirements.
fn other_calls(clerk: &Clerk) -> Vec<(&'static str, Pending<'_>)> {
    vec![
        ("getJWKS", done(clerk.well_known().get_jwks())),
        ("getOpenIDConfiguration", done(clerk.well_known().get_open_id_configuration())),
        ("getWebAuthnRelatedOrigins", done(clerk.well_known().get_web_authn_related_origins())),
        ("createDevBrowser", done(clerk.dev_browser().create_dev_browser())),
        (
            "revokeOAuthToken",
            done(
                clerk
                    .o_auth2_identity_provider()
                    .revoke_o_auth_token(RevokeOAuthTokenRequest::new().token("oat_1")),
            ),
        ),
    ]
}

#[tokio::test]
async fn every_request_passes_prism_validation_with_each_credential() {
    let violations = Violations::default();
    let clients = [
        ("DevBrowser", builder(&violations).dev_browser(CONTRACT_TOKEN)),
        ("ProductionBrowser", builder(&violations).production_browser(CONTRACT_TOKEN)),
        (
            "ProductionNativeApp + ProductionNativeFlag",
            builder(&violations).production_native_app(CONTRACT_TOKEN).production_native_flag("true"),
        ),
    ];
    let mut operations = std::collections::BTreeSet::new();
    let mut sent = 0;
    for (credential, builder) in clients {
        let clerk = builder.build().expect("builds");
        for (operation, call) in calls(&clerk) {
            // A response Prism makes up may not decode, or be a listed error: only whether the
            // request was valid is checked here.
            let _ = call.await;
            operations.insert(operation);
            sent += 1;
        }
        println!("contract: {credential}: sent");
    }
    let clerk = builder(&violations)
        .client_credentials("client_id", CONTRACT_TOKEN)
        .build()
        .expect("builds");
    for (operation, call) in other_calls(&clerk) {
        let _ = call.await;
        operations.insert(operation);
        sent += 1;
    }
    let violations = std::mem::take(&mut *violations.0.lock().expect("not poisoned"));
    assert!(violations.is_empty(), "Prism rejected requests:\n{}", violations.join("\n"));
    assert!(operations.len() >= 30, "only {} operations", operations.len());
    println!(
        "contract: Frontend API: {sent} requests over {} operations, 0 violations",
        operations.len()
    );
}
