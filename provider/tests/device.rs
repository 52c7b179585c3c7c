//! The device flow (RFC 8628): the device's authorization request, the page's form to `/oidc/device`, the sign-in
//! that ends on `/device/success`, and the device's polling.

mod common;

use common::{query_of, repo_root, Browser, Resp, Server, Setup};
use serde_json::{json, Value};

const CLIENT: &str = "tv-app";
const GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

async fn server() -> Server {
    Server::start_with(Setup { config: repo_root().join("provider/config/default.json"), ..Setup::default() }).await
}

async fn form(b: &mut Browser, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    b.request("POST", path, &[("content-type", "application/x-www-form-urlencoded")], Some(body.into_bytes())).await
}

/// The device's request: (device_code, user_code).
async fn start_device(device: &mut Browser) -> (String, String) {
    let r = form(device, "/oidc/device/auth", &[("client_id", CLIENT), ("scope", "openid profile")]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let user_code = body["user_code"].as_str().unwrap().to_owned();
    assert!(user_code.len() == 9 && user_code.as_bytes()[4] == b'-', "{user_code}");
    assert!(body["verification_uri"].as_str().unwrap().ends_with("/oidc/device"));
    assert!(body["verification_uri_complete"].as_str().unwrap().ends_with(&format!("?user_code={user_code}")));
    assert_eq!(body["interval"], 5);
    assert_eq!(body["expires_in"], 600);
    (body["device_code"].as_str().unwrap().to_owned(), user_code)
}

async fn poll(device: &mut Browser, device_code: &str) -> Value {
    let r = form(device, "/oidc/token", &[("grant_type", GRANT), ("client_id", CLIENT), ("device_code", device_code)])
        .await;
    r.json()
}

/// The page's form: the xsrf cookie from `/oidc/device`, then `user_code`, `xsrf`, `confirm=yes`.
async fn enter(b: &mut Browser, typed: &str) -> Resp {
    let r = b.get("/oidc/device").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/device");
    let xsrf = b.cookie("_logto_device_flow_xsrf").expect("the page's xsrf cookie");
    form(b, "/oidc/device", &[("user_code", typed), ("xsrf", &xsrf), ("confirm", "yes")]).await
}

async fn sign_in(b: &mut Browser) -> String {
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": "alice"}, "password": "Al1ce-Passw0rd!x"})),
        )
        .await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["redirectTo"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_device_is_signed_in_through_the_code_page_and_its_polling_gets_tokens() {
    let server = server().await;
    let (mut device, mut b) = (server.browser(), server.browser());
    let (device_code, user_code) = start_device(&mut device).await;
    assert_eq!(poll(&mut device, &device_code).await["error"], "authorization_pending");
    // Polling again at once is too fast.
    assert_eq!(poll(&mut device, &device_code).await["error"], "slow_down");
    server.state.advance_clock(std::time::Duration::from_secs(11));
    assert_eq!(poll(&mut device, &device_code).await["error"], "authorization_pending");

    // The code as a person might type it.
    let typed = user_code.to_lowercase().replace('-', " ");
    let r = enter(&mut b, &typed).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.location(), format!("/sign-in?app_id={CLIENT}"));
    let to = sign_in(&mut b).await;
    let done = b.get(&to).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location(), "/device/success");

    server.state.advance_clock(std::time::Duration::from_secs(20));
    let tokens = poll(&mut device, &device_code).await;
    assert_eq!(tokens["token_type"], "Bearer", "{tokens}");
    let claims = reference_provider::oidc::jwt_claims(tokens["id_token"].as_str().unwrap()).unwrap();
    assert_eq!((claims["aud"].as_str(), claims["username"].as_str()), (Some(CLIENT), Some("alice")));
    server.state.advance_clock(std::time::Duration::from_secs(20));
    assert_eq!(poll(&mut device, &device_code).await["error"], "invalid_grant");

    // The same code again: already used.
    let r = enter(&mut b, &user_code).await;
    assert_eq!(query_of(&r.location())["error"], "already_used");
}

#[tokio::test]
async fn wrong_expired_and_aborted_codes_go_back_to_the_page_saying_why() {
    let server = server().await;
    let (mut device, mut b) = (server.browser(), server.browser());
    let r = enter(&mut b, "bcdf-ghjk").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/device?user_code=BCDF-GHJK&error=not_found");

    let (device_code, user_code) = start_device(&mut device).await;
    let r = b
        .request(
            "POST",
            "/admin/device-codes/expire",
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(&json!({"userCode": user_code})).unwrap()),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(query_of(&enter(&mut b, &user_code).await.location())["error"], "expired");
    assert_eq!(poll(&mut device, &device_code).await["error"], "expired_token");

    let (device_code, user_code) = start_device(&mut device).await;
    let xsrf = {
        b.get("/oidc/device").await;
        b.cookie("_logto_device_flow_xsrf").unwrap()
    };
    let r = form(&mut b, "/oidc/device", &[("user_code", &user_code), ("xsrf", &xsrf), ("abort", "yes")]).await;
    assert_eq!(r.location(), "/device?error=aborted");
    assert_eq!(poll(&mut device, &device_code).await["error"], "access_denied");

    // A form without the cookie's xsrf is not taken: a fresh cookie and the page again, code kept.
    let (_, user_code) = start_device(&mut device).await;
    let r = form(&mut b, "/oidc/device", &[("user_code", &user_code), ("xsrf", "forged"), ("confirm", "yes")]).await;
    assert_eq!(r.location(), format!("/device?user_code={user_code}"));

    let r = form(&mut device, "/oidc/device/auth", &[("client_id", "demo-app")]).await;
    assert_eq!(r.json()["error"], "invalid_client");
}
