//! Social sign-in, the mock identity provider, enterprise SSO and the form_post callback hop.
//! The two social captures are replayed step by step; the IdP round trip (which Logto's capture
//! simulated with a hand-made callback) goes through our mock IdP page instead.

mod common;

use common::replay::{run, ErrorData, Flow, Hooks, Replay, Step};
use common::{keys, query_of, Browser, Resp, Server};
use serde_json::{json, Value};
use std::collections::HashMap;

const CAPTURED_CONNECTOR: &str = "3ksv8r1y9ec6";
const CONNECTOR: &str = "mock-social-connector";

/// Goes through the mock IdP as a person would: open the authorization URI, submit the form.
async fn idp_sign_in(b: &mut Browser, authorization_uri: &str, email: &str, name: &str) -> HashMap<String, String> {
    let page = b.get(authorization_uri).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<title>Mock identity provider</title>"));
    assert!(html.contains(r#"<form method="get" action="/mock-idp/approve">"#));
    assert!(!html.contains("<script"), "no script on the IdP page");
    let q = query_of(authorization_uri);
    let approve = form_urlencoded::Serializer::new(String::new())
        .append_pair("state", &q["state"])
        .append_pair("redirect_uri", &q["redirect_uri"])
        .append_pair("connector_id", &q["connector_id"])
        .append_pair("email", email)
        .append_pair("name", name)
        .append_pair("action", "approve")
        .finish();
    let resp = b.get(&format!("/mock-idp/approve?{approve}")).await;
    assert_eq!(resp.status, 302, "{}", resp.text());
    let location = resp.location();
    assert!(location.starts_with(&q["redirect_uri"]), "{location}");
    query_of(&location)
}

/// What a social capture's replay adds: our connector id and callback, and the mock IdP round trip where
/// Logto's capture faked the IdP's return.
#[derive(Default)]
struct SocialHooks {
    authorization_uri: String,
    code: Option<String>,
}

const EMAIL: &str = "social53818@example.com";
const NAME: &str = "Sam Social 53818";

impl Hooks for SocialHooks {
    async fn before(&mut self, r: &mut Replay<'_>, step: &mut Step) -> Flow {
        step.path = step.path.replace(CAPTURED_CONNECTOR, CONNECTOR);
        let our_redirect = format!("{}/callback/{CONNECTOR}", r.server.origin);
        if step.path.starts_with("/callback/") {
            let ctx = &step.ctx;
            let back = idp_sign_in(&mut r.browser, &self.authorization_uri, EMAIL, NAME).await;
            assert_eq!(back["state"], step.request["query"]["state"].as_str().unwrap(), "{ctx}: state comes back");
            self.code = Some(back["code"].clone());
            let q = form_urlencoded::Serializer::new(String::new()).extend_pairs(back.iter()).finish();
            let page = r.browser.get(&format!("{}?{q}", step.path)).await;
            assert_eq!(page.status, step.status(), "{ctx}: the callback page is served");
            return Flow::Done;
        }
        if let Some(body) = step.body.as_mut() {
            if body.get("redirectUri").is_some() {
                body["redirectUri"] = json!(our_redirect);
            }
            if body.get("connectorData").is_some() {
                // The existing-user capture has no callback step: it reuses an IdP round trip.
                if self.code.is_none() {
                    let back = idp_sign_in(&mut r.browser, &self.authorization_uri, EMAIL, NAME).await;
                    self.code = Some(back["code"].clone());
                }
                body["connectorData"] = json!({ "redirectUri": our_redirect, "code": self.code.clone().unwrap() });
            }
        }
        Flow::Send
    }

    /// The authorization URI points at our mock IdP with the capture's state and our callback.
    async fn after(&mut self, r: &mut Replay<'_>, step: &Step, resp: &Resp) {
        let theirs = &step.expected["body"];
        let Some(their_uri) = theirs["authorizationUri"].as_str() else { return };
        let ctx = &step.ctx;
        let uri = resp.json()["authorizationUri"].as_str().unwrap().to_owned();
        assert!(uri.starts_with(&format!("{}/mock-idp/authorize?", r.server.origin)), "{ctx}: {uri}");
        let q = query_of(&uri);
        let their_q = query_of(their_uri);
        assert_eq!(q["state"], their_q["state"], "{ctx}");
        assert_eq!(q["redirect_uri"], r.ours(&their_q["redirect_uri"]).replace(CAPTURED_CONNECTOR, CONNECTOR), "{ctx}");
        assert_eq!(q["connector_id"], CONNECTOR);
        self.authorization_uri = uri;
    }
}

/// Replays a social capture (see `common::replay`); returns the id_token claims of the signed-in user.
async fn replay_social(server: &Server, file: &str) -> Value {
    let r = run(server, file, ErrorData::Whole, &mut SocialHooks::default()).await;
    r.claims.expect("someone signed in")
}

#[tokio::test]
async fn replay_direct_social_sign_in_up_to_the_idp() {
    // The capture stops at the authorization URI: the landing, the page, the PUT and the URI are replayed.
    let server = Server::start().await;
    let r = run(&server, "flow.direct-sign-in.social.json", ErrorData::Whole, &mut SocialHooks::default()).await;
    assert_eq!(r.sent, 4);
}

#[tokio::test]
async fn social_new_user_then_existing_user() {
    let server = Server::start().await;
    let first = replay_social(&server, "flow.social.mock-social.new-user.json").await;
    {
        let users = server.state.users();
        let user = users.by_id(first["sub"].as_str().unwrap()).unwrap();
        assert_eq!(user.primary_email.as_deref(), Some("social53818@example.com"), "the social e-mail is synced");
        assert!(user.identities.contains_key("mock-social"));
        assert!(user.password_hash.is_none());
    }
    let second = replay_social(&server, "flow.social.mock-social.existing-user.json").await;
    assert_eq!(first["sub"], second["sub"], "the returning identity signs in to the same account");
}

/// Starts a SignIn interaction and a social verification; returns (browser, vid, authorizationUri).
async fn start_social(server: &Server, connector: &str) -> (Browser, Resp) {
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let redirect = format!("{}/callback/{connector}", server.origin);
    let resp = b
        .api(
            "POST",
            &format!("/api/experience/verification/social/{connector}/authorization-uri"),
            Some(json!({"state": "s1", "redirectUri": redirect})),
        )
        .await;
    (b, resp)
}

async fn verify_social(b: &mut Browser, server: &Server, vid: &str, code: &str) -> Resp {
    let redirect = format!("{}/callback/{CONNECTOR}", server.origin);
    b.api(
        "POST",
        &format!("/api/experience/verification/social/{CONNECTOR}/verify"),
        Some(json!({"verificationId": vid, "connectorData": {"redirectUri": redirect, "code": code, "state": "s1"}})),
    )
    .await
}

#[tokio::test]
async fn social_errors_related_user_and_linking() {
    let server = Server::start().await;
    // Unknown connector.
    let (_, resp) = start_social(&server, "nope").await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.json()["code"], "entity.not_found");

    let (mut b, resp) = start_social(&server, CONNECTOR).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body = resp.json();
    let vid = body["verificationId"].as_str().unwrap().to_owned();
    let uri = body["authorizationUri"].as_str().unwrap().to_owned();
    // Identification before verify.
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("session.verification_failed")));
    // A code the IdP never issued.
    let r = verify_social(&mut b, &server, &vid, "mock-code-bogus").await;
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("connector.invalid_auth_code")));
    // erin@example.com already has an account: identity_not_exist names her as the related user.
    let code = idp_sign_in(&mut b, &uri, "Erin@Example.com", "Erin Social").await["code"].clone();
    let r = verify_social(&mut b, &server, &vid, &code).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["verificationId"], vid.as_str());
    // Codes are single use.
    let again = verify_social(&mut b, &server, &vid, &code).await;
    assert_eq!(again.json()["code"], "connector.invalid_auth_code");
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!(r.status, 404);
    let e = r.json();
    assert_eq!(e["code"], "user.identity_not_exist");
    assert_eq!(e["data"], json!({"relatedUser": {"type": "email", "value": "Erin@Example.com"}}));
    // Link and sign in as Erin.
    let r = b
        .api("POST", "/api/experience/identification", Some(json!({"verificationId": vid, "linkSocialIdentity": true})))
        .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(b.api("GET", "/api/experience/interaction", None).await.json()["userId"], "u0erin00demo");
    assert!(server.state.users().by_id("u0erin00demo").unwrap().identities.contains_key("mock-social"));
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200);

    // A wrong-kind or unknown verification id.
    let (mut b, resp) = start_social(&server, CONNECTOR).await;
    assert_eq!(resp.status, 200);
    let r = verify_social(&mut b, &server, "not-a-vid", "x").await;
    assert_eq!((r.status, r.json()["code"].clone()), (404, json!("session.verification_session_not_found")));
    // Missing body fields.
    let r = b
        .api(
            "POST",
            &format!("/api/experience/verification/social/{CONNECTOR}/authorization-uri"),
            Some(json!({"state": "s"})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["data"]["issues"][0]["path"], json!(["redirectUri"]));
}

