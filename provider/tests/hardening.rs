//! Findings of the adversarial review, over real HTTP: the Experience API speaks JSON only (no preflight-free
//! cross-site bodies).

mod common;

use common::{Browser, Resp, Server};
use serde_json::{json, Value};

fn assert_error(r: &Resp, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let body = r.json();
    assert_eq!(body["code"], code, "{body}");
    body
}

/// A request to the provider with exactly these headers (plus the cookies), the way a page elsewhere could send it.
async fn raw(b: &mut Browser, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
    let body = (!body.is_empty()).then(|| body.as_bytes().to_vec());
    b.request(method, path, headers, body).await
}

// ---------------------------------------------------------------------------------------------------------------
// The Experience API speaks JSON only

#[tokio::test]
async fn experience_api_refuses_bodies_that_are_not_declared_json() {
    let server = Server::start().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    let start = r#"{"interactionEvent":"SignIn"}"#;
    // What a cross-site form or a no-cors fetch can send without a preflight: refused before anything happens.
    for (ct, body) in [
        (Some("text/plain"), start),
        (Some("text/plain;charset=UTF-8"), start),
        (Some("application/x-www-form-urlencoded"), "interactionEvent=SignIn"),
        (Some("multipart/form-data; boundary=xyz"), "--xyz\r\n\r\nSignIn\r\n--xyz--"),
        (None, start),
    ] {
        let headers: Vec<(&str, &str)> = ct.iter().map(|t| ("content-type", *t)).collect();
        let r = raw(&mut b, "PUT", "/api/experience", &headers, body).await;
        let err = assert_error(&r, 415, "guard.invalid_input");
        assert_eq!(r.header("content-type").as_deref(), Some("application/json; charset=utf-8"));
        assert_eq!(err["data"]["name"], "ZodError", "{err}");
    }
    // None of them started the interaction.
    assert_error(&b.api("GET", "/api/experience/interaction", None).await, 404, "session.interaction_not_found");

    // JSON, with parameters or in other letter case, is fine.
    for ct in ["application/json; charset=utf-8", "Application/JSON"] {
        assert_eq!(raw(&mut b, "PUT", "/api/experience", &[("content-type", ct)], start).await.status, 204, "{ct}");
    }
    let password = r#"{"identifier":{"type":"username","value":"erin"},"password":"Er1n-Passw0rd!x"}"#;
    let r =
        raw(&mut b, "POST", "/api/experience/verification/password", &[("content-type", "text/plain")], password).await;
    assert_error(&r, 415, "guard.invalid_input");

    // A call without a body (the page's submit, MFA choices...) works with no Content-Type at all...
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_error(&r, 404, "session.identifier_not_found");
    let r = raw(&mut b, "POST", "/api/experience/submit", &[("content-type", "application/json")], "").await;
    assert_error(&r, 404, "session.identifier_not_found");
    // ...but not with a type a page elsewhere could send, even without a body.
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz"] {
        let r = raw(&mut b, "POST", "/api/experience/submit", &[("content-type", ct)], "").await;
        assert_error(&r, 415, "guard.invalid_input");
        let r = raw(&mut b, "POST", "/api/experience/profile/mfa/mfa-skipped", &[("content-type", ct)], "").await;
        assert_error(&r, 415, "guard.invalid_input");
    }
    // The legacy interaction API too.
    let r = raw(&mut b, "GET", "/api/interaction/consent", &[("content-type", "text/plain")], "").await;
    assert_error(&r, 415, "guard.invalid_input");
    let r = raw(
        &mut b,
        "POST",
        "/api/interaction/consent",
        &[("content-type", "application/x-www-form-urlencoded")],
        "a=b",
    )
    .await;
    assert_error(&r, 415, "guard.invalid_input");
    // Other routes keep their own rules: the token endpoint takes a form, as OAuth wants.
    let r = b.token(&[("grant_type", "authorization_code"), ("code", "nope")]).await;
    assert_ne!(r.status, 415, "{}", r.text());

    // The whole JSON flow still goes through.
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": "erin"}, "password": "Er1n-Passw0rd!x"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}
