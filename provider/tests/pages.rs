//! Page serving: SSR injection, the session guard, static files (precompressed, caching), CSP
//! profiles, and the well-known endpoints.

mod common;

use common::{keys, repo_root, Server, Setup};
use reference_provider::csp::CspProfile;
use serde_json::{json, Value};

/// The SSR object out of the served page: the JSON inside `Object.freeze(…)`.
fn ssr_object(html: &str) -> Value {
    let start = html.find("Object.freeze(").expect("SSR injected") + "Object.freeze(".len();
    let end = html[start..].find(")</script>").expect("end of SSR") + start;
    serde_json::from_str(&html[start..end]).expect("SSR JSON parses")
}

#[tokio::test]
async fn ssr_injects_sign_in_experience_and_phrases() {
    let server = Server::start_with(Setup::default()).await;
    let mut b = server.browser();
    b.authorize(&[("ui_locales", "ar")]).await;
    let resp =
        b.request("GET", "/sign-in?app_id=demo-app", &[("accept-language", "fr-CA,fr;q=0.9,en;q=0.8")], None).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type").unwrap(), "text/html; charset=utf-8");
    assert!(resp.header("cache-control").unwrap().contains("no-cache"));
    assert_eq!(resp.header("logto-static-package").unwrap(), "experience");
    // SSR ignores ui_locales (as Logto does): the language comes from Accept-Language.
    assert_eq!(resp.header("content-language").unwrap(), "fr");
    let html = resp.text();
    assert!(!html.contains("__LOGTO_SSR__"));
    assert!(!html.contains("</script><b>"), "a phrase cannot close the script element");
    let ssr = ssr_object(&html);
    assert_eq!(keys(&ssr), ["phrases", "signInExperience"]);
    assert_eq!(ssr["signInExperience"]["appId"], "demo-app");
    assert!(ssr["signInExperience"].get("organizationId").is_none());
    assert_eq!(&ssr["signInExperience"]["data"], server.state.sie.public());
    assert_eq!(ssr["phrases"]["lng"], "fr");
    assert_eq!(ssr["phrases"]["data"]["translation"]["action"]["sign_in"], "Se connecter [fr]");
    assert_eq!(ssr["phrases"]["data"]["translation"]["probe"], "</script><b>x</b>");

    // Same object shape as Logto's capture.
    let capture = common::fixture("ssr.b-rich.json");
    assert_eq!(keys(&ssr), keys(&capture["logtoSsr"]));
    assert_eq!(keys(&ssr["signInExperience"]), keys(&capture["logtoSsr"]["signInExperience"]));
    assert_eq!(keys(&ssr["signInExperience"]["data"]), keys(&capture["logtoSsr"]["signInExperience"]["data"]));

    // Custom CSS goes in before </head>, in a tag like the capture's (whose CSS was our demo's earlier one).
    let captured_css = capture["logtoSsr"]["signInExperience"]["data"]["customCss"].as_str().unwrap();
    let ours = server.state.sie.public()["customCss"].as_str().unwrap();
    let tag = capture["inlined_custom_css_style_tag"].as_str().unwrap().replace(captured_css, ours);
    assert!(html.contains(&format!("{tag}</head>")), "{html}");
}

#[tokio::test]
async fn custom_css_cannot_close_its_style_element() {
    let mut row: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/default.json")).unwrap())
            .unwrap();
    row["customCss"] = json!("body{color:red}</style><script>alert(1)</script>");
    let dir = common::scratch("css");
    std::fs::write(dir.join("c.json"), row.to_string()).unwrap();
    let server = Server::start_with(Setup { config: dir.join("c.json"), ..Setup::default() }).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    let html = b.get("/sign-in").await.text();
    assert!(
        html.contains("<style data-custom-css>body{color:red}<\\/style><script>alert(1)</script></style></head>"),
        "{html}"
    );
    assert_eq!(html.matches("</style>").count(), 1);
}