#[tokio::test]
async fn profile_username_rules() {
    let server = Server::start().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    // SignIn without an identified user.
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "newbie"}))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (404, json!("session.identifier_not_found")));
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "Register"}))).await;
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "alice"}))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (422, json!("user.username_already_in_use")));
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "9lives"}))).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["data"]["issues"][0]["code"], "invalid_string");
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "newbie"}))).await;
    assert_eq!(r.status, 204);
    // The rich config also wants an e-mail and a password.
    let r = b.api("POST", "/api/experience/identification", Some(json!({}))).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["data"]["missingProfile"], json!(["email", "password"]));
}

#[tokio::test]
async fn direct_sign_in_social_api_steps() {
    let server = Server::start().await;
    let mut b = server.browser();
    let (_, _, landing) = b.authorize(&[("direct_sign_in", "social:mock-social")]).await;
    assert_eq!(landing.location(), "/direct/social/mock-social?app_id=demo-app&fallback=sign-in");
    assert_eq!(b.get(&landing.location()).await.status, 200);
    let config = b.get("/api/.well-known/sign-in-exp").await.json();
    let connector =
        config["socialConnectors"].as_array().unwrap().iter().find(|c| c["target"] == "mock-social").unwrap().clone();
    assert_eq!(connector["id"], CONNECTOR);
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let redirect = format!("{}/callback/{CONNECTOR}", server.origin);
    let r = b
        .api(
            "POST",
            &format!("/api/experience/verification/social/{CONNECTOR}/authorization-uri"),
            Some(json!({"state": "Dx9kQ2vPz1s", "redirectUri": redirect})),
        )
        .await;
    assert_eq!(r.status, 200);
    let theirs = &common::fixture("flow.direct-sign-in.social.json")["transcript"][3]["response"]["body"];
    assert_eq!(keys(&r.json()), keys(theirs));

    // An unknown target: the landing is the same shape and the page falls back (no API call involved).
    let mut b = server.browser();
    let (_, _, landing) = b.authorize(&[("direct_sign_in", "social:does-not-exist")]).await;
    assert_eq!(landing.location(), "/direct/social/does-not-exist?app_id=demo-app&fallback=sign-in");
    assert!(!config["socialConnectors"].as_array().unwrap().iter().any(|c| c["target"] == "does-not-exist"));
}

