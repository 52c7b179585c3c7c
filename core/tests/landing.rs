//! Landing parameters against the 303 `Location`s Logto 1.42 sends from `/oidc/auth`
//! (`testdata/logto-1.42/landing-urls.json`).

use serde_json::Value;
use sign_in_core::landing::{cleaned_query, href, sign_in_exp_query, LandingParams};
use sign_in_core::storage_keys;
use std::path::Path;

fn cases() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/logto-1.42/landing-urls.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text).unwrap();
    let cases = file["cases"].as_array().expect("cases").clone();
    assert_eq!(cases.len(), 21);
    cases
}

/// A small independent `application/x-www-form-urlencoded` decoder, so the expectations don't
/// come from the code under test.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// `(case name, request query, landing path, landing query)` for every 303 to an experience page.
fn landings() -> Vec<(String, Value, String, String)> {
    let mut out = Vec::new();
    for case in cases() {
        let name = case["case"].as_str().unwrap().to_owned();
        assert_eq!(case["response"]["status"], 303, "{name}");
        let location = case["response"]["headers"]["location"].as_str().unwrap();
        // Only relative locations land on the experience; `prompt=create` redirects back to the app.
        if !location.starts_with('/') {
            assert!(location.contains("error="), "{name}: {location}");
            continue;
        }
        let (path, query) = location.split_once('?').unwrap_or((location, ""));
        out.push((name, case["request"]["query"].clone(), path.to_owned(), query.to_owned()));
    }
    assert_eq!(out.len(), 20);
    out
}

#[test]
fn landing_params_match_the_location_query() {
    for (name, request, path, query) in landings() {
        let pairs = query_pairs(&query);
        for q in [query.clone(), format!("?{query}")] {
            let p = LandingParams::from_query(&q);
            assert_eq!(p.app_id.as_deref(), get(&pairs, storage_keys::APP_ID), "{name}: app_id");
            assert_eq!(p.ui_locales.as_deref(), get(&pairs, storage_keys::UI_LOCALES), "{name}: ui_locales");
            assert_eq!(
                p.organization_id.as_deref(),
                get(&pairs, storage_keys::ORGANIZATION_ID),
                "{name}: organization_id"
            );
            assert_eq!(p.login_hint.as_deref(), get(&pairs, "login_hint"), "{name}: login_hint");
        }

        // Cross-check with what the client asked Logto for.
        let p = LandingParams::from_query(&query);
        assert_eq!(p.app_id.as_deref(), request["client_id"].as_str(), "{name} ({path})");
        assert_eq!(p.organization_id, None, "{name}");
        if let Some(hint) = request["login_hint"].as_str() {
            assert_eq!(p.login_hint.as_deref(), Some(hint), "{name}");
        }
        // An invalid `first_screen` makes Logto drop every extra param, ui_locales included.
        if let (Some(locales), false) = (request["ui_locales"].as_str(), request["first_screen"] == "nope") {
            if !path.starts_with("/direct/") {
                assert_eq!(p.ui_locales.as_deref(), Some(locales), "{name}");
            }
        }
    }
}

#[test]
fn specific_landings() {
    let by_name = |n: &str| {
        let (_, _, path, query) = landings().into_iter().find(|(name, ..)| name == n).unwrap();
        (path, LandingParams::from_query(&query))
    };
    let (path, p) = by_name("default");
    assert_eq!(path, "/sign-in");
    assert_eq!(p, LandingParams { app_id: Some("demo-app".into()), ..Default::default() });

    let (_, p) = by_name("login_hint=erin@example.com");
    assert_eq!(p.login_hint.as_deref(), Some("erin@example.com"));

    let (_, p) = by_name("ui_locales=fr-CA en");
    assert_eq!(p.ui_locales.as_deref(), Some("fr-CA en"));

    let (path, p) = by_name("combined: first_screen=register login_hint ui_locales=ar");
    assert_eq!(path, "/register");
    assert_eq!(
        p,
        LandingParams {
            app_id: Some("demo-app".into()),
            organization_id: None,
            ui_locales: Some("ar".into()),
            login_hint: Some("new@example.com".into()),
        }
    );
}

