//! Identifier flows: verification codes and the outbox, registration, missing profile, password reset, password
//! policy, one-time tokens and the config variants. The captured Logto transcripts are replayed step by step with
//! our users; codes are read from the outbox over HTTP instead of the capture's mock connector values.

mod common;

use common::replay::{run, wrong_code, ErrorData, Hooks, Plain, Replay, Step};
use common::{keys, repo_root, scratch, Browser, Resp, Server, Setup};
use serde_json::{json, Value};
use std::time::Duration;

// ---------------------------------------------------------------------------------------------------------------
// Configs

fn rich() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/rich.json")).unwrap()).unwrap()
}

/// Writes `config` to a scratch file and starts a server on it.
async fn start_with(config: Value) -> Server {
    let dir = scratch("idflows-config");
    let path = dir.join("config.json");
    std::fs::write(&path, config.to_string()).unwrap();
    Server::start_with(Setup { config: path, ..Setup::default() }).await
}

async fn start_named(name: &str) -> Server {
    Server::start_with(Setup { config: repo_root().join("provider/config").join(name), ..Setup::default() }).await
}

/// The capture's FLOWS_NO_MFA: rich without MFA/passkey prompts (the double has neither yet).
fn flows_no_mfa() -> Value {
    let mut c = rich();
    c["mfa"] = json!({"factors": [], "policy": "NoPrompt"});
    c["passkeySignIn"] = json!({"enabled": false});
    c
}

/// The capture's FLOWS_USERNAME_REGISTER.
fn flows_username_register() -> Value {
    let mut c = flows_no_mfa();
    c["signUp"] = json!({"identifiers": ["username"], "password": true, "verify": false});
    c
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

async fn outbox_latest(b: &mut Browser, to: &str) -> Resp {
    let q = form_urlencoded::Serializer::new(String::new()).append_pair("to", to).finish();
    b.get(&format!("/outbox/latest?{q}")).await
}

async fn latest_code(b: &mut Browser, to: &str) -> String {
    let r = outbox_latest(b, to).await;
    assert_eq!(r.status, 200, "outbox for {to}: {}", r.text());
    r.json()["code"].as_str().unwrap().to_owned()
}

fn err(r: &Resp) -> (u16, String) {
    (r.status, r.json()["code"].as_str().unwrap_or_default().to_owned())
}

fn vid(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["verificationId"].as_str().unwrap().to_owned()
}

async fn put_event(b: &mut Browser, event: &str) -> Resp {
    b.api("PUT", "/api/experience", Some(json!({ "interactionEvent": event }))).await
}

async fn send_code(b: &mut Browser, kind: &str, value: &str, event: &str) -> Resp {
    b.api(
        "POST",
        "/api/experience/verification/verification-code",
        Some(json!({"identifier": {"type": kind, "value": value}, "interactionEvent": event})),
    )
    .await
}

async fn verify_code(b: &mut Browser, kind: &str, value: &str, vid: &str, code: &str) -> Resp {
    b.api(
        "POST",
        "/api/experience/verification/verification-code/verify",
        Some(json!({"identifier": {"type": kind, "value": value}, "verificationId": vid, "code": code})),
    )
    .await
}

/// Send + read the outbox + verify: the verified record's id.
async fn verified_code(b: &mut Browser, kind: &str, value: &str, event: &str) -> String {
    let id = vid(&send_code(b, kind, value, event).await);
    let code = latest_code(b, value).await;
    vid(&verify_code(b, kind, value, &id, &code).await)
}

/// `POST …/verification/password` for a username; the verification id.
async fn verified_password(b: &mut Browser, username: &str, password: &str) -> String {
    let body = json!({"identifier": {"type": "username", "value": username}, "password": password});
    vid(&b.api("POST", "/api/experience/verification/password", Some(body)).await)
}

async fn identify(b: &mut Browser, vid: Option<&str>) -> Resp {
    let body = vid.map(|v| json!({ "verificationId": v })).unwrap_or_else(|| json!({}));
    b.api("POST", "/api/experience/identification", Some(body)).await
}

async fn submit(b: &mut Browser) -> Resp {
    b.api("POST", "/api/experience/submit", None).await
}

// ---------------------------------------------------------------------------------------------------------------
// Replays of the captures (see `common::replay`; codes come from the outbox)

async fn replay<'s>(server: &'s Server, file: &str) -> Replay<'s> {
    run(server, file, ErrorData::Whole, &mut Plain).await
}