#[tokio::test]
async fn mock_idp_cancel_error_and_open_redirect_refusal() {
    let server = Server::start().await;
    let (mut b, resp) = start_social(&server, CONNECTOR).await;
    let uri = resp.json()["authorizationUri"].as_str().unwrap().to_owned();
    let q = query_of(&uri);
    let page = b.get(&uri).await.text();
    assert!(page.contains("Mock Social"), "connector name on the page");
    assert!(page.contains(r#"name="email" type="email" value="social.user@example.com""#));
    assert!(page.contains(r#"name="name""#));
    assert!(page.contains(">Continue as social.user@example.com</button>"));
    assert!(page.contains(">Cancel</button>"));
    let form = |action: &str, redirect: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("state", &q["state"])
            .append_pair("redirect_uri", redirect)
            .append_pair("connector_id", CONNECTOR)
            .append_pair("email", "x@example.com")
            .append_pair("action", action)
            .finish()
    };
    let cancel = b.get(&format!("/mock-idp/approve?{}", form("cancel", &q["redirect_uri"]))).await;
    assert_eq!(cancel.status, 302);
    assert_eq!(cancel.location(), format!("{}?error=access_denied&state=s1", q["redirect_uri"]));
    let failed = b.get(&format!("/mock-idp/approve?{}", form("error", &q["redirect_uri"]))).await;
    assert_eq!(failed.status, 302);
    assert_eq!(query_of(&failed.location())["error"], "server_error");
    // Bad e-mail: the page again, with an alert.
    let bad = b
        .get(&format!("/mock-idp/approve?{}", form("approve", &q["redirect_uri"]).replace("x%40example.com", "nope")))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("role=\"alert\""));
    // Anything but our own /callback/<segment> is refused, on both pages.
    for evil in [
        "https://evil.example/callback/x".to_owned(),
        format!("{}/callback/../oidc/token", server.origin),
        format!("{}/callback/x?next=https://evil.example", server.origin),
        format!("{}/demo/callback", server.origin),
        format!("{}.evil.example/callback/x", server.origin),
        format!("{}@evil.example/callback/x", server.origin),
        "//evil.example/callback/x".to_owned(),
    ] {
        for path in ["/mock-idp/authorize", "/mock-idp/approve"] {
            let r = b.get(&format!("{path}?{}", form("approve", &evil))).await;
            assert_eq!(r.status, 400, "{path} {evil}");
            assert!(r.header("location").is_none(), "{path} {evil}");
        }
    }
    // Unknown connector on the IdP page.
    let r = b.get(&format!("/mock-idp/authorize?state=s&connector_id=zzz&redirect_uri={}", q["redirect_uri"])).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn sso_by_domain_sign_in_and_register() {
    let server = Server::start().await;
    let mut b = server.browser();
    // Needs the interaction cookie but not the PUT.
    assert_eq!(b.get("/api/experience/sso-connectors?email=sara@acme.test").await.status, 400);
    b.authorize(&[]).await;
    let r = b.get("/api/experience/sso-connectors?email=sara%40ACME.test").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"connectorIds": ["acme-sso-connector"]}));
    assert_eq!(
        b.get("/api/experience/sso-connectors?email=erin@example.com").await.json(),
        json!({"connectorIds": []})
    );
    assert_eq!(b.get("/api/experience/sso-connectors?email=bad").await.json()["code"], "guard.invalid_input");
    let config = b.get("/api/.well-known/sign-in-exp").await.json();
    assert_eq!(config["singleSignOnEnabled"], true);
    assert_eq!(config["ssoConnectors"][0]["connectorName"], "Acme SSO");
    assert!(config["ssoConnectors"][0].get("domains").is_none(), "domains stay server-side");

    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let redirect = format!("{}/callback/acme-sso-connector", server.origin);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sso/nope/authorization-uri",
            Some(json!({"state": "s", "redirectUri": redirect})),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (404, json!("entity.not_exists_with_id")));
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sso/acme-sso-connector/authorization-uri",
            Some(json!({"state": "s2", "redirectUri": redirect})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let uri = r.json()["authorizationUri"].as_str().unwrap().to_owned();
    let page = b.get(&uri).await.text();
    assert!(page.contains("Acme SSO") && page.contains("value=\"sso.user@acme.test\""), "{page}");
    let code = idp_sign_in(&mut b, &uri, "sara@acme.test", "Sara Acme").await["code"].clone();
    // verificationId is required for SSO.
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sso/acme-sso-connector/verify",
            Some(json!({"connectorData": {"code": code}})),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sso/acme-sso-connector/verify",
            Some(json!({"verificationId": vid, "connectorData": {"code": code, "redirectUri": redirect}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (404, json!("user.sso_identity_not_exist")));
    assert_eq!(
        b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "Register"}))).await.status,
        204
    );
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!(r.status, 201, "SSO sign-up skips profile fulfilment: {}", r.text());
    assert_eq!(b.api("POST", "/api/experience/submit", None).await.status, 200);
    let sara = server.state.users().by_email("sara@acme.test").cloned().unwrap();
    assert_eq!(sara.name.as_deref(), Some("Sara Acme"));

    // A second SSO sign-in finds her by identity; an existing account with an SSO e-mail is auto-linked.
    server.state.users().by_id_mut("u0pat000demo").unwrap().primary_email = Some("pat@acme.test".into());
    for (email, expected) in [("sara@acme.test", sara.id.clone()), ("pat@acme.test", "u0pat000demo".to_owned())] {
        let mut b = server.browser();
        b.authorize(&[]).await;
        b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
        let r = b
            .api(
                "POST",
                "/api/experience/verification/sso/acme-sso-connector/authorization-uri",
                Some(json!({"state": "s3", "redirectUri": redirect})),
            )
            .await;
        let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
        let code =
            idp_sign_in(&mut b, r.json()["authorizationUri"].as_str().unwrap(), email, "Someone").await["code"].clone();
        let r = b
            .api(
                "POST",
                "/api/experience/verification/sso/acme-sso-connector/verify",
                Some(json!({"verificationId": vid, "connectorData": {"code": code}})),
            )
            .await;
        assert_eq!(r.status, 200);
        let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
        assert_eq!(r.status, 204, "{email}: {}", r.text());
        assert_eq!(b.api("GET", "/api/experience/interaction", None).await.json()["userId"], expected.as_str());
    }

    // Password sign-in with an SSO-only domain.
    let mut b = server.browser();
    b.authorize(&[]).await;
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "email", "value": "pat@acme.test"}, "password": "P4t-Passw0rd!xy"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!(r.status, 422);
    let e = r.json();
    assert_eq!(e["code"], "session.sso_enabled");
    assert_eq!(e["data"]["ssoConnectors"][0]["id"], "acme-sso-connector");
}

