//! Error messages in the request's language: the same failing request with `Accept-Language: fr`, `ar`, another
//! language or none answers the same status, code and body keys, with the message in French, Arabic or English
//! (`provider/src/messages.rs`).

mod common;

use common::{keys, Browser, Resp, Server};
use reference_provider::messages::{text, Lang};
use serde_json::{json, Value};

/// The headers of the page's Experience API calls, with this `Accept-Language` (or none).
fn page_headers(language: Option<&str>, with_body: bool) -> Vec<(&str, &str)> {
    let mut headers = vec![("logto-app-id", "demo-app")];
    headers.extend(language.map(|l| ("accept-language", l)));
    if with_body {
        headers.push(("content-type", "application/json"));
    }
    headers
}

async fn call(b: &mut Browser, method: &str, path: &str, language: Option<&str>, body: Option<Value>) -> Resp {
    let headers = page_headers(language, body.is_some());
    b.request(method, path, &headers, body.map(|v| serde_json::to_vec(&v).unwrap())).await
}

/// Asserts a Logto error body with `code` and its message in `lang`; returns the body.
fn assert_error(r: &Resp, status: u16, code: &str, lang: Lang) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let body = r.json();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["message"], text(code, lang), "{} message: {body}", lang.tag());
    body
}

const HEADERS: [(Option<&str>, Lang); 8] = [
    (None, Lang::En),
    (Some("en"), Lang::En),
    (Some("fr"), Lang::Fr),
    (Some("ar"), Lang::Ar),
    (Some("de"), Lang::En),
    (Some("fr-CA,fr;q=0.9,en;q=0.5"), Lang::Fr),
    (Some("de-DE, en;q=0.3, ar;q=0.7"), Lang::Ar),
    // Logto's own page joins languages with spaces: not a list, so English.
    (Some("ar fr"), Lang::En),
];

#[tokio::test]
async fn a_wrong_password_in_each_language() {
    let server = Server::start().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let wrong = json!({"identifier": {"type": "username", "value": "alice"}, "password": "not-her-password"});
    let mut shapes = Vec::new();
    for (language, lang) in HEADERS {
        let r = call(&mut b, "POST", "/api/experience/verification/password", language, Some(wrong.clone())).await;
        let body = assert_error(&r, 422, "session.invalid_credentials", lang);
        assert_eq!(r.header("content-type").as_deref(), Some("application/json; charset=utf-8"));
        shapes.push(keys(&body));
    }
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "same body keys in every language: {shapes:?}");
    let [en, fr, ar] = Lang::ALL.map(|l| text("session.invalid_credentials", l));
    assert!(en != fr && fr != ar && en != ar);
}

#[tokio::test]
async fn errors_with_data_keep_their_data_in_every_language() {
    let server = Server::start().await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    // A body the guard refuses: the zod-like issues are data, not prose, and stay as they are.
    let bad = json!({"identifier": {"type": "username"}, "password": 5});
    let mut data = Vec::new();
    for (language, lang) in HEADERS {
        let r = call(&mut b, "POST", "/api/experience/verification/password", language, Some(bad.clone())).await;
        let body = assert_error(&r, 400, "guard.invalid_input", lang);
        data.push((body["data"].clone(), body["details"].clone()));
    }
    assert!(data.windows(2).all(|w| w[0] == w[1]), "same data and details in every language");
    // A verified code for an address without an account: `user.user_not_exist` carries the identifier.
    let nobody = json!({"type": "email", "value": "nobody@example.com"});
    let send = json!({"identifier": nobody, "interactionEvent": "SignIn"});
    let r = b.api("POST", "/api/experience/verification/verification-code", Some(send)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["verificationId"].as_str().unwrap().to_owned();
    let code = b.get("/outbox/latest?to=nobody%40example.com").await.json()["code"].as_str().unwrap().to_owned();
    let verify = json!({"identifier": nobody, "verificationId": id, "code": code});
    let r = b.api("POST", "/api/experience/verification/verification-code/verify", Some(verify)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut data = Vec::new();
    for (language, lang) in HEADERS {
        let r =
            call(&mut b, "POST", "/api/experience/identification", language, Some(json!({"verificationId": id}))).await;
        let body = assert_error(&r, 404, "user.user_not_exist", lang);
        data.push(body["data"].clone());
    }
    assert!(data.iter().all(|d| d == &json!({"identifier": "nobody@example.com"})), "{data:?}");
}

#[tokio::test]
async fn refusals_outside_the_handlers_are_in_the_language_too() {
    let server = Server::start().await;
    let mut b = server.browser();
    // No interaction cookie at all.
    for (language, lang) in HEADERS {
        let r = call(&mut b, "PUT", "/api/experience", language, Some(json!({"interactionEvent": "SignIn"}))).await;
        assert_error(&r, 400, "session.not_found", lang);
    }
    b.authorize(&[]).await;
    // An interaction, but no `PUT /api/experience` yet.
    let r = call(&mut b, "GET", "/api/experience/interaction", Some("fr"), None).await;
    assert_error(&r, 404, "session.interaction_not_found", Lang::Fr);
    // The JSON-only rule answers before any handler (a middleware inside the language one).
    for (language, lang) in HEADERS {
        let mut headers = page_headers(language, false);
        headers.push(("content-type", "text/plain"));
        let body = br#"{"interactionEvent":"SignIn"}"#.to_vec();
        let r = b.request("PUT", "/api/experience", &headers, Some(body)).await;
        assert_error(&r, 415, "guard.invalid_input", lang);
    }
}