#[tokio::test]
async fn replay_register_username_password() {
    let server = start_with(flows_username_register()).await;
    let r = replay(&server, "flow.register.username-password.json").await;
    assert!(r.claims.is_some() && r.sent == 8, "sent {}", r.sent);
}

#[tokio::test]
async fn replay_register_email_code() {
    let server = start_with(flows_no_mfa()).await;
    let r = replay(&server, "flow.register.email-code.json").await;
    assert!(r.claims.is_some() && r.sent == 12, "sent {}", r.sent);
    let users = server.state.users();
    let u = users.by_email("reg53871@example.com").expect("registered");
    assert_eq!(u.username.as_deref(), Some("reg53871"));
    assert!(u.password_hash.is_some());
}

#[tokio::test]
async fn replay_forgot_password_email_code() {
    let server = start_with(flows_no_mfa()).await;
    let r = replay(&server, "flow.forgot-password.email-code.json").await;
    assert!(r.claims.is_some() && r.sent == 15, "sent {}", r.sent);
}

#[tokio::test]
async fn replay_email_code_sign_in() {
    let server = start_with(flows_no_mfa()).await;
    let r = replay(&server, "flow.email-code-sign-in.json").await;
    assert!(r.claims.is_some() && r.sent == 7, "sent {}", r.sent);
}

#[tokio::test]
async fn replay_phone_code_sign_in() {
    let server = start_with(flows_no_mfa()).await;
    let mut r = replay(&server, "flow.phone-code-sign-in.json").await;
    assert!(r.claims.is_some() && r.sent == 7, "sent {}", r.sent);
    let sms = outbox_latest(&mut r.browser, "14155550123").await.json();
    assert_eq!((sms["type"].as_str(), sms["template"].as_str()), (Some("sms"), Some("SignIn")));
}

#[tokio::test]
async fn replay_missing_profile_email() {
    let server = start_with(flows_no_mfa()).await;
    let r = replay(&server, "flow.password-sign-in.missing-profile-email.json").await;
    assert!(r.claims.is_some() && r.sent == 10, "sent {}", r.sent);
    assert_eq!(server.state.users().by_id("u0alice0demo").unwrap().primary_email.as_deref(), Some("alice@example.com"));
}

#[tokio::test]
async fn replay_unknown_user() {
    let server = start_with(flows_no_mfa()).await;
    let r = replay(&server, "flow.unknown-user.json").await;
    assert_eq!(r.sent, 9);
}

/// Compares the issues and details of the code steps of `error.invalid-input-and-misc.json` whole.
struct WholeIssues;

impl Hooks for WholeIssues {
    async fn after(&mut self, _: &mut Replay<'_>, step: &Step, ours: &Resp) {
        if [5, 6, 9].contains(&step.index) {
            let (ours, theirs) = (ours.json(), &step.expected["body"]);
            assert_eq!(ours["data"]["issues"], theirs["data"]["issues"], "{}", step.ctx);
            assert_eq!(ours["details"], theirs["details"], "{}", step.ctx);
        }
    }
}

#[tokio::test]
async fn replay_invalid_input_and_misc_code_steps() {
    // replay.rs replays this capture too; here the code steps' issues and details must be Logto's exactly.
    let server = start_with(flows_no_mfa()).await;
    let mut r = run(&server, "error.invalid-input-and-misc.json", ErrorData::Shape, &mut WholeIssues).await;
    assert_eq!(r.sent, 13);
    // The Register-type code sent during SignIn is in the outbox with the Register template.
    assert_eq!(outbox_latest(&mut r.browser, "alice@example.com").await.json()["template"], "Register");
}

// ---------------------------------------------------------------------------------------------------------------
// Codes: outbox, expiry, attempts, resend, rate limit

