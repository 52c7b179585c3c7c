//! The remembered sign-in (`_session`), the magic-link account switch of Logto's consent guard and the legacy
//! `GET /api/interaction/consent` that `/switch-account` reads ("Switch account" in `docs/experience-api.md`).

mod common;

use common::{query_of, Browser, Resp, Server};
use serde_json::{json, Value};

async fn mint(b: &mut Browser, email: &str) -> String {
    let r = b
        .request(
            "POST",
            "/admin/one-time-tokens",
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(&json!({ "email": email })).unwrap()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["token"].as_str().unwrap().to_owned()
}

/// The page's magic-link sequence on the current interaction, then the resume: returns the resume response.
async fn consume_link(b: &mut Browser, email: &str, token: &str) -> Resp {
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/one-time-token/verify",
            Some(json!({"identifier": {"type": "email", "value": email}, "token": token})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let to = r.json()["redirectTo"].as_str().unwrap().to_owned();
    b.get(&to).await
}

/// Signs `email` in with a fresh magic link (no session yet); returns the `_session` Set-Cookie header.
async fn sign_in_with_link(server: &Server, b: &mut Browser, email: &str) -> String {
    let token = mint(b, email).await;
    let (_, _, landing) = b.authorize(&[]).await;
    assert_eq!(landing.location(), "/sign-in?app_id=demo-app");
    let resp = consume_link(b, email, &token).await;
    assert_eq!(resp.status, 303);
    assert!(resp.location().starts_with(&server.redirect_uri()), "{}", resp.location());
    assert!(query_of(&resp.location()).contains_key("code"));
    resp.set_cookies().into_iter().find(|c| c.starts_with("_session=")).expect("the resume remembers the sign-in")
}

async fn consent(b: &mut Browser) -> Resp {
    b.api("GET", "/api/interaction/consent", None).await
}

fn link_query<'a>(token: &'a str, email: &'a str) -> [(&'a str, &'a str); 2] {
    [("one_time_token", token), ("login_hint", email)]
}

#[tokio::test]
async fn a_magic_link_for_someone_else_lands_on_switch_account_and_switches() {
    let server = Server::start().await;
    let mut b = server.browser();
    let cookie = sign_in_with_link(&server, &mut b, "erin@example.com").await;
    let attrs = cookie.to_ascii_lowercase();
    assert!(attrs.contains("path=/;") && attrs.contains("httponly") && attrs.contains("expires="), "{cookie}");
    let first_session = b.cookie("_session").unwrap();

    // pat's link while erin is signed in.
    let token = mint(&mut b, "pat@example.com").await;
    let (_, _, landing) = b.authorize(&link_query(&token, "pat@example.com")).await;
    assert_eq!(landing.status, 303);
    let expected = format!("/switch-account?login_hint=pat%40example.com&one_time_token={token}");
    assert_eq!(landing.location(), expected);
    // Resuming before the switch goes back there.
    let uid = b.cookie("_interaction").unwrap();
    assert_eq!(b.get(&format!("/oidc/auth/{uid}")).await.location(), expected);

    let info = consent(&mut b).await;
    assert_eq!(info.status, 200, "{}", info.text());
    let info = info.json();
    assert_eq!(
        info,
        json!({
            "application": {"id": "demo-app", "name": "Live Preview"},
            "user": {
                "id": "u0erin00demo", "name": "Erin", "avatar": null, "username": "erin",
                "primaryEmail": "erin@example.com", "primaryPhone": info["user"]["primaryPhone"].clone(),
            },
            "redirectUri": server.redirect_uri(),
        })
    );

    // "Switch account": the link is consumed on this interaction; the browser is now remembered as pat.
    let resp = consume_link(&mut b, "pat@example.com", &token).await;
    assert!(resp.location().starts_with(&server.redirect_uri()));
    let second_session = b.cookie("_session").unwrap();
    assert_ne!(first_session, second_session, "a new session for the new account");
    let token = mint(&mut b, "erin@example.com").await;
    b.authorize(&link_query(&token, "erin@example.com")).await;
    assert_eq!(consent(&mut b).await.json()["user"]["username"], "pat");
    // The replaced session is gone.
    let mut other = server.browser();
    other.jar.insert("_session".into(), common::Cookie { value: first_session, path: "/".into() });
    other.authorize(&[]).await;
    assert_eq!(consent(&mut other).await.json()["code"], "session.not_found");
}

#[tokio::test]
async fn the_signed_in_accounts_own_link_and_prompt_login() {
    let server = Server::start().await;
    let mut b = server.browser();
    sign_in_with_link(&server, &mut b, "pat@example.com").await;

    // Its own fresh link: straight to the consumer, Logto's parameter order.
    let token = mint(&mut b, "pat@example.com").await;
    let (_, _, landing) = b.authorize(&link_query(&token, "pat@example.com")).await;
    assert_eq!(landing.location(), format!("/one-time-token?login_hint=pat%40example.com&one_time_token={token}"));
    // A link that no longer works: the error page, with the reason.
    let (_, _, landing) = b.authorize(&link_query("no-such-token", "pat@example.com")).await;
    assert_eq!(landing.location(), "/one-time-token?errorMessage=That+sign-in+link+is+not+valid.");
    let used = {
        consume_link(&mut b, "pat@example.com", &token).await;
        token
    };
    let (_, _, landing) = b.authorize(&link_query(&used, "pat@example.com")).await;
    assert_eq!(query_of(&landing.location())["errorMessage"], "That sign-in link has already been used.");
    // The reason is in the language of the navigation to `/oidc/auth`.
    b.language = Some("fr-FR,fr;q=0.9".into());
    let (_, _, landing) = b.authorize(&link_query(&used, "pat@example.com")).await;
    assert_eq!(query_of(&landing.location())["errorMessage"], "Ce lien de connexion a déjà été utilisé.");
    b.language = None;

    // prompt=login: the usual first screen, even with someone else's link.
    let token = mint(&mut b, "erin@example.com").await;
    let mut q = link_query(&token, "erin@example.com").to_vec();
    q.push(("prompt", "login"));
    let (_, _, landing) = b.authorize(&q).await;
    assert_eq!(
        landing.location(),
        format!("/sign-in?app_id=demo-app&one_time_token={token}&login_hint=erin%40example.com")
    );
    // No silent sign-in: without a link, a signed-in browser still gets the sign-in page.
    let (_, _, landing) = b.authorize(&[]).await;
    assert_eq!(landing.location(), "/sign-in?app_id=demo-app");
}

#[tokio::test]
async fn consent_info_needs_an_interaction_and_a_session() {
    let server = Server::start().await;
    let mut b = server.browser();
    // No interaction: oidc-provider's SessionNotFound, as Logto reshapes it.
    let r = consent(&mut b).await;
    let body: Value = r.json();
    assert_eq!((r.status, body["code"].as_str()), (400, Some("session.not_found")));
    assert!(body["error_description"].is_string());
    // An interaction but nobody signed in: Logto's own `session.not_found`.
    b.authorize(&[]).await;
    let r = consent(&mut b).await;
    let body: Value = r.json();
    assert_eq!((r.status, body["code"].as_str()), (400, Some("session.not_found")));
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body.get("error").is_none());
    // Without a session, a magic link lands as usual.
    let token = mint(&mut b, "pat@example.com").await;
    let (_, _, landing) = b.authorize(&link_query(&token, "pat@example.com")).await;
    assert_eq!(
        landing.location(),
        format!("/sign-in?app_id=demo-app&one_time_token={token}&login_hint=pat%40example.com")
    );
}
