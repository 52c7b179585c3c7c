//! `/api/.well-known/sign-in-exp` (+ `experience` alias) and `/api/.well-known/phrases`.

use crate::errors::json_response;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/.well-known/sign-in-exp", get(sign_in_exp))
        .route("/api/.well-known/experience", get(sign_in_exp))
        .route("/api/.well-known/phrases", get(phrases))
}

/// `appId` / `organizationId` are accepted; this double has no app- or organization-level branding,
/// like Logto's built-in `demo-app`. No `Content-Language` here (Logto sends none).
async fn sign_in_exp(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, state.sie.public())
}

/// Phrases of the resolved language, with the `Content-Language` header the page relies on.
async fn phrases(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let info = &state.sie.typed.language_info;
    let lang =
        state.phrases.resolve(q.get("lng").map(String::as_str), q.get("locale").map(String::as_str), &headers, info);
    let mut res = json_response(StatusCode::OK, &state.phrases.locale_phrase(&lang));
    if let Ok(v) = HeaderValue::from_str(&lang) {
        res.headers_mut().insert(header::CONTENT_LANGUAGE, v);
    }
    res
}
