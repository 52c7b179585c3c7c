//! Server-side data injection into `index.html`, as Logto core's `koaExperienceSsr` does it.

use crate::interactions::{self, LOGTO_COOKIE};
use crate::landing::read_logto_cookie;
use crate::state::AppState;
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The placeholder in the page's `index.html`, quotes included.
pub const PLACEHOLDER: &str = "\"__LOGTO_SSR__\"";

/// Returns the page with the SSR object and custom CSS in place, and the language it used.
pub fn render(
    state: &AppState,
    template: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> (String, String) {
    let (app_id, organization_id) =
        interactions::cookie(headers, LOGTO_COOKIE).map(|c| read_logto_cookie(&c)).unwrap_or((None, None));
    let sie = state.sie.public();
    let lang = state.phrases.resolve(
        query.get("lng").map(String::as_str),
        query.get("locale").map(String::as_str),
        headers,
        &state.sie.typed.language_info,
    );
    let mut sign_in_experience = Map::new();
    if let Some(app) = app_id {
        sign_in_experience.insert("appId".into(), app.into());
    }
    if let Some(org) = organization_id {
        sign_in_experience.insert("organizationId".into(), org.into());
    }
    sign_in_experience.insert("data".into(), sie.clone());
    let ssr = json!({
        "signInExperience": Value::Object(sign_in_experience),
        "phrases": { "lng": lang, "data": state.phrases.locale_phrase(&lang) },
    });
    let mut html = template.replacen(PLACEHOLDER, &format!("Object.freeze({})", script_safe_json(&ssr)), 1);
    // The page cannot read the CSP header without another request: the host that sends it says which engine fits
    // (no hint: the JS engine, which runs under Logto's own header).
    if state.csp.allows_wasm() {
        if let Some(at) = html.find("</head>") {
            html.insert_str(at, ENGINE_HINT);
        }
    }
    // The outside widgets' scripts: the stand-ins for the vendors' (the page's configuration; a deployment names
    // none and gets the vendors').
    let scripts = [
        (sign_in_core::captcha::SCRIPT_META, state.captcha_script()),
        (sign_in_core::one_tap::SCRIPT_META, state.one_tap_script()),
    ];
    for (name, script) in scripts {
        if let (Some(script), Some(at)) = (script, html.find("</head>")) {
            html.insert_str(at, &format!(r#"<meta name="{name}" content="{script}">"#));
        }
    }
    let preview = query.get("preview").map(String::as_str) == Some("true");
    if let (Some(css), false) = (sie["customCss"].as_str().filter(|c| !c.is_empty()), preview) {
        if let Some(at) = html.find("</head>") {
            html.insert_str(
                at,
                &format!("<style data-custom-css>{}</style>", sign_in_core::ssr::defuse_style_end(css)),
            );
        }
    }
    (html, lang)
}

/// The hint a host whose CSP allows WebAssembly puts in the page (read by `src/js/loader.js`).
pub const ENGINE_HINT: &str = r#"<meta name="sign-in-engine" content="wasm">"#;

/// JSON that cannot end the `<script>` element it sits in (`<` → `\u003c`) nor break JS parsing
/// (U+2028/U+2029). Both escapes keep it valid JSON with the same value.
pub fn script_safe_json(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}