#[tokio::test]
async fn outbox_lists_every_code_and_the_latest_per_address() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    assert_eq!(b.get("/outbox").await.json(), json!([]));
    assert_eq!(outbox_latest(&mut b, "erin@example.com").await.status, 404);
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    vid(&send_code(&mut b, "phone", "14155550123", "SignIn").await);
    let list = b.get("/outbox").await;
    assert_eq!(list.header("content-type").as_deref(), Some("application/json; charset=utf-8"));
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let first = &list[0];
    assert_eq!(keys(first), ["code", "sentAt", "template", "to", "type"]);
    assert_eq!(
        (first["to"].as_str(), first["type"].as_str(), first["template"].as_str()),
        (Some("erin@example.com"), Some("email"), Some("SignIn"))
    );
    let code = first["code"].as_str().unwrap();
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
    assert!(first["sentAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(list[1]["type"], "sms");
    // Addresses compare like identifiers: e-mail case-insensitively.
    assert_eq!(outbox_latest(&mut b, "ERIN@example.com").await.json(), *first);
    let html = b.get("/outbox.html").await;
    assert_eq!(html.status, 200);
    assert!(html.header("content-type").unwrap().starts_with("text/html"));
    let text = html.text();
    assert!(text.contains(code) && text.contains("erin@example.com") && !text.contains("<script"));
}

#[tokio::test]
async fn code_expiry_follows_the_clock() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    let code = latest_code(&mut b, "erin@example.com").await;
    server.state.advance_clock(Duration::from_secs(601));
    assert_eq!(
        err(&verify_code(&mut b, "email", "erin@example.com", &id, &code).await),
        (400, "verification_code.expired".into())
    );
    // A custom policy shortens it.
    let mut c = flows_no_mfa();
    c["verificationCodePolicy"] = json!({"expirationDuration": 60});
    let server = start_with(c).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    let code = latest_code(&mut b, "erin@example.com").await;
    server.state.advance_clock(Duration::from_secs(59));
    assert_eq!(verify_code(&mut b, "email", "erin@example.com", &id, &code).await.status, 200);
    let id = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    let code = latest_code(&mut b, "erin@example.com").await;
    server.state.advance_clock(Duration::from_secs(61));
    assert_eq!(err(&verify_code(&mut b, "email", "erin@example.com", &id, &code).await).1, "verification_code.expired");
}

#[tokio::test]
async fn attempt_limit_then_resend_replaces_the_code() {
    let mut c = flows_no_mfa();
    c["verificationCodePolicy"] = json!({"maxRetryAttempts": 2});
    let server = start_with(c).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let first = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    let code = latest_code(&mut b, "erin@example.com").await;
    for _ in 0..2 {
        assert_eq!(
            err(&verify_code(&mut b, "email", "erin@example.com", &first, &wrong_code(&code)).await),
            (400, "verification_code.code_mismatch".into())
        );
    }
    // Even the right code is refused now.
    assert_eq!(
        err(&verify_code(&mut b, "email", "erin@example.com", &first, &code).await),
        (400, "verification_code.exceed_max_try".into())
    );
    // Resend: a new record and a new code; the old record is gone.
    let second = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    assert_ne!(first, second);
    let code = latest_code(&mut b, "erin@example.com").await;
    assert_eq!(
        err(&verify_code(&mut b, "email", "erin@example.com", &first, &code).await),
        (404, "session.verification_session_not_found".into())
    );
    // The address must be the one the code went to.
    assert_eq!(
        err(&verify_code(&mut b, "email", "pat@example.com", &second, &code).await),
        (400, "verification_code.email_mismatch".into())
    );
    assert_eq!(verify_code(&mut b, "email", "erin@example.com", &second, &code).await.status, 200);
    // A used code cannot be verified again.
    assert_eq!(
        err(&verify_code(&mut b, "email", "erin@example.com", &second, &code).await).1,
        "verification_code.not_found"
    );
    assert_eq!(identify(&mut b, Some(&second)).await.status, 204);
}

#[tokio::test]
async fn default_attempt_limit_is_ten() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = vid(&send_code(&mut b, "phone", "14155550123", "SignIn").await);
    let code = latest_code(&mut b, "14155550123").await;
    for _ in 0..10 {
        assert_eq!(
            err(&verify_code(&mut b, "phone", "14155550123", &id, &wrong_code(&code)).await).1,
            "verification_code.code_mismatch"
        );
    }
    assert_eq!(
        err(&verify_code(&mut b, "phone", "14155550123", &id, &code).await).1,
        "verification_code.exceed_max_try"
    );
}

#[tokio::test]
async fn sends_are_rate_limited_per_address() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    for _ in 0..reference_provider::codes::SENDS_PER_MINUTE {
        vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    }
    assert_eq!(
        err(&send_code(&mut b, "email", "Erin@Example.com", "SignIn").await),
        (429, "connector.rate_limit_exceeded".into())
    );
    // Other addresses are not affected, and the limit is per minute.
    vid(&send_code(&mut b, "email", "pat@example.com", "SignIn").await);
    server.state.advance_clock(Duration::from_secs(61));
    vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
}

