//! The one replay engine for the Logto 1.42 captures in `testdata/logto-1.42/`: each step's request is sent to
//! the provider as the page would send it, and our answer is compared with Logto's (status, content type,
//! location, body keys, error codes and data, verification ids, `redirectTo`). The OIDC hops are the double's
//! own: the resume issues the code directly (Logto's consent hop is skipped), and the token exchange is checked
//! against the capture's signed-in user. A test file adds what only its flows need through [`Hooks`] (codes
//! from the outbox, TOTP codes, the mock IdP round trip…).

use super::{keys, query_of, Browser, Cookie, Resp, Server};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Where and how Logto was captured.
pub const CAPTURED_ORIGIN: &str = "http://127.0.0.1:3001";
const UID_PLACEHOLDER: &str = "<cookie:_interaction#1>";
/// The OIDC parameters `Browser::authorize` sets itself; the rest of a captured `/oidc/auth` query is passed on.
const AUTHORIZE_OWN: [&str; 7] =
    ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"];

/// One captured request, as it will be sent (hooks may rewrite `path` and `body`).
pub struct Step {
    pub index: usize,
    /// `file step i METHOD path`, for assertion messages.
    pub ctx: String,
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
    /// The captured request and response, untouched.
    pub request: Value,
    pub expected: Value,
}

impl Step {
    pub fn status(&self) -> u16 {
        self.expected["status"].as_u64().unwrap() as u16
    }
}

/// What a hook wants done with a step.
pub enum Flow {
    /// Send it and compare the answer.
    Send,
    /// The double has no counterpart for it.
    Skip,
    /// The hook replayed it itself.
    Done,
}

/// How an error's `data` is compared with Logto's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ErrorData {
    /// Same keys; for guard errors the same issues (code, path, keys).
    Shape,
    /// Equal as a whole (missing-profile lists, MFA factors, password issues…).
    Whole,
}

/// What a test file adds to the replay of its captures.
#[allow(async_fn_in_trait)]
pub trait Hooks {
    /// Rewrites a step before it is sent, or takes it over.
    async fn before(&mut self, _replay: &mut Replay<'_>, _step: &mut Step) -> Flow {
        Flow::Send
    }
    /// Sees our answer to a step that was sent and passed the common checks.
    async fn after(&mut self, _replay: &mut Replay<'_>, _step: &Step, _ours: &Resp) {}
}

/// A replay with nothing added.
pub struct Plain;
impl Hooks for Plain {}

pub struct Replay<'s> {
    pub server: &'s Server,
    pub browser: Browser,
    pub file: String,
    pub meta: Value,
    pub error_data: ErrorData,
    pub uid: Option<String>,
    pub verifier: Option<String>,
    /// captured verificationId → ours
    pub vids: HashMap<String, String>,
    /// The authorization code of the resume.
    pub auth_code: Option<String>,
    /// Captured steps sent and compared (the OIDC resume and token hops are counted apart).
    pub sent: usize,
    /// The id_token claims, once the token exchange was checked.
    pub claims: Option<Value>,
}

/// Replays `file` against `server` with `hooks`; every capture must send at least one of its requests.
pub async fn run<'s>(server: &'s Server, file: &str, error_data: ErrorData, hooks: &mut impl Hooks) -> Replay<'s> {
    let capture = super::fixture(file);
    let mut r = Replay {
        server,
        browser: server.browser(),
        file: file.to_owned(),
        meta: capture["meta"].clone(),
        error_data,
        uid: None,
        verifier: None,
        vids: HashMap::new(),
        auth_code: None,
        sent: 0,
        claims: None,
    };
    for (index, raw) in capture["transcript"].as_array().unwrap().iter().enumerate() {
        let request = raw["request"].clone();
        let method = request["method"].as_str().unwrap().to_owned();
        let path = request["path"].as_str().unwrap().to_owned();
        let mut step = Step {
            index,
            ctx: format!("{file} step {index} {method} {path}"),
            body: request.get("body").cloned().filter(|b| !b.is_null()),
            method,
            path,
            request,
            expected: raw["response"].clone(),
        };
        r.step(hooks, &mut step).await;
    }
    assert!(r.sent >= 1, "{file}: no request of the capture was sent");
    r
}