#[test]
fn cleaned_query_keeps_app_id_and_drops_session_values() {
    for (name, _, _, query) in landings() {
        let cleaned = cleaned_query(&query);
        let before = query_pairs(&query);
        let after = query_pairs(&cleaned);
        assert_eq!(get(&after, storage_keys::APP_ID), Some("demo-app"), "{name}: {cleaned}");
        assert_eq!(get(&after, storage_keys::UI_LOCALES), None, "{name}: {cleaned}");
        assert_eq!(get(&after, storage_keys::ORGANIZATION_ID), None, "{name}: {cleaned}");
        let expected: Vec<_> = before
            .iter()
            .filter(|(k, _)| k != storage_keys::UI_LOCALES && k != storage_keys::ORGANIZATION_ID)
            .cloned()
            .collect();
        assert_eq!(after, expected, "{name}: other params kept, in order");
        if get(&before, storage_keys::UI_LOCALES).is_none() {
            // Nothing to drop: the captured query comes back byte for byte.
            assert_eq!(cleaned, query, "{name}");
        }
        assert_eq!(cleaned_query(&format!("?{query}")), cleaned, "{name}: leading '?'");
    }

    assert_eq!(cleaned_query("app_id=demo-app&ui_locales=ar"), "app_id=demo-app");
    assert_eq!(
        cleaned_query("?app_id=demo-app&organization_id=org1&ui_locales=fr-CA+en&login_hint=new%40example.com"),
        "app_id=demo-app&login_hint=new%40example.com"
    );
    assert_eq!(cleaned_query("organization_id=o&ui_locales=ar"), "");
}

#[test]
fn organization_id_is_read() {
    let p = LandingParams::from_query("?app_id=demo-app&organization_id=org_1&ui_locales=&login_hint=");
    assert_eq!(p.app_id.as_deref(), Some("demo-app"));
    assert_eq!(p.organization_id.as_deref(), Some("org_1"));
    assert_eq!(p.ui_locales, None, "empty values count as absent");
    assert_eq!(p.login_hint, None, "empty values count as absent");
    assert_eq!(LandingParams::from_query(""), LandingParams::default());
}

#[test]
fn hrefs_keep_app_id() {
    assert_eq!(href("/register", Some("demo-app")), "/register?app_id=demo-app");
    assert_eq!(href("/sign-in", None), "/sign-in");
    assert_eq!(href("/sign-in", Some("a b&c")), "/sign-in?app_id=a+b%26c");
    // The captured default landing is exactly the href the page builds.
    let (_, _, path, query) = landings().into_iter().find(|(n, ..)| n == "default").unwrap();
    assert_eq!(href(&path, Some("demo-app")), format!("{path}?{query}"));
    let (_, _, path, query) = landings().into_iter().find(|(n, ..)| n == "first_screen=register").unwrap();
    assert_eq!(href(&path, Some("demo-app")), format!("{path}?{query}"));
}

#[test]
fn sign_in_exp_query_uses_camel_case_keys() {
    // `?…` (or empty when there is nothing to send), as captured:
    // `GET /api/.well-known/sign-in-exp?appId=demo-app`.
    assert_eq!(sign_in_exp_query(Some("demo-app"), None), "?appId=demo-app");
    assert_eq!(sign_in_exp_query(None, None), "");
    assert_eq!(sign_in_exp_query(None, Some("org_1")), "?organizationId=org_1");
    assert_eq!(sign_in_exp_query(Some("demo-app"), Some("org_1")), "?organizationId=org_1&appId=demo-app");
    assert_eq!(sign_in_exp_query(Some("a&b"), None), "?appId=a%26b");

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/logto-1.42/sign-in-exp.b-rich.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let request = &file["with_appId"]["request"];
    assert_eq!(request["path"], "/api/.well-known/sign-in-exp");
    let captured: Vec<(String, String)> = request["query"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let built = sign_in_exp_query(Some("demo-app"), None);
    assert_eq!(query_pairs(built.strip_prefix('?').unwrap()), captured);
}

#[test]
fn a_repeated_key_counts_the_first_time_only() {
    let params = LandingParams::from_query(
        "?app_id=demo-app&ui_locales=fr&app_id=other&login_hint=a%40x.test&ui_locales=ar&login_hint=b&organization_id=o1&organization_id=o2",
    );
    assert_eq!(params.app_id.as_deref(), Some("demo-app"));
    assert_eq!(params.ui_locales.as_deref(), Some("fr"));
    assert_eq!(params.login_hint.as_deref(), Some("a@x.test"));
    assert_eq!(params.organization_id.as_deref(), Some("o1"));
    // The first is empty: absent, as the direct sign-in script reads `URLSearchParams.get` ("" is no value).
    assert_eq!(LandingParams::from_query("app_id=&app_id=late").app_id, None);
    // What the address bar keeps reads the same.
    let cleaned = cleaned_query("app_id=demo-app&ui_locales=fr&app_id=other");
    assert_eq!(LandingParams::from_query(&cleaned).app_id.as_deref(), Some("demo-app"));
}