#[tokio::test]
async fn code_calls_need_the_interaction() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    assert_eq!(err(&send_code(&mut b, "email", "erin@example.com", "SignIn").await), (400, "session.not_found".into()));
    b.authorize(&[]).await;
    assert_eq!(
        err(&send_code(&mut b, "email", "erin@example.com", "SignIn").await),
        (404, "session.interaction_not_found".into())
    );
    put_event(&mut b, "SignIn").await;
    let r = send_code(&mut b, "username", "erin", "SignIn").await;
    assert_eq!(err(&r), (400, "guard.invalid_input".into()));
    assert_eq!(r.json()["data"]["issues"][0]["code"], "invalid_enum_value");
    // Identification with an unverified code record.
    let id = vid(&send_code(&mut b, "email", "erin@example.com", "SignIn").await);
    assert_eq!(err(&identify(&mut b, Some(&id)).await), (400, "session.verification_failed".into()));
}

// ---------------------------------------------------------------------------------------------------------------
// Registration, identifiers in use, missing profile

#[tokio::test]
async fn register_with_an_existing_email_or_phone() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "Register").await;
    let id = verified_code(&mut b, "email", "erin@example.com", "Register").await;
    assert_eq!(err(&identify(&mut b, Some(&id)).await), (422, "user.email_already_in_use".into()));
    // The "sign in instead?" branch: switch the event and identify with the same record.
    assert_eq!(
        b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "SignIn"}))).await.status,
        204
    );
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    assert_eq!(submit(&mut b).await.status, 200);

    let mut c = flows_no_mfa();
    c["signUp"] = json!({"identifiers": ["phone"], "password": false, "verify": true});
    let server = start_with(c).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "Register").await;
    let id = verified_code(&mut b, "phone", "14155550123", "Register").await;
    assert_eq!(err(&identify(&mut b, Some(&id)).await), (422, "user.phone_already_in_use".into()));
    let id = verified_code(&mut b, "phone", "14155550999", "Register").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 201);
    assert!(server.state.users().by_phone("14155550999").is_some());
}

#[tokio::test]
async fn unknown_email_code_sign_in_then_register() {
    let mut c = flows_no_mfa();
    c["signUp"] = json!({"identifiers": ["email"], "password": false, "verify": true});
    let server = start_with(c).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = verified_code(&mut b, "email", "newbie@example.com", "SignIn").await;
    let r = identify(&mut b, Some(&id)).await;
    assert_eq!(err(&r), (404, "user.user_not_exist".into()));
    assert_eq!(r.json()["data"], json!({"identifier": "newbie@example.com"}));
    b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "Register"}))).await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 201);
    assert_eq!(submit(&mut b).await.status, 200);
}

#[tokio::test]
async fn code_sign_in_needs_the_method() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    // rich: username is password-only, email has codes; turn e-mail codes off and it is refused.
    let mut c = flows_no_mfa();
    c["signIn"]["methods"][1]["verificationCode"] = json!(false);
    let server = start_with(c).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = verified_code(&mut b, "email", "erin@example.com", "SignIn").await;
    assert_eq!(err(&identify(&mut b, Some(&id)).await), (422, "user.sign_in_method_not_enabled".into()));
}

#[tokio::test]
async fn sign_in_profile_rules() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let id = verified_code(&mut b, "email", "erin@example.com", "SignIn").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    // erin has all of these already.
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "email", "verificationId": id}))).await;
    assert_eq!(err(&r), (422, "user.email_exists_in_profile".into()));
    let r =
        b.api("POST", "/api/experience/profile", Some(json!({"type": "password", "value": "An0ther-Passw0rd!"}))).await;
    assert_eq!(err(&r), (422, "user.password_exists_in_profile".into()));
    // A profile email from someone else's address.
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let pw = verified_password(&mut b, "alice", "Al1ce-Passw0rd!x").await;
    identify(&mut b, Some(&pw)).await;
    let r = submit(&mut b).await;
    assert_eq!(r.json()["data"], json!({"missingProfile": ["email"]}));
    let id = verified_code(&mut b, "email", "erin@example.com", "SignIn").await;
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "email", "verificationId": id}))).await;
    assert_eq!(err(&r), (422, "user.email_already_in_use".into()));
    // A phone record cannot be used as an e-mail.
    let phone = verified_code(&mut b, "phone", "14155550777", "SignIn").await;
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "email", "verificationId": phone}))).await;
    assert_eq!(err(&r), (404, "session.verification_session_not_found".into()));
}

