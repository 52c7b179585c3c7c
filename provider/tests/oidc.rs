//! `/oidc/auth` landing URLs and cookies against the captures, PKCE at `/oidc/token`, the lockout,
//! and a full browser round trip through the demo client.

mod common;

use common::{parse_set_cookie, query_of, repo_root, Server, Setup};
use serde_json::json;

const OWN_PARAMS: &[&str] =
    &["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"];

#[tokio::test]
async fn every_captured_landing_url() {
    let server = Server::start().await;
    let cases = common::fixture("landing-urls.json");
    for case in cases["cases"].as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let extra: Vec<(String, String)> = case["request"]["query"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| !OWN_PARAMS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut browser = server.browser();
        let (_, state, resp) = browser.authorize(&extra).await;
        let expected = &case["response"];
        assert_eq!(resp.status as u64, expected["status"].as_u64().unwrap(), "{name}");
        let theirs = expected["headers"]["location"].as_str().unwrap();
        if theirs.starts_with('/') {
            assert_eq!(resp.location(), theirs, "{name}");
            let mut names: Vec<String> = resp.set_cookies().iter().map(|c| parse_set_cookie(c).0).collect();
            names.sort();
            let mut expected_names: Vec<&str> = expected["headers"]["set-cookie"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .filter(|n| !n.ends_with(".sig"))
                .collect();
            expected_names.sort();
            assert_eq!(names, expected_names, "{name}: cookies (the .sig companions are optional)");
        } else {
            // prompt=create: the error goes back to the client with its state and our issuer.
            let q = query_of(&resp.location());
            assert!(resp.location().starts_with(&server.redirect_uri()), "{name}");
            assert_eq!(q["error"], query_of(theirs)["error"], "{name}");
            assert_eq!(q["state"], state);
            assert_eq!(q["iss"], format!("{}/oidc", server.origin));
        }
    }
}

#[tokio::test]
async fn cookies_match_the_capture() {
    let server = Server::start().await;
    let capture = common::fixture("cookies-and-redirects.json");
    let first = &capture["steps"][0];
    let mut browser = server.browser();
    let (_, _, resp) = browser.authorize(&[("ui_locales", "ar")]).await;
    assert_eq!(resp.location(), first["response"]["location"].as_str().unwrap());
    let uid = browser.cookie("_interaction").unwrap();
    assert_eq!(uid.len(), 43, "a 43-character base64url uid");
    let ours = resp.set_cookies();
    for expected in first["response"]["set_cookie"].as_array().unwrap() {
        let name = expected["name"].as_str().unwrap();
        if name.ends_with(".sig") {
            continue;
        }
        let header =
            ours.iter().find(|c| c.starts_with(&format!("{name}="))).unwrap_or_else(|| panic!("{name} not set"));
        let attrs = header.to_ascii_lowercase();
        let want = &expected["attributes"];
        let path = want["path"].as_str().unwrap().replace("<cookie:_interaction#1>", &uid.to_ascii_lowercase());
        assert!(attrs.contains(&format!("path={path}")), "{name}: {header}");
        assert!(attrs.contains("samesite=lax"), "{name}");
        assert_eq!(attrs.contains("httponly"), want.get("httponly").is_some(), "{name}: httponly");
        assert_eq!(attrs.contains("expires="), want.get("expires").is_some(), "{name}: expires");
    }
    let logto = browser.cookie("_logto").unwrap();
    let decoded: serde_json::Value =
        serde_json::from_str(&percent_encoding::percent_decode_str(&logto).decode_utf8().unwrap()).unwrap();
    assert_eq!(decoded, json!({"appId": "demo-app", "uiLocales": "ar"}));

    // Before submit, resuming goes back to the landing page.
    let resp = browser.get(&format!("/oidc/auth/{uid}")).await;
    assert_eq!(resp.status, 303);
    assert_eq!(resp.location(), "/sign-in?app_id=demo-app&ui_locales=ar");
}

#[tokio::test]
async fn bad_authorization_requests() {
    let server = Server::start().await;
    let mut b = server.browser();
    let challenge = reference_provider::oidc::pkce_challenge("v".repeat(50).as_str());
    let base = |client: &str, redirect: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", client)
            .append_pair("redirect_uri", redirect)
            .append_pair("response_type", "code")
            .append_pair("state", "s1")
            .finish()
    };
    let redirect = server.redirect_uri();
    // Unknown client or redirect URI: an error page, never a redirect.
    for q in [base("other-app", &redirect), base("demo-app", "http://evil.example/cb")] {
        let resp = b.get(&format!("/oidc/auth?{q}&code_challenge={challenge}&code_challenge_method=S256")).await;
        assert_eq!(resp.status, 400, "{q}");
        assert!(resp.header("location").is_none());
        assert!(resp.header("content-type").unwrap().starts_with("text/html"));
    }
    // PKCE missing or not S256: an error back at the client.
    for pkce in [
        String::new(),
        format!("&code_challenge={challenge}&code_challenge_method=plain"),
        format!("&code_challenge={challenge}"),
    ] {
        let resp = b.get(&format!("/oidc/auth?{}{pkce}", base("demo-app", &redirect))).await;
        assert_eq!(resp.status, 303, "{pkce}");
        let q = query_of(&resp.location());
        assert_eq!(q["error"], "invalid_request");
        assert_eq!(q["state"], "s1");
    }
    assert!(b.jar.is_empty(), "no interaction was opened");
}