impl Replay<'_> {
    /// A captured URL with our origin and interaction uid.
    pub fn ours(&self, captured: &str) -> String {
        captured
            .replace(CAPTURED_ORIGIN, &self.server.origin)
            .replace(UID_PLACEHOLDER, self.uid.as_deref().unwrap_or_default())
    }

    async fn step(&mut self, hooks: &mut impl Hooks, step: &mut Step) {
        // Logto's consent hop has no counterpart: the double issues the code on the first resume.
        if step.path == "/consent" || step.path.starts_with("/oidc/auth/<cookie:_interaction#2>") {
            return;
        }
        if step.path.starts_with("/oidc/auth/<cookie:_interaction#1>") {
            return self.resume(step).await;
        }
        if step.path == "/oidc/token" {
            if self.auth_code.is_some() {
                self.check_token(step).await;
            }
            return;
        }
        match hooks.before(self, step).await {
            Flow::Send => {}
            Flow::Skip | Flow::Done => return,
        }
        let resp = self.send(step).await;
        self.sent += 1;
        self.compare(step, &resp);
        hooks.after(self, step, &resp).await;
    }

    async fn send(&mut self, step: &mut Step) -> Resp {
        if step.path.ends_with("/verification-code/verify") {
            self.our_code(step).await;
        }
        let req = &step.request;
        if step.method == "GET" && step.path == "/oidc/auth" {
            let extra: Vec<(String, String)> = req["query"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| !AUTHORIZE_OWN.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (verifier, _, resp) = self.browser.authorize(&extra).await;
            self.verifier = Some(verifier);
            self.uid = self.browser.cookie("_interaction");
            return resp;
        }
        if let Some(b) = step.body.as_mut() {
            if let Some(ours) = b.get("verificationId").and_then(Value::as_str).and_then(|v| self.vids.get(v)) {
                b["verificationId"] = json!(ours);
            }
        }
        // A capture that starts by sending a cookie it never got: an interaction uid we do not know.
        let sends_interaction =
            req["headers"]["cookie"].as_array().is_some_and(|c| c.iter().any(|n| n == "_interaction"));
        if sends_interaction && self.browser.jar.is_empty() {
            self.browser.jar.insert(
                "_interaction".into(),
                Cookie { value: "unknownUid0000000000000000000000000000000000".into(), path: "/".into() },
            );
        }
        let mut path = step.path.clone();
        if let Some(q) = req["query"].as_object() {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(q.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())))
                .finish();
            path = format!("{path}?{query}");
        }
        if path.starts_with("/api/") {
            let mut body = step.body.clone();
            if body.is_none() && req["headers"].get("content-type").is_some() {
                body = Some(json!({}));
            }
            self.browser.api(&step.method, &path, body).await
        } else {
            assert_eq!(step.method, "GET", "{}: only pages are replayed outside /api", step.ctx);
            self.browser.get(&path).await
        }
    }

    /// A verification code typed in the capture becomes the one the double sent (from its outbox), or a wrong one
    /// where the capture typed a code other than the one Logto's mock connector sent.
    async fn our_code(&mut self, step: &mut Step) {
        let meta = &self.meta;
        let sent = meta["mock_email_message"]["code"].as_str().or(meta["mock_sms_message"]["code"].as_str());
        let sent = sent.map(str::to_owned);
        let Some(b) = step.body.as_mut() else { return };
        let (Some(to), Some(typed)) = (b["identifier"]["value"].as_str(), b["code"].as_str()) else { return };
        let q = form_urlencoded::Serializer::new(String::new()).append_pair("to", to).finish();
        let latest = self.browser.get(&format!("/outbox/latest?{q}")).await;
        let Some(ours) = latest.json()["code"].as_str().map(str::to_owned) else { return };
        let right = sent.as_deref().is_none_or(|s| s == typed);
        b["code"] = json!(if right { ours } else { wrong_code(&ours) });
    }

    /// Our answer against Logto's.
    fn compare(&mut self, step: &Step, resp: &Resp) {
        let ctx = &step.ctx;
        let expected = &step.expected;
        let status = step.status();
        assert_eq!(resp.status, status, "{ctx}: status; body {}", resp.text());
        let their_type = expected["headers"]["content-type"].as_str().unwrap_or("");
        if step.path.starts_with("/api/") || their_type.starts_with("application/json") {
            assert_eq!(resp.header("content-type").unwrap_or_default(), their_type, "{ctx}: content-type");
        }
        if let Some(loc) = expected["headers"]["location"].as_str() {
            assert_eq!(resp.location(), self.ours(loc), "{ctx}: location");
        }
        for header in ["logto-static-package", "content-language"] {
            if let Some(theirs) = expected["headers"][header].as_str() {
                assert_eq!(resp.header(header).as_deref(), Some(theirs), "{ctx}: {header}");
            }
        }
        if status == 204 {
            assert!(resp.body.is_empty(), "{ctx}: 204 has no body");
        }
        if status == 201 {
            assert_eq!(resp.text(), "Created", "{ctx}: Koa's body of a bodiless 201");
        }
        if !their_type.starts_with("application/json") {
            return;
        }
        let ours = resp.json();
        let theirs = &expected["body"];
        if theirs.get("code").is_some() {
            self.compare_error(ctx, &ours, theirs);
            return;
        }
        assert_eq!(keys(&ours), keys(theirs), "{ctx}: body keys; ours {ours}");
        if let (Some(t), Some(o)) = (theirs["verificationId"].as_str(), ours["verificationId"].as_str()) {
            if let Some(before) = self.vids.get(t) {
                assert_eq!(before, o, "{ctx}: the same verification answers the same id");
            }
            self.vids.insert(t.to_owned(), o.to_owned());
        }
        if let Some(to) = theirs["redirectTo"].as_str() {
            assert_eq!(ours["redirectTo"], json!(self.ours(to)), "{ctx}: redirectTo");
        }
    }

    /// Same code, same keys, data per [`ErrorData`], our own message.
    fn compare_error(&self, ctx: &str, ours: &Value, theirs: &Value) {
        assert_eq!(ours["code"], theirs["code"], "{ctx}: code; ours {ours}");
        assert_eq!(keys(ours), keys(theirs), "{ctx}: body keys; ours {ours}");
        match self.error_data {
            ErrorData::Whole => assert_eq!(ours.get("data"), theirs.get("data"), "{ctx}: data"),
            ErrorData::Shape => {
                if theirs.get("data").is_some() {
                    assert_eq!(keys(&ours["data"]), keys(&theirs["data"]), "{ctx}: data keys");
                }
                if let Some(issues) = theirs["data"]["issues"].as_array() {
                    let our_issues = ours["data"]["issues"].as_array().expect("issues");
                    assert_eq!(our_issues.len(), issues.len(), "{ctx}: issue count");
                    for (o, t) in our_issues.iter().zip(issues) {
                        assert_eq!(o["code"], t["code"], "{ctx}: issue code");
                        assert_eq!(o["path"], t["path"], "{ctx}: issue path");
                        assert_eq!(keys(o), keys(t), "{ctx}: issue keys");
                    }
                }
            }
        }
        assert_ne!(ours["message"], theirs["message"], "{ctx}: messages are ours, not Logto's");
    }

    /// Logto goes through an auto-consent hop; the double issues the code directly. Same end: the client gets
    /// `code`, its `state` and `iss`, and the resume cookie is cleared.
    async fn resume(&mut self, step: &Step) {
        let ctx = &step.ctx;
        let uid = self.uid.clone().unwrap_or_else(|| panic!("{ctx}: no interaction to resume"));
        let resp = self.browser.get(&format!("/oidc/auth/{uid}")).await;
        assert_eq!(resp.status, 303, "{ctx}: {}", resp.text());
        let location = resp.location();
        assert!(location.starts_with(&format!("{}?", self.server.redirect_uri())), "{ctx}: {location}");
        let q = query_of(&location);
        assert_eq!(q["state"], "st4te-value", "{ctx}");
        assert_eq!(q["iss"], format!("{}/oidc", self.server.origin), "{ctx}");
        assert!(
            resp.set_cookies().iter().any(|c| c.starts_with("_interaction_resume=;") && c.contains("1970")),
            "{ctx}: resume cookie cleared"
        );
        self.auth_code = Some(q["code"].clone());
    }

    /// The token exchange: same keys as Logto's, and an id_token naming the capture's signed-in user.
    async fn check_token(&mut self, step: &Step) {
        let ctx = &step.ctx;
        let code = self.auth_code.clone().unwrap();
        let verifier = self.verifier.clone().unwrap();
        let redirect_uri = self.server.redirect_uri();
        let resp = self
            .browser
            .token(&[
                ("grant_type", "authorization_code"),
                ("client_id", "demo-app"),
                ("code", &code),
                ("code_verifier", &verifier),
                ("redirect_uri", &redirect_uri),
            ])
            .await;
        assert_eq!(resp.status, 200, "{ctx}: {}", resp.text());
        let ours = resp.json();
        let theirs = &step.expected["body"];
        assert_eq!(keys(&ours), keys(theirs), "{ctx}: token keys");
        assert_eq!(ours["token_type"], "Bearer", "{ctx}");
        let claims = reference_provider::oidc::jwt_claims(ours["id_token"].as_str().unwrap()).unwrap();
        let their_claims = &theirs["id_token"]["redacted_jwt"]["claims"];
        for claim in ["sub", "iss", "aud", "exp", "iat"] {
            assert!(claims.get(claim).is_some() && their_claims.get(claim).is_some(), "{ctx}: claim {claim}");
        }
        assert_eq!(claims["iss"], format!("{}/oidc", self.server.origin), "{ctx}");
        assert_eq!(claims["aud"], "demo-app", "{ctx}");
        let user = &self.meta["signed_in_user"];
        assert_eq!(claims["username"], user["username"], "{ctx}: username");
        if let Some(name) = user.get("name") {
            assert_eq!(&claims["name"], name, "{ctx}: name");
        }
        self.claims = Some(claims);
    }
}

/// A six-digit code that is not `code`.
pub fn wrong_code(code: &str) -> String {
    if code == "000000" { "000001" } else { "000000" }.to_owned()
}