#[tokio::test]
async fn callback_form_post_becomes_get() {
    let server = Server::start().await;
    let mut b = server.browser();
    let body = "code=abc+def&state=x%2Fy&user=%C3%A9";
    let r = b
        .request(
            "POST",
            &format!("/callback/{CONNECTOR}"),
            &[("content-type", "application/x-www-form-urlencoded")],
            Some(body.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/callback/{CONNECTOR}?code=abc+def&state=x%2Fy&user=%C3%A9"));
    let page = b.get(&r.location()).await;
    assert_eq!(page.status, 200, "GET /callback/* is the page");
    assert!(page.text().contains("Object.freeze("));
}

/// "Bind and continue" (`docs/experience-api.md`, missing profile): a new social identity whose email belongs to an account registers, is asked
/// for an email, proves pat's with a code, gets `user.email_already_in_use`, and binds itself to pat instead.
#[tokio::test]
async fn bind_and_continue_links_the_identity_to_the_proven_account() {
    let config = common::repo_root().join("provider/config/flows.json");
    let server = Server::start_with(common::Setup { config, ..common::Setup::default() }).await;
    let (mut b, resp) = start_social(&server, CONNECTOR).await;
    let social = resp.json()["verificationId"].as_str().unwrap().to_owned();
    let uri = resp.json()["authorizationUri"].as_str().unwrap().to_owned();
    let code = idp_sign_in(&mut b, &uri, "pat@example.com", "Pat Social").await["code"].clone();
    assert_eq!(verify_social(&mut b, &server, &social, &code).await.status, 200);
    // Registering: the email stays with its owner, so the new account lacks one.
    let event = |e: &str| json!({ "interactionEvent": e });
    assert_eq!(b.api("PUT", "/api/experience/interaction-event", Some(event("Register"))).await.status, 204);
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": social}))).await;
    assert_eq!(r.json()["code"], "user.missing_profile", "{}", r.text());
    let pat = json!({"type": "email", "value": "pat@example.com"});
    let sent = b
        .api(
            "POST",
            "/api/experience/verification/verification-code",
            Some(json!({"identifier": pat, "interactionEvent": "Register"})),
        )
        .await;
    let code_vid = sent.json()["verificationId"].as_str().unwrap().to_owned();
    let message = b.get("/outbox/latest?to=pat%40example.com").await.json();
    let verify = json!({"identifier": pat, "verificationId": code_vid, "code": message["code"]});
    let r = b.api("POST", "/api/experience/verification/verification-code/verify", Some(verify)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "email", "verificationId": code_vid}))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (422, json!("user.email_already_in_use")));
    // A social profile only binds to someone signed in.
    let bind = json!({"type": "social", "verificationId": social});
    let r = b.api("POST", "/api/experience/profile", Some(bind.clone())).await;
    assert_eq!(r.json()["code"], "session.invalid_interaction_type", "{}", r.text());
    // Bind and continue.
    assert_eq!(b.api("PUT", "/api/experience/interaction-event", Some(event("SignIn"))).await.status, 204);
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": code_vid}))).await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(b.api("POST", "/api/experience/profile", Some(bind)).await.status, 204);
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(server.state.users().by_id("u0pat000demo").unwrap().identities.contains_key("mock-social"));
}