#[tokio::test]
async fn registration_only_config_with_extra_profile() {
    let server = start_named("registration-only.json").await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(err(&put_event(&mut b, "SignIn").await), (403, "auth.forbidden".into()));
    put_event(&mut b, "Register").await;
    let id = verified_code(&mut b, "email", "rina@example.com", "Register").await;
    let r = identify(&mut b, Some(&id)).await;
    assert_eq!(r.json()["data"], json!({"missingProfile": ["username", "extraProfile"]}));
    b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "rina"}))).await;
    let r = identify(&mut b, None).await;
    assert_eq!(r.json()["data"], json!({"missingProfile": ["extraProfile"]}));
    let r = b
        .api(
            "POST",
            "/api/experience/profile",
            Some(json!({"type": "extraProfile", "values": {"website": "https://rina.example"}})),
        )
        .await;
    assert_eq!(err(&r), (400, "guard.invalid_input".into()));
    assert_eq!(r.json()["data"]["issues"][0]["path"], json!(["values", "company"]));
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "extraProfile", "values": {"company": "Acme", "website": "https://rina.example", "name": "Rina"}}))).await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(identify(&mut b, None).await.status, 201);
    assert_eq!(submit(&mut b).await.status, 200);
    {
        let users = server.state.users();
        let u = users.by_email("rina@example.com").unwrap();
        assert_eq!(
            (u.name.as_deref(), u.custom_data["company"].as_str(), u.profile["website"].as_str()),
            (Some("Rina"), Some("Acme"), Some("https://rina.example"))
        );
    }
    // The public sign-in experience shows the fields.
    let sie = b.get("/api/.well-known/sign-in-exp").await.json();
    assert_eq!(sie["customProfileFields"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn passwordless_config() {
    let server = start_named("passwordless.json").await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "email", "value": "erin@example.com"}, "password": "Er1n-Passw0rd!x"})),
        )
        .await;
    assert_eq!(err(&r), (422, "session.invalid_credentials".into()));
    let id = verified_code(&mut b, "phone", "14155550124", "SignIn").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    assert_eq!(submit(&mut b).await.status, 200, "nina needs nothing more");
    // Sign-up: the verified e-mail is all it takes.
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "Register").await;
    let id = verified_code(&mut b, "email", "quinn@example.com", "Register").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 201);
    assert_eq!(submit(&mut b).await.status, 200);
}

#[tokio::test]
async fn username_only_config_has_no_password_reset() {
    let server = start_named("username-only.json").await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(put_event(&mut b, "ForgotPassword").await.status, 204);
    let id = verified_code(&mut b, "email", "erin@example.com", "ForgotPassword").await;
    assert_eq!(err(&identify(&mut b, Some(&id)).await), (422, "session.not_supported_for_forgot_password".into()));
    // Username registration with the stricter policy.
    put_event(&mut b, "Register").await;
    b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "uma"}))).await;
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "password", "value": "lowercaseonly"}))).await;
    assert_eq!(r.json()["data"], json!([{"code": "password_rejected.character_types", "interpolation": {"min": 2}}]));
    assert_eq!(
        b.api("POST", "/api/experience/profile", Some(json!({"type": "password", "value": "Um4-Passw0rd!x"})))
            .await
            .status,
        204
    );
    assert_eq!(identify(&mut b, None).await.status, 201);
}

// ---------------------------------------------------------------------------------------------------------------
// Password policy

async fn register_password(server: &Server, username: &str, password: &str) -> Resp {
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "Register").await;
    assert_eq!(
        b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": username}))).await.status,
        204
    );
    b.api("POST", "/api/experience/profile", Some(json!({"type": "password", "value": password}))).await
}

