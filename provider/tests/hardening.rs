//! Findings of the adversarial review, over real HTTP: the Experience API speaks JSON only (no preflight-free
//! cross-site bodies), the test-only endpoints answer local callers only (peer, `Host`, `Origin`), and the
//! password lockout holds under parallel requests without telling, by its timing, which accounts exist.

mod common;

use common::{repo_root, Browser, Resp, Server, Setup};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

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

// ---------------------------------------------------------------------------------------------------------------
// Test-only endpoints: local callers only

/// A test-only endpoint: method, path, JSON body, and the status a local caller gets.
type Endpoint = (&'static str, &'static str, &'static str, u16);

const TEST_ENDPOINTS: &[Endpoint] = &[
    ("GET", "/outbox", "", 200),
    ("GET", "/outbox/latest?to=erin%40example.com", "", 404),
    ("GET", "/outbox.html", "", 200),
    ("POST", "/admin/one-time-tokens", r#"{"email":"erin@example.com"}"#, 201),
    ("POST", "/admin/connector-usage-limit", r#"{"to":"x@example.com","exceeded":false}"#, 204),
    // erin exists: the same answer however often it is asked.
    ("POST", "/admin/users", r#"{"username":"erin"}"#, 422),
    ("POST", "/admin/reset", "", 204),
];

async fn call_test_endpoint(b: &mut Browser, endpoint: Endpoint, extra: &[(&str, &str)]) -> Resp {
    let (method, path, body, _) = endpoint;
    let mut headers = extra.to_vec();
    if !body.is_empty() {
        headers.push(("content-type", "application/json"));
    }
    raw(b, method, path, &headers, body).await
}

/// What a refused caller sees: an empty 404, as for a path that does not exist.
fn assert_hidden(r: &Resp, what: &str) {
    assert_eq!(r.status, 404, "{what}: {}", r.text());
    assert!(r.body.is_empty(), "{what}: {}", r.text());
}

#[tokio::test]
async fn test_endpoints_need_a_loopback_host_and_origin() {
    let server = Server::start().await;
    let port = server.origin.rsplit(':').next().unwrap().to_owned();
    let mut b = server.browser();
    let localhost = format!("localhost:{port}");
    let ip = format!("127.0.0.1:{port}");
    let v6 = format!("[::1]:{port}");
    let local_origin = format!("http://localhost:{port}");
    let rebound = format!("rebound.evil.example:{port}");
    let rebound_origin = format!("http://rebound.evil.example:{port}");
    for &endpoint in TEST_ENDPOINTS {
        let (method, path, _, status) = endpoint;
        let what = format!("{method} {path}");
        // The ways the suites call them: the harness's own Host (127.0.0.1:port), or an explicit one.
        for host in [None, Some(localhost.as_str()), Some(ip.as_str()), Some("LOCALHOST"), Some(v6.as_str())] {
            let headers: Vec<(&str, &str)> = host.iter().map(|h| ("host", *h)).collect();
            let r = call_test_endpoint(&mut b, endpoint, &headers).await;
            assert_eq!(r.status, status, "{what} with Host {host:?}: {}", r.text());
        }
        let r = call_test_endpoint(&mut b, endpoint, &[("origin", &local_origin)]).await;
        assert_eq!(r.status, status, "{what} with a loopback Origin: {}", r.text());
        // DNS rebinding: the page's own host name reaches 127.0.0.1.
        assert_hidden(&call_test_endpoint(&mut b, endpoint, &[("host", &rebound)]).await, &what);
        assert_hidden(
            &call_test_endpoint(&mut b, endpoint, &[("host", &rebound), ("origin", &rebound_origin)]).await,
            &what,
        );
        for host in ["evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "10.0.0.1"] {
            assert_hidden(
                &call_test_endpoint(&mut b, endpoint, &[("host", host)]).await,
                &format!("{what} Host {host}"),
            );
        }
        // A page on another site posting straight to 127.0.0.1.
        for origin in ["https://evil.example", "null"] {
            let r = call_test_endpoint(&mut b, endpoint, &[("origin", origin)]).await;
            assert_hidden(&r, &format!("{what} Origin {origin}"));
        }
        // No Host at all (HTTP/1.0).
        assert_hidden(&http10(&server.origin, method, path).await, &format!("{what} without Host"));
    }
    // The admin endpoints take JSON (or nothing), like the Experience API: no cross-site form posts.
    let r = raw(&mut b, "POST", "/admin/reset", &[("content-type", "text/plain")], "").await;
    assert_error(&r, 415, "guard.invalid_input");
    let r =
        raw(&mut b, "POST", "/admin/one-time-tokens", &[("content-type", "text/plain")], r#"{"email":"a@b.co"}"#).await;
    assert_error(&r, 415, "guard.invalid_input");
    let r = raw(&mut b, "POST", "/admin/one-time-tokens", &[], r#"{"email":"a@b.co"}"#).await;
    assert_error(&r, 415, "guard.invalid_input");
}

/// An HTTP/1.0 request without a `Host` header, over a bare socket (off the runtime: the server shares it).
async fn http10(origin: &str, method: &str, path: &str) -> Resp {
    use std::io::{Read, Write};
    let addr = origin.trim_start_matches("http://").to_owned();
    let request = format!("{method} {path} HTTP/1.0\r\ncontent-length: 0\r\n\r\n");
    let out = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        out
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Resp { status, headers: Default::default(), body: body.to_owned().into() }
}

// ---------------------------------------------------------------------------------------------------------------
// Password lockout

/// The argon2-heavy tests below measure time or count races: they take turns instead of sharing the CPU.
static ARGON2: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn config_with_sentinel(max_attempts: u64) -> Setup {
    let mut row: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/default.json")).unwrap())
            .unwrap();
    row["sentinelPolicy"] = json!({"maxAttempts": max_attempts, "lockoutDuration": 10});
    let dir = common::scratch("hardening-sentinel");
    std::fs::write(dir.join("config.json"), row.to_string()).unwrap();
    Setup { config: dir.join("config.json"), ..Setup::default() }
}

async fn started(server: &Server) -> Browser {
    let mut b = server.browser();
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    b
}

async fn try_password(b: &mut Browser, username: &str, password: &str) -> Resp {
    let body = json!({"identifier": {"type": "username", "value": username}, "password": password});
    b.api("POST", "/api/experience/verification/password", Some(body)).await
}

/// The real threads let the handlers run side by side, as they do in the demo.
#[tokio::test(flavor = "multi_thread", worker_threads = 6)]
async fn parallel_wrong_passwords_never_pass_the_limit() {
    let _turn = ARGON2.lock().await;
    const MAX: u64 = 3;
    const REQUESTS: usize = 12;
    let server = Server::start_with(config_with_sentinel(MAX)).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(REQUESTS));
    let mut tasks = Vec::new();
    for _ in 0..REQUESTS {
        let mut b = started(&server).await;
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let r = try_password(&mut b, "erin", "wrong-Passw0rd!").await;
            (r.status, r.json()["code"].as_str().unwrap_or_default().to_owned())
        }));
    }
    let mut wrong = 0;
    for t in tasks {
        match t.await.unwrap() {
            (422, code) if code == "session.invalid_credentials" => wrong += 1,
            (400, code) if code == "session.verification_blocked_too_many_attempts" => {}
            other => panic!("unexpected answer {other:?}"),
        }
    }
    // Exactly the allowed number of wrong-password answers; the others were refused without a check.
    assert_eq!(wrong, MAX as usize, "wrong-password answers with maxAttempts {MAX}");
    // The account is locked now, even for the right password.
    let mut b = started(&server).await;
    let r = try_password(&mut b, "erin", "Er1n-Passw0rd!x").await;
    assert_error(&r, 400, "session.verification_blocked_too_many_attempts");
}

#[tokio::test]
async fn unknown_accounts_are_locked_out_too() {
    let server = Server::start_with(config_with_sentinel(2)).await;
    let mut b = started(&server).await;
    for _ in 0..2 {
        assert_error(&try_password(&mut b, "nobody-here", "wrong-Passw0rd!").await, 422, "session.invalid_credentials");
    }
    // An unknown username answers like a known one all the way, lockout included.
    assert_error(
        &try_password(&mut b, "nobody-here", "wrong-Passw0rd!").await,
        400,
        "session.verification_blocked_too_many_attempts",
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test]
async fn unknown_username_costs_as_much_as_a_wrong_password() {
    let _turn = ARGON2.lock().await;
    let server = Server::start_with(config_with_sentinel(1000)).await;
    let mut b = started(&server).await;
    // Warm up (connection, the stand-in hash).
    try_password(&mut b, "erin", "wrong-Passw0rd!").await;
    try_password(&mut b, "nobody-here", "wrong-Passw0rd!").await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let t = Instant::now();
        assert_eq!(try_password(&mut b, "erin", "wrong-Passw0rd!").await.status, 422);
        known.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(try_password(&mut b, "nobody-here", "wrong-Passw0rd!").await.status, 422);
        unknown.push(t.elapsed());
    }
    let (known, unknown) = (median(known), median(unknown));
    assert!(unknown * 2 >= known, "unknown account answered in {unknown:?}, a known one in {known:?}");
}