#[tokio::test]
async fn session_guard_and_spa_fallback() {
    let server = Server::start_with(Setup::default()).await;
    let mut b = server.browser();
    let unknown = format!("{}/unknown-session", server.origin);
    for path in [
        "/",
        "/sign-in?app_id=demo-app",
        "/register",
        "/sign-in/password",
        "/forgot-password",
        "/consent",
        "/single-sign-on/email",
        "/social/register/x",
    ] {
        let resp = b.get(path).await;
        assert_eq!(resp.status, 302, "{path}");
        assert_eq!(resp.location(), unknown, "{path}");
    }
    for path in [
        "/identifier-sign-in?app_id=demo-app",
        "/unknown-session",
        "/direct/social/mock-social",
        "/callback/x",
        "/reset-password",
    ] {
        let resp = b.get(path).await;
        assert_eq!(resp.status, 200, "{path}");
        assert!(resp.text().contains("Object.freeze("), "{path}: SPA fallback with SSR");
    }
    let resp = b.get("/assets/does-not-exist.js").await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.header("logto-static-package").unwrap(), "experience");
    assert_eq!(b.get("/api/nothing-here").await.status, 404);
    assert_eq!(b.get("/../Cargo.toml").await.status, 404, "paths that climb out of dist are refused");
    assert_eq!(b.get("/assets/%2e%2e/%2e%2e/Cargo.toml").await.status, 404);
    // Preview mode is not guarded.
    assert_eq!(b.get("/sign-in?preview=true").await.status, 200);
    // With a live interaction the guarded page is served; with an unknown one it is not.
    b.authorize(&[]).await;
    assert_eq!(b.get("/sign-in").await.status, 200);
    b.jar.get_mut("_interaction").unwrap().value = "nope".into();
    assert_eq!(b.get("/sign-in").await.status, 302);
}