#[tokio::test]
async fn password_rejected_variants() {
    let mut c = flows_username_register();
    c["passwordPolicy"] = json!({
        "length": {"min": 10, "max": 20},
        "characterTypes": {"min": 3},
        "rejects": {"pwned": false, "repetitionAndSequence": true, "userInfo": true, "words": ["acme"]},
    });
    let server = start_with(c).await;
    let cases: Vec<(&str, &str, Value)> = vec![
        (
            "sam",
            "short",
            json!([{"code": "password_rejected.too_short", "interpolation": {"min": 10}}, {"code": "password_rejected.character_types", "interpolation": {"min": 3}}]),
        ),
        (
            "sam",
            "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!",
            json!([{"code": "password_rejected.too_long", "interpolation": {"max": 20}}]),
        ),
        ("sam", "Pässwörd-1234", json!([{"code": "password_rejected.unsupported_characters"}])),
        ("sam", "AcmeAcme1!Acme", json!([{"code": "password_rejected.restricted.words"}])),
        (
            "sam",
            "aaaaaaa1234!",
            json!([{"code": "password_rejected.restricted.repetition"}, {"code": "password_rejected.restricted.sequence"}]),
        ),
        ("maya0", "Maya0Maya0!x", json!([{"code": "password_rejected.restricted.user_info"}])),
    ];
    for (user, password, expected) in cases {
        let r = register_password(&server, user, password).await;
        assert_eq!(err(&r), (422, "password.rejected".into()), "{password}");
        assert_eq!(r.json()["data"], expected, "{password}");
    }
    assert_eq!(register_password(&server, "sam", "Sam-Safe-Pw-42").await.status, 204);
}

// ---------------------------------------------------------------------------------------------------------------
// Forgot password

#[tokio::test]
async fn forgot_password_rules() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "ForgotPassword").await;
    // Before identification.
    let r = b.api("PUT", "/api/experience/profile/password", Some(json!({"password": "N3w-Passw0rd!x"}))).await;
    assert_eq!(err(&r), (404, "session.identifier_not_found".into()));
    let r = b.api("POST", "/api/experience/profile", Some(json!({"type": "username", "value": "x"}))).await;
    assert_eq!(err(&r), (400, "session.not_supported_for_forgot_password".into()));
    let id = verified_code(&mut b, "email", "nobody@example.com", "ForgotPassword").await;
    let r = identify(&mut b, Some(&id)).await;
    assert_eq!(err(&r), (404, "user.user_not_exist".into()));
    let id = verified_code(&mut b, "email", "erin@example.com", "ForgotPassword").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    assert_eq!(err(&submit(&mut b).await), (422, "user.new_password_required_in_profile".into()));
    let r = b.api("PUT", "/api/experience/profile/password", Some(json!({"password": "erin"}))).await;
    assert_eq!(r.json()["data"][0]["code"], "password_rejected.too_short");
    let r = b.api("PUT", "/api/experience/profile/password", Some(json!({}))).await;
    assert_eq!(err(&r), (400, "guard.invalid_input".into()));
    assert_eq!(
        b.api("PUT", "/api/experience/profile/password", Some(json!({"password": "Er1n-N3w-Passw0rd!"}))).await.status,
        204
    );
    let r = submit(&mut b).await;
    assert_eq!((r.status, r.body.is_empty()), (204, true));
    assert_eq!(err(&submit(&mut b).await), (404, "session.interaction_not_found".into()));
    let erin = server.state.users().by_id("u0erin00demo").cloned().unwrap();
    assert!(reference_provider::users::verify_password(&erin, "Er1n-N3w-Passw0rd!"));
    // profile/password outside a reset.
    put_event(&mut b, "SignIn").await;
    let r = b.api("PUT", "/api/experience/profile/password", Some(json!({"password": "Er1n-N3w-Passw0rd!"}))).await;
    assert_eq!(err(&r), (400, "session.invalid_interaction_type".into()));
}

// ---------------------------------------------------------------------------------------------------------------
// One-time tokens

async fn mint(b: &mut Browser, body: Value) -> Resp {
    b.request(
        "POST",
        "/admin/one-time-tokens",
        &[("content-type", "application/json")],
        Some(serde_json::to_vec(&body).unwrap()),
    )
    .await
}

async fn verify_token(b: &mut Browser, email: &str, token: &str) -> Resp {
    b.api(
        "POST",
        "/api/experience/verification/one-time-token/verify",
        Some(json!({"identifier": {"type": "email", "value": email}, "token": token})),
    )
    .await
}

