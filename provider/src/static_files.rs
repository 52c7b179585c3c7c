//! Serves the built page (`--dist`) like Logto's SPA proxy: files as they are, `index.html` with SSR
//! data for every other path, 404 for missing `/assets/*`, and the session guard in front.

use crate::interactions::{self, INTERACTION_COOKIE};
use crate::oidc::parse_pairs;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};

const STATIC_PACKAGE: &str = "Logto-Static-Package";

/// Paths that need a live interaction (Logto's `koa-spa-session-guard`).
fn is_guarded(path: &str) -> bool {
    path == "/"
        || ["/sign-in", "/register", "/single-sign-on", "/social/register", "/forgot-password", "/consent"]
            .iter()
            .any(|p| path.starts_with(p))
}

fn has_live_interaction(state: &AppState, headers: &HeaderMap) -> bool {
    interactions::cookie(headers, INTERACTION_COOKIE).is_some_and(|uid| state.store().interaction_mut(&uid).is_some())
}

pub async fn serve(State(state): State<AppState>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy().into_owned();
    let claimed = ["/api", "/oidc", "/demo"].iter().any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if claimed || !(method == Method::GET || method == Method::HEAD) {
        return not_found();
    }
    let query = parse_pairs(uri.query());
    let preview = query.get("preview").map(String::as_str) == Some("true");
    if is_guarded(&path) && !preview && !has_live_interaction(&state, &headers) {
        let target = state.sie.public()["unknownSessionRedirectUrl"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}/unknown-session", state.origin));
        return redirect_found(&target);
    }
    let Some(rel) = safe_relative(&path) else { return not_found() };
    let file = state.dist.join(&rel);
    if !rel.as_os_str().is_empty() && file.is_file() && rel != Path::new("index.html") {
        return serve_file(&file, &path, &headers);
    }
    if path.starts_with("/assets/") {
        return not_found();
    }
    serve_index(&state, &headers, &query)
}

/// `dist`-relative path, refusing anything that could climb out of it.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let rel = PathBuf::from(path.trim_start_matches('/'));
    if path.contains('\0') || path.contains('\\') || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(rel)
}

fn not_found() -> Response {
    let mut res = (StatusCode::NOT_FOUND, "Not Found").into_response();
    res.headers_mut().insert(STATIC_PACKAGE, HeaderValue::from_static("experience"));
    res
}

fn redirect_found(location: &str) -> Response {
    let mut res = (StatusCode::FOUND, format!("Redirecting to {location}.")).into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn serve_index(state: &AppState, headers: &HeaderMap, query: &std::collections::HashMap<String, String>) -> Response {
    let index = state.dist.join("index.html");
    let Ok(template) = std::fs::read_to_string(&index) else {
        let msg = format!("{} is missing: build the page first (cargo xtask build).", index.display());
        return (StatusCode::SERVICE_UNAVAILABLE, msg).into_response();
    };
    let (html, lang) = crate::ssr::render(state, &template, headers, query);
    // The page carries the SSR data (~10 KB of JSON): compressed per request, as Logto's server does.
    let gzipped = accepts(headers, "gzip").then(|| gzip(html.as_bytes())).flatten();
    let mut res = match &gzipped {
        Some(bytes) => bytes.clone().into_response(),
        None => html.into_response(),
    };
    let h = res.headers_mut();
    if gzipped.is_some() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Logto's exact value for the SSR page: it carries per-request data and must never be cached.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store, must-revalidate"));
    h.insert(STATIC_PACKAGE, HeaderValue::from_static("experience"));
    if let Ok(v) = HeaderValue::from_str(&lang) {
        h.insert(header::CONTENT_LANGUAGE, v);
    }
    res
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Encodings the client accepts (q > 0), as lower-case names.
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    let header = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    header.split(',').any(|part| {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        q > 0.0 && (name.eq_ignore_ascii_case(encoding) || name == "*")
    })
}

fn serve_file(file: &Path, url_path: &str, headers: &HeaderMap) -> Response {
    let variants = [("br", "br"), ("gzip", "gz")];
    let available: Vec<(&str, PathBuf)> = variants
        .iter()
        .map(|(enc, ext)| (*enc, PathBuf::from(format!("{}.{ext}", file.display()))))
        .filter(|(_, p)| p.is_file())
        .collect();
    let chosen = available.iter().find(|(enc, _)| accepts(headers, enc));
    let (body_path, encoding) = match chosen {
        Some((enc, p)) => (p.as_path(), Some(*enc)),
        None => (file, None),
    };
    let Ok(bytes) = std::fs::read(body_path) else { return not_found() };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(file)));
    h.insert(STATIC_PACKAGE, HeaderValue::from_static("experience"));
    // Files under /assets/ carry a content hash in their name; everything else may change.
    let cache = if url_path.starts_with("/assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(enc) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    if !available.is_empty() {
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    res
}