/// Signs `user` in through the Experience API; returns the code and the verifier.
async fn sign_in(server: &Server, b: &mut common::Browser, username: &str, password: &str) -> (String, String) {
    let (verifier, _, resp) = b.authorize(&[]).await;
    assert_eq!(resp.status, 303);
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let resp = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": username}, "password": password})),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let vid = resp.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(vid.len(), 21);
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    let resp = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(resp.status, 200);
    let to = resp.json()["redirectTo"].as_str().unwrap().to_owned();
    let resp = b.get(&to).await;
    assert_eq!(resp.status, 303);
    let code = query_of(&resp.location())["code"].clone();
    assert!(resp.location().starts_with(&server.redirect_uri()));
    (code, verifier)
}

async fn redeem(b: &mut common::Browser, code: &str, verifier: &str, redirect_uri: &str) -> common::Resp {
    b.token(&[
        ("grant_type", "authorization_code"),
        ("client_id", "demo-app"),
        ("code", code),
        ("code_verifier", verifier),
        ("redirect_uri", redirect_uri),
    ])
    .await
}

#[tokio::test]
async fn pkce_is_enforced_and_codes_are_single_use() {
    let server = Server::start_with(username_config()).await;
    let mut b = server.browser();
    let redirect = server.redirect_uri();
    let (code, verifier) = sign_in(&server, &mut b, "alice", "Al1ce-Passw0rd!x").await;
    let resp = redeem(&mut b, &code, "not-the-right-verifier-0000000000000000000000", &redirect).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["error"], "invalid_grant");
    // The failed attempt consumed the code: the right verifier is now too late.
    assert_eq!(redeem(&mut b, &code, &verifier, &redirect).await.json()["error"], "invalid_grant");

    let (code, verifier) = sign_in(&server, &mut b, "alice", "Al1ce-Passw0rd!x").await;
    let resp = redeem(&mut b, &code, &verifier, &redirect).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let tokens = resp.json();
    assert_eq!(common::keys(&tokens), ["access_token", "expires_in", "id_token", "scope", "token_type"]);
    let claims = reference_provider::oidc::jwt_claims(tokens["id_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["sub"], "u0alice0demo");
    assert_eq!(claims["name"], "Alice");
    // A redeemed code cannot be used twice.
    assert_eq!(redeem(&mut b, &code, &verifier, &redirect).await.status, 400);
    // Nor can a code be redeemed for another redirect URI.
    let (code, verifier) = sign_in(&server, &mut b, "erin", "Er1n-Passw0rd!x").await;
    assert_eq!(redeem(&mut b, &code, &verifier, "http://127.0.0.1:1/elsewhere").await.status, 400);
}

#[tokio::test]
async fn demo_client_round_trip_shows_alice() {
    let server = Server::start_with(username_config()).await;
    let mut b = server.browser();
    let resp = b.get("/demo").await;
    assert_eq!(resp.status, 302);
    assert!(resp.set_cookies().iter().any(|c| c.starts_with("demo_pkce=") && c.contains("httponly")));
    let resp = b.get(&resp.location()).await;
    assert_eq!(resp.status, 303);
    let landing = resp.location();
    assert_eq!(landing, "/sign-in?app_id=demo-app");
    let page = b.get(&landing).await;
    assert_eq!(page.status, 200);
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let vid = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": "alice"}, "password": "Al1ce-Passw0rd!x"})),
        )
        .await
        .json()["verificationId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    let to = b.api("POST", "/api/experience/submit", None).await.json()["redirectTo"].as_str().unwrap().to_owned();
    let resp = b.get(&to).await;
    assert_eq!(resp.status, 303);
    let resp = b.get(&resp.location()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let html = resp.text();
    assert!(html.contains("<h1>Signed in</h1>"), "{html}");
    assert!(html.contains("Signed in as <strong>Alice</strong> (<code>alice</code>)"), "{html}");
    assert!(html.contains("<pre>"));

    // A callback with a forged state is refused.
    let resp = b.get("/demo/callback?code=x&state=forged").await;
    assert_eq!(resp.status, 400);
    assert!(resp.text().contains("Sign-in failed"));
}

#[tokio::test]
async fn lockout_after_repeated_failures() {
    let mut row: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/default.json")).unwrap())
            .unwrap();
    row["sentinelPolicy"] = json!({"maxAttempts": 3, "lockoutDuration": 10});
    let dir = common::scratch("sentinel");
    std::fs::write(dir.join("config.json"), row.to_string()).unwrap();
    let server = Server::start_with(Setup { config: dir.join("config.json"), ..Setup::default() }).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let attempt = |pw: &'static str| json!({"identifier": {"type": "username", "value": "erin"}, "password": pw});
    for _ in 0..3 {
        let resp = b.api("POST", "/api/experience/verification/password", Some(attempt("wrong-Passw0rd!"))).await;
        assert_eq!(resp.json()["code"], "session.invalid_credentials");
    }
    let resp = b.api("POST", "/api/experience/verification/password", Some(attempt("Er1n-Passw0rd!x"))).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["code"], "session.verification_blocked_too_many_attempts");
}

#[tokio::test]
async fn sign_in_mode_and_event_switching() {
    let server = Server::start().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    assert_eq!(
        b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "Register"}))).await.status,
        204
    );
    let resp = b.api("GET", "/api/experience/interaction", None).await;
    assert_eq!(resp.json()["interactionEvent"], "Register");
    // An identification with nothing verified yet: Register asks for the whole sign-up profile.
    let resp = b.api("POST", "/api/experience/identification", Some(json!({}))).await;
    assert_eq!(resp.status, 422);
    assert_eq!(resp.json()["code"], "user.missing_profile");
    assert_eq!(resp.json()["data"]["missingProfile"], json!(["email", "username", "password"]));

    let mut row: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/default.json")).unwrap())
            .unwrap();
    row["signInMode"] = json!("SignIn");
    let dir = common::scratch("signin-only");
    std::fs::write(dir.join("config.json"), row.to_string()).unwrap();
    let server = Server::start_with(Setup { config: dir.join("config.json"), ..Setup::default() }).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    let resp = b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "Register"}))).await;
    assert_eq!(resp.status, 403);
    assert_eq!(resp.json()["code"], "auth.forbidden");
}

/// alice has no e-mail address: under rich.json (sign-up wants one) her sign-in stops at `user.missing_profile`
/// (see `identifier_flows.rs`), so the plain round trips use the username-only config.
fn username_config() -> Setup {
    Setup { config: repo_root().join("provider/config/username-only.json"), ..Setup::default() }
}