#[tokio::test]
async fn one_time_token_sign_in_and_reuse() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    let r = mint(&mut b, json!({"email": "erin@example.com"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let t = r.json();
    assert_eq!(keys(&t), ["context", "createdAt", "email", "expiresAt", "id", "status", "token"]);
    let token = t["token"].as_str().unwrap().to_owned();
    assert_eq!(t["expiresAt"].as_u64().unwrap() - t["createdAt"].as_u64().unwrap(), 600_000);
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    assert_eq!(
        err(&verify_token(&mut b, "erin@example.com", "no-such-token").await),
        (404, "one_time_token.token_not_found".into())
    );
    assert_eq!(
        err(&verify_token(&mut b, "pat@example.com", &token).await),
        (400, "one_time_token.email_mismatch".into())
    );
    let id = vid(&verify_token(&mut b, "erin@example.com", &token).await);
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    let to = submit(&mut b).await.json()["redirectTo"].as_str().unwrap().to_owned();
    assert!(to.ends_with(&format!("/oidc/auth/{}", b.cookie("_interaction").unwrap())));
    // Second use.
    let mut b2 = server.browser();
    b2.authorize(&[]).await;
    put_event(&mut b2, "SignIn").await;
    assert_eq!(
        err(&verify_token(&mut b2, "erin@example.com", &token).await),
        (400, "one_time_token.token_consumed".into())
    );
    // Expiry.
    let token = mint(&mut b2, json!({"email": "pat@example.com", "expiresIn": 30})).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    server.state.advance_clock(Duration::from_secs(31));
    assert_eq!(
        err(&verify_token(&mut b2, "pat@example.com", &token).await),
        (400, "one_time_token.token_expired".into())
    );
    // Bad admin bodies.
    assert_eq!(mint(&mut b2, json!({"email": "nope"})).await.status, 400);
}

#[tokio::test]
async fn one_time_token_registers_even_when_sign_up_is_off() {
    let mut c = flows_no_mfa();
    c["signInMode"] = json!("SignIn");
    c["signUp"] = json!({"identifiers": ["email"], "password": false, "verify": true});
    let server = start_with(c).await;
    let mut b = server.browser();
    let token =
        mint(&mut b, json!({"email": "invitee@example.com"})).await.json()["token"].as_str().unwrap().to_owned();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    // Without a magic link, Register is forbidden here.
    assert_eq!(
        err(&b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "Register"}))).await),
        (403, "auth.forbidden".into())
    );
    let id = vid(&verify_token(&mut b, "invitee@example.com", &token).await);
    let r = identify(&mut b, Some(&id)).await;
    assert_eq!(
        (err(&r), r.json()["data"].clone()),
        ((404, "user.user_not_exist".into()), json!({"identifier": "invitee@example.com"}))
    );
    assert_eq!(
        b.api("PUT", "/api/experience/interaction-event", Some(json!({"interactionEvent": "Register"}))).await.status,
        204
    );
    assert_eq!(identify(&mut b, Some(&id)).await.status, 201);
    assert_eq!(submit(&mut b).await.status, 200);
    assert!(server.state.users().by_email("invitee@example.com").is_some());
}

#[tokio::test]
async fn expired_password_is_refused_until_reset() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let sign_in = |password: &'static str| json!({"identifier": {"type": "email", "value": "olga@example.com"}, "password": password});
    let r = b.api("POST", "/api/experience/verification/password", Some(sign_in("Olg4-Passw0rd!x"))).await;
    assert_eq!(err(&r), (422, "password.expired".into()));
    // A wrong password is still just wrong.
    let r = b.api("POST", "/api/experience/verification/password", Some(sign_in("Wr0ng-Passw0rd!x"))).await;
    assert_eq!(err(&r), (422, "session.invalid_credentials".into()));

    put_event(&mut b, "ForgotPassword").await;
    let id = verified_code(&mut b, "email", "olga@example.com", "ForgotPassword").await;
    assert_eq!(identify(&mut b, Some(&id)).await.status, 204);
    let r = b.api("PUT", "/api/experience/profile/password", Some(json!({"password": "N3w-Olga-Passw0rd"}))).await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(submit(&mut b).await.status, 204);

    put_event(&mut b, "SignIn").await;
    let r = b.api("POST", "/api/experience/verification/password", Some(sign_in("N3w-Olga-Passw0rd"))).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn connector_usage_limit_per_address() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let limit = |exceeded: bool| json!({"to": "Erin@Example.com", "exceeded": exceeded});
    assert_eq!(b.api("POST", "/admin/connector-usage-limit", Some(limit(true))).await.status, 204);
    let r = send_code(&mut b, "email", "erin@example.com", "SignIn").await;
    assert_eq!(err(&r), (400, "connector.usage_limit_exceeded".into()));
    // Other addresses still get their codes.
    assert_eq!(send_code(&mut b, "email", "pat@example.com", "SignIn").await.status, 200);
    b.api("POST", "/admin/connector-usage-limit", Some(limit(false))).await;
    assert_eq!(send_code(&mut b, "email", "erin@example.com", "SignIn").await.status, 200);
    let r = b.api("POST", "/admin/connector-usage-limit", Some(json!({"to": "x"}))).await;
    assert_eq!(err(&r), (400, "guard.invalid_input".into()));
}