#[tokio::test]
async fn static_files_precompressed_and_cached() {
    let server = Server::start_with(Setup::default()).await;
    let mut b = server.browser();
    let path = "/assets/app-1a2b3c.js";
    let br = b.request("GET", path, &[("accept-encoding", "gzip, deflate, br")], None).await;
    assert_eq!(br.status, 200);
    assert_eq!(br.text(), "BROTLI-BYTES");
    assert_eq!(br.header("content-encoding").unwrap(), "br");
    assert_eq!(br.header("vary").unwrap(), "Accept-Encoding");
    assert_eq!(br.header("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert_eq!(br.header("content-type").unwrap(), "text/javascript; charset=utf-8");
    assert_eq!(br.header("logto-static-package").unwrap(), "experience");
    let gz = b.request("GET", path, &[("accept-encoding", "gzip, br;q=0")], None).await;
    assert_eq!(gz.text(), "GZIP-BYTES");
    assert_eq!(gz.header("content-encoding").unwrap(), "gzip");
    let plain = b.get(path).await;
    assert_eq!(plain.text(), "console.log('plain');");
    assert!(plain.header("content-encoding").is_none());
    assert_eq!(plain.header("vary").unwrap(), "Accept-Encoding");
    let wasm = b.get("/assets/app_bg-1a2b3c.wasm").await;
    assert_eq!(wasm.header("content-type").unwrap(), "application/wasm");
    assert!(wasm.header("vary").is_none());
    let logo = b.get("/logo.svg").await;
    assert_eq!(logo.header("content-type").unwrap(), "image/svg+xml");
    assert_eq!(logo.header("cache-control").unwrap(), "no-cache");
}

#[tokio::test]
async fn csp_profiles() {
    for (profile, expected) in
        [(CspProfile::Strict, Some("strict")), (CspProfile::Logto, Some("logto")), (CspProfile::None, None)]
    {
        let server = Server::start_with(Setup { csp: profile, ..Setup::default() }).await;
        let mut b = server.browser();
        let csp = b.get("/unknown-session").await.header("content-security-policy");
        match expected {
            Some("strict") => {
                let csp = csp.unwrap();
                assert_eq!(csp, reference_provider::csp::STRICT);
                assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
            }
            Some(_) => {
                let captured = common::fixture("ssr.a-seed-default.json")["response_headers"]
                    ["content-security-policy"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                assert_eq!(csp.unwrap(), captured.replace("http://127.0.0.1:3001", &server.origin));
            }
            None => assert!(csp.is_none()),
        }
    }
}

#[tokio::test]
async fn well_known_sign_in_exp_matches_capture_shape() {
    let server =
        Server::start_with(Setup { config: repo_root().join("provider/config/default.json"), ..Setup::default() })
            .await;
    let mut b = server.browser();
    let capture = common::fixture("sign-in-exp.a-seed-default.json");
    for (path, case) in [
        ("/api/.well-known/sign-in-exp", "without_appId"),
        ("/api/.well-known/sign-in-exp?appId=demo-app", "with_appId"),
        ("/api/.well-known/experience", "without_appId"),
    ] {
        let resp = b.get(path).await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("content-type").unwrap(), "application/json; charset=utf-8");
        assert!(resp.header("content-language").is_none(), "Logto sends no Content-Language here");
        let ours = resp.json();
        let theirs = &capture[case]["response"]["body"];
        assert_eq!(keys(&ours), keys(theirs), "{path}");
        for same in [
            "signIn",
            "signUp",
            "signInMode",
            "languageInfo",
            "forgotPassword",
            "socialConnectors",
            "color",
            "usernamePolicy",
        ] {
            assert_eq!(ours[same], theirs[same], "{path}: {same}");
        }
        assert_eq!(ours["branding"]["logoUrl"], "/logo.svg");
    }

    let server = Server::start_with(Setup::default()).await;
    let ours = server.browser().get("/api/.well-known/sign-in-exp?appId=demo-app").await.json();
    let theirs = &common::fixture("sign-in-exp.b-rich.json")["with_appId"]["response"]["body"];
    assert_eq!(keys(&ours), keys(theirs));
    assert_eq!(ours["forgotPassword"], json!({"email": true, "phone": false}));
    assert_eq!(ours["socialConnectors"].as_array().unwrap().len(), 1);
    assert_eq!(keys(&ours["socialConnectors"][0]), keys(&theirs["socialConnectors"][0]));
    assert_eq!(ours["socialConnectors"][0]["target"], "mock-social");
    assert!(ours.get("forgotPasswordMethods").is_none());
    let logo = ours["branding"]["logoUrl"].as_str().unwrap();
    assert!(logo.starts_with('/'), "no external hosts: {logo}");
}

#[tokio::test]
async fn phrases_language_resolution() {
    let server = Server::start_with(Setup::default()).await;
    let mut b = server.browser();
    // (query, Accept-Language, expected Content-Language), from phrases.resolution-variants.json.
    let cases = [
        ("", "", "en"),
        ("?lng=fr-CA", "", "fr"),
        ("?lng=zh-TW%20en", "", "zh-TW"),
        ("?lng=xx", "", "en"),
        ("?lng=ar", "fr", "ar"),
        ("", "ja en", "en"),
        ("", "xx-YY", "en"),
        ("?locale=ko", "", "ko"),
        ("", "de-DE,de;q=0.9,en;q=0.8", "de"),
        ("?lng=en", "", "en"),
    ];
    for (query, accept, lang) in cases {
        let headers: Vec<(&str, &str)> = if accept.is_empty() { vec![] } else { vec![("accept-language", accept)] };
        let resp = b.request("GET", &format!("/api/.well-known/phrases{query}"), &headers, None).await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("content-language").as_deref(), Some(lang), "{query} / {accept}");
        let body = resp.json();
        assert_eq!(keys(&body), ["translation"]);
        assert!(body["translation"]["action"]["sign_in"].is_string());
    }
}
