//! Third-party applications: the consent after sign-in (`GET`/`POST /api/interaction/consent`), what the code
//! then carries, Cancel, signing out from the consent screen, and first-party applications never asking.

mod common;

use common::{query_of, repo_root, Browser, Server, Setup};
use serde_json::{json, Value};

const APP: &str = "notes-app";
const SCOPE: &str = "openid profile email urn:logto:scope:organizations read:notes";
const RESOURCE: &str = "https://api.notes.test";
const ACME: &str = "org0acme0000";
const GLOBEX: &str = "org0globex00";

/// Username + password only, so that the demo users sign in without being asked for more.
async fn server() -> Server {
    Server::start_with(Setup { config: repo_root().join("provider/config/default.json"), ..Setup::default() }).await
}

fn callback(server: &Server) -> String {
    format!("{}/demo/third-party/callback", server.origin)
}

/// Starts the notes app's request; returns the PKCE verifier.
async fn start(server: &Server, b: &mut Browser) -> String {
    let (verifier, _, landing) = b.authorize_client(APP, &callback(server), SCOPE, &[("resource", RESOURCE)]).await;
    assert_eq!(landing.status, 303, "{}", landing.text());
    assert_eq!(landing.location(), format!("/sign-in?app_id={APP}"));
    verifier
}

/// The page's username + password sign-in; returns where submit sends the browser.
async fn sign_in(b: &mut Browser, username: &str, password: &str) -> String {
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": username}, "password": password})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["redirectTo"].as_str().unwrap().to_owned()
}

/// Start, sign in, resume: the browser is on the consent screen.
async fn to_consent(server: &Server, b: &mut Browser, username: &str, password: &str) -> String {
    let verifier = start(server, b).await;
    let to = sign_in(b, username, password).await;
    let resume = b.get(&to).await;
    assert_eq!(resume.status, 303);
    assert_eq!(resume.location(), format!("/consent?app_id={APP}"));
    assert!(b.cookie("_session").is_some(), "the browser is signed in while it consents");
    verifier
}

async fn info(b: &mut Browser) -> Value {
    let r = b.api("GET", "/api/interaction/consent", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn consent(b: &mut Browser, body: Value) -> common::Resp {
    b.api("POST", "/api/interaction/consent", Some(body)).await
}

#[tokio::test]
async fn a_third_party_sign_in_asks_for_consent_and_the_code_carries_the_grant() {
    let server = server().await;
    let mut b = server.browser();
    let verifier = to_consent(&server, &mut b, "alice", "Al1ce-Passw0rd!x").await;

    let info = info(&mut b).await;
    assert_eq!(info["application"]["id"], APP);
    assert_eq!(info["application"]["name"], "Acme Notes");
    assert!(info["application"]["branding"]["logoUrl"].as_str().unwrap().starts_with("data:image/svg+xml"));
    assert_eq!(info["application"]["termsOfUseUrl"], "https://notes.example/terms");
    assert_eq!(info["user"]["username"], "alice");
    assert_eq!(info["missingOIDCScope"], json!(["profile", "email", "urn:logto:scope:organizations"]));
    let notes = &info["missingResourceScopes"][0];
    assert_eq!(notes["resource"]["name"], "Notes API");
    assert_eq!(notes["scopes"][0]["name"], "read:notes");
    assert_eq!(notes["scopes"][0]["description"], "Read your notes");
    let names: Vec<&str> =
        info["organizations"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Acme", "Globex"]);
    // Cancel's target finishes the request with access_denied, state included.
    let cancel = query_of(info["redirectUri"].as_str().unwrap());
    assert!(info["redirectUri"].as_str().unwrap().starts_with(&callback(&server)));
    assert_eq!(cancel["error"], "access_denied");
    assert_eq!(cancel["state"], "st4te-value");

    let r = consent(&mut b, json!({"organizationIds": [GLOBEX]})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let to = r.json()["redirectTo"].as_str().unwrap().to_owned();
    let done = b.get(&to).await;
    assert_eq!(done.status, 303);
    assert!(done.location().starts_with(&callback(&server)), "{}", done.location());
    let code = query_of(&done.location())["code"].clone();
    let redirect_uri = callback(&server);
    let r = b
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", &redirect_uri),
        ])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let tokens = r.json();
    let granted: Vec<&str> = tokens["scope"].as_str().unwrap().split(' ').collect();
    assert_eq!(granted, ["openid", "profile", "email", "urn:logto:scope:organizations", "read:notes"]);
    let claims = reference_provider::oidc::jwt_claims(tokens["id_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["aud"], APP);
    assert_eq!(claims["username"], "alice");
    assert_eq!(claims["organizations"], json!([GLOBEX]));
}

#[tokio::test]
async fn an_organization_the_account_is_not_in_is_access_denied() {
    let server = server().await;
    let mut b = server.browser();
    to_consent(&server, &mut b, "erin", "Er1n-Passw0rd!x").await;
    let names: Vec<String> = info(&mut b).await["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, [ACME]);
    let r = consent(&mut b, json!({"organizationIds": [GLOBEX]})).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["code"], "oidc.access_denied");
    // Nothing was granted: the resume still goes to the consent screen.
    let uid = b.cookie("_interaction").unwrap();
    assert_eq!(b.get(&format!("/oidc/auth/{uid}")).await.location(), format!("/consent?app_id={APP}"));
    let r = consent(&mut b, json!({"organizationIds": "nope"})).await;
    assert_eq!(r.json()["code"], "guard.invalid_input");
}

#[tokio::test]
async fn an_account_in_no_organization_gets_an_empty_list_and_may_consent_without_one() {
    let server = server().await;
    let mut b = server.browser();
    to_consent(&server, &mut b, "pat", "P4t-Passw0rd!xy").await;
    assert_eq!(info(&mut b).await["organizations"], json!([]));
    let r = consent(&mut b, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn using_another_account_signs_out_and_returns_to_the_sign_in() {
    let server = server().await;
    let mut b = server.browser();
    to_consent(&server, &mut b, "alice", "Al1ce-Passw0rd!x").await;
    let uid = b.cookie("_interaction").unwrap();
    let r = b.get(&format!("/oidc/session/end?client_id={APP}")).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/oidc/auth/{uid}"));
    assert_eq!(b.cookie("_session"), None);
    assert_eq!(b.get(&r.location()).await.location(), format!("/sign-in?app_id={APP}"));
    let r = b.api("GET", "/api/interaction/consent", None).await;
    assert_eq!(r.json()["code"], "session.not_found");
    // Someone else signs in on the same request and is asked in turn.
    let to = sign_in(&mut b, "erin", "Er1n-Passw0rd!x").await;
    assert_eq!(b.get(&to).await.location(), format!("/consent?app_id={APP}"));
    assert_eq!(info(&mut b).await["user"]["username"], "erin");

    let r = b.get("/oidc/session/end?client_id=unknown").await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_first_party_sign_in_never_asks() {
    let server = server().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    let to = sign_in(&mut b, "alice", "Al1ce-Passw0rd!x").await;
    let done = b.get(&to).await;
    assert!(done.location().starts_with(&server.redirect_uri()), "{}", done.location());
    assert!(query_of(&done.location()).contains_key("code"));
}
