//! Test harness: runs the provider on an ephemeral port and talks to it over real HTTP with a
//! small cookie jar (so cookie paths and redirects behave like a browser's).
#![allow(dead_code)]

pub mod replay;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use reference_provider::csp::CspProfile;
use reference_provider::{build_state, serve, AppState, Options};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn fixture(name: &str) -> Value {
    let path = repo_root().join("testdata/logto-1.42").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// A fresh scratch directory under the target dir.
pub fn scratch(label: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = repo_root().join("target/provider-tests").join(format!(
        "{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub const INDEX_HTML: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in</title></head><body><div id=\"app\"></div><script type=\"application/json\" id=\"logto-ssr\">\"__LOGTO_SSR__\"</script></body></html>";

/// A dist folder with an SSR template, a hashed asset (plus .br/.gz variants) and a wasm file.
pub fn make_dist() -> PathBuf {
    let dist = scratch("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dist.join("assets/app-1a2b3c.js"), "console.log('plain');").unwrap();
    std::fs::write(dist.join("assets/app-1a2b3c.js.br"), "BROTLI-BYTES").unwrap();
    std::fs::write(dist.join("assets/app-1a2b3c.js.gz"), "GZIP-BYTES").unwrap();
    std::fs::write(dist.join("assets/app_bg-1a2b3c.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    dist
}

/// Phrase files with tiny, made-up translations (the real ones are the page's business).
pub fn make_phrases() -> PathBuf {
    let dir = scratch("phrases");
    for (tag, sign_in) in [
        ("en", "Sign in"),
        ("fr", "Se connecter [fr]"),
        ("ar", "[ar] sign in"),
        ("zh-TW", "[zh-TW]"),
        ("ko", "[ko]"),
        ("de", "[de]"),
    ] {
        let body = serde_json::json!({ "action": { "sign_in": sign_in }, "probe": "</script><b>x</b>" });
        std::fs::write(dir.join(format!("{tag}.json")), body.to_string()).unwrap();
    }
    dir
}

pub struct Server {
    pub origin: String,
    pub state: AppState,
    pub dist: PathBuf,
    pub phrases: PathBuf,
}

pub struct Setup {
    pub config: PathBuf,
    pub csp: CspProfile,
    /// A users file other than `provider/config/users.json`.
    pub users: Option<PathBuf>,
}

impl Default for Setup {
    fn default() -> Self {
        Self { config: repo_root().join("provider/config/rich.json"), csp: CspProfile::Strict, users: None }
    }
}

impl Setup {
    /// The captures' FLOWS_NO_MFA: `rich.json` without the MFA and passkey prompts (most flows were captured so).
    pub fn no_mfa() -> Self {
        let mut c: Value =
            serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/rich.json")).unwrap())
                .unwrap();
        c["mfa"] = serde_json::json!({"factors": [], "policy": "NoPrompt"});
        c["passkeySignIn"] = serde_json::json!({"enabled": false});
        let path = scratch("no-mfa-config").join("config.json");
        std::fs::write(&path, c.to_string()).unwrap();
        Self { config: path, ..Self::default() }
    }
}

impl Server {
    /// A server on the FLOWS_NO_MFA config ([`Setup::no_mfa`]); `start_with(Setup::default())` for `rich.json` itself.
    pub async fn start() -> Self {
        Self::start_with(Setup::no_mfa()).await
    }

    pub async fn start_with(setup: Setup) -> Self {
        let dist = make_dist();
        let phrases = make_phrases();
        let opts = Options {
            dist: dist.clone(),
            config: setup.config,
            users: setup.users.clone().unwrap_or_else(|| repo_root().join("provider/config/users.json")),
            applications: repo_root().join("provider/config/applications.json"),
            phrases: phrases.clone(),
            csp: setup.csp,
            ..Options::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let state = build_state(&opts, origin.clone()).unwrap();
        tokio::spawn(serve(listener, state.clone()));
        Self { origin, state, dist, phrases }
    }

    pub fn browser(&self) -> Browser {
        Browser {
            origin: self.origin.clone(),
            client: Client::builder(TokioExecutor::new()).build_http(),
            jar: HashMap::new(),
            language: None,
        }
    }

    pub fn redirect_uri(&self) -> String {
        format!("{}/demo/callback", self.origin)
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_else(|| panic!("no location (status {}): {}", self.status, self.text()))
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    }
}

/// One cookie as stored: value and path.
#[derive(Debug, Clone)]
pub struct Cookie {
    pub value: String,
    pub path: String,
}

pub struct Browser {
    pub origin: String,
    client: Client<HttpConnector, Full<Bytes>>,
    /// name → cookie (one per name is enough here).
    pub jar: HashMap<String, Cookie>,
    /// The `Accept-Language` of [`Browser::get`] and [`Browser::api`] (`api` sends `en` when `None`, as the page
    /// always names its language; `get` then sends none).
    pub language: Option<String>,
}

pub fn parse_set_cookie(header: &str) -> (String, Cookie, bool) {
    let mut parts = header.split(';');
    let (name, value) = parts.next().unwrap().split_once('=').unwrap();
    let mut path = "/".to_owned();
    let mut cleared = false;
    for attr in parts {
        let (k, v) = attr.trim().split_once('=').unwrap_or((attr.trim(), ""));
        match k.to_ascii_lowercase().as_str() {
            "path" => path = v.to_owned(),
            "expires" if v.contains("1970") => cleared = true,
            _ => {}
        }
    }
    (name.to_owned(), Cookie { value: value.to_owned(), path }, cleared)
}

impl Browser {
    pub async fn request(
        &mut self,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let url = if path_and_query.starts_with("http") {
            path_and_query.to_owned()
        } else {
            format!("{}{path_and_query}", self.origin)
        };
        let path = url.trim_start_matches(&self.origin).split('?').next().unwrap().to_owned();
        let mut req = hyper::Request::builder().method(method).uri(&url);
        let cookies: Vec<String> = self
            .jar
            .iter()
            .filter(|(_, c)| path.starts_with(&c.path))
            .map(|(n, c)| format!("{n}={}", c.value))
            .collect();
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body.unwrap_or_default()))).unwrap();
        let res = self.client.request(req).await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let resp = Resp { status, headers, body };
        for sc in resp.set_cookies() {
            let (name, cookie, cleared) = parse_set_cookie(&sc);
            if cleared {
                self.jar.remove(&name);
            } else {
                self.jar.insert(name, cookie);
            }
        }
        resp
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let language = self.language.clone();
        let headers: Vec<(&str, &str)> = language.iter().map(|l| ("accept-language", l.as_str())).collect();
        self.request("GET", path, &headers, None).await
    }

    /// An Experience API call the way the page makes it.
    pub async fn api(&mut self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let language = self.language.clone().unwrap_or_else(|| "en".into());
        let mut headers = vec![("logto-app-id", "demo-app"), ("accept-language", language.as_str())];
        if body.is_some() {
            headers.push(("content-type", "application/json"));
        }
        self.request(method, path, &headers, body.map(|b| serde_json::to_vec(&b).unwrap())).await
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.get(name).map(|c| c.value.clone())
    }

    /// Starts an OIDC authorization with a fresh PKCE pair; returns (verifier, state, landing response).
    pub async fn authorize(&mut self, extra: &[(&str, &str)]) -> (String, String, Resp) {
        let redirect_uri = format!("{}/demo/callback", self.origin);
        self.authorize_client("demo-app", &redirect_uri, "openid profile", extra).await
    }

    /// `/oidc/auth` for any registered client; returns (PKCE verifier, state, response).
    pub async fn authorize_client(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> (String, String, Resp) {
        let verifier = "test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz".to_owned();
        let state = "st4te-value".to_owned();
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", scope)
            .append_pair("state", &state)
            .append_pair("code_challenge", &reference_provider::oidc::pkce_challenge(&verifier))
            .append_pair("code_challenge_method", "S256");
        for (k, v) in extra {
            q.append_pair(k, v);
        }
        let resp = self.get(&format!("/oidc/auth?{}", q.finish())).await;
        (verifier, state, resp)
    }

    pub async fn token(&mut self, form: &[(&str, &str)]) -> Resp {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        self.request(
            "POST",
            "/oidc/token",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some(body.into_bytes()),
        )
        .await
    }
}

/// The sorted keys of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

pub fn query_of(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}