/// `POST /admin/users`: an account a test makes for itself (here without an email, which flows' sign-up asks for),
/// the identifiers registration would refuse refused the same way, and nothing left of it after a reset.
#[tokio::test]
async fn admin_users_adds_an_account() {
    let server = start_with(flows_no_mfa()).await;
    let mut b = server.browser();
    let add = json!({"username": "no_mail_1", "password": "N0-Mail-Passw0rd!", "name": "No Mail"});
    let r = b.api("POST", "/admin/users", Some(add.clone())).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let made = r.json();
    assert_eq!(keys(&made), ["id", "name", "primaryEmail", "primaryPhone", "username"]);
    assert_eq!(made["id"].as_str().map(str::len), Some(12));
    assert_eq!((made["username"].as_str(), made["name"].as_str()), (Some("no_mail_1"), Some("No Mail")));
    assert_eq!((&made["primaryEmail"], &made["primaryPhone"]), (&Value::Null, &Value::Null));

    // It signs in with its password, and is asked for the email it lacks.
    b.authorize(&[]).await;
    put_event(&mut b, "SignIn").await;
    let pw = verified_password(&mut b, "no_mail_1", "N0-Mail-Passw0rd!").await;
    identify(&mut b, Some(&pw)).await;
    assert_eq!(submit(&mut b).await.json()["data"], json!({"missingProfile": ["email"]}));

    // Taken identifiers: registration's answers.
    let count = server.state.users().users.len();
    let taken = [
        (add.clone(), "user.username_already_in_use"),
        (json!({"primaryEmail": "Erin@Example.com"}), "user.email_already_in_use"),
        (json!({"username": "pat_2", "primaryPhone": "14155550123"}), "user.phone_already_in_use"),
    ];
    for (body, code) in taken {
        assert_eq!(err(&b.api("POST", "/admin/users", Some(body.clone())).await), (422, code.into()), "{body}");
    }
    // No identifier, or one of the wrong shape.
    for body in [
        json!({}),
        json!({"name": "Nobody", "password": "N0-Mail-Passw0rd!"}),
        json!({"username": "1st"}),
        json!({"username": 7}),
        json!({"primaryEmail": "nope"}),
        json!({"primaryPhone": "+1 415 555"}),
    ] {
        assert_eq!(
            err(&b.api("POST", "/admin/users", Some(body.clone())).await),
            (400, "guard.invalid_input".into()),
            "{body}"
        );
    }
    assert_eq!(server.state.users().users.len(), count, "nothing added by the refused calls");

    // A reset forgets it like any other change.
    assert_eq!(b.api("POST", "/admin/reset", None).await.status, 204);
    assert!(!server.state.users().username_taken("no_mail_1"));
}

#[tokio::test]
async fn email_blocklist_refuses_codes_and_is_not_public() {
    let mut config = flows_no_mfa();
    config["emailBlocklistPolicy"] =
        json!({"blockSubaddressing": true, "customBlocklist": ["@Blocked.test", "one@example.com"]});
    let server = start_with(config).await;
    let mut b = server.browser();
    let public = b.get("/api/.well-known/sign-in-exp").await.json();
    assert!(public.get("emailBlocklistPolicy").is_none(), "server-only, as Logto");
    b.authorize(&[]).await;
    put_event(&mut b, "Register").await;
    for (email, code) in [
        ("someone@blocked.TEST", "session.email_blocklist.email_not_allowed"),
        ("One@example.com", "session.email_blocklist.email_not_allowed"),
        ("me+tag@example.com", "session.email_blocklist.email_subaddressing_not_allowed"),
    ] {
        assert_eq!(err(&send_code(&mut b, "email", email, "Register").await), (422, code.into()), "{email}");
    }
    assert_eq!(send_code(&mut b, "email", "me@example.com", "Register").await.status, 200);
}
