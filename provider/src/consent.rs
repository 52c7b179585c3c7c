//! The remembered sign-in (oidc-provider's `_session` cookie) and what Logto builds on it for the page:
//! the magic-link account switch of Logto's consent guard ("Switch account" in `docs/experience-api.md`) and the legacy
//! `GET /api/interaction/consent` that `/switch-account` reads to say who is signed in.
//!
//! Deviation (see `provider/README.md`): a remembered session is only used for the magic-link switch. A new
//! `/oidc/auth` in the same browser still shows the sign-in page; Logto would sign the person in silently.

use crate::errors::{json_response, ApiError};
use crate::landing;
use crate::session::{self, Store, INTERACTION_COOKIE};
use crate::state::{AppState, DEMO_CLIENT_ID};
use crate::users::User;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// oidc-provider's session cookie (httpOnly, path `/`).
pub const SESSION_COOKIE: &str = "_session";
/// Logto keeps a session for 14 days.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 3600);
/// The display name of Logto's built-in `demo-app` application.
pub const DEMO_APP_NAME: &str = "Live Preview";

/// Who a `_session` cookie stands for.
#[derive(Debug, Clone)]
pub struct RememberedSession {
    pub user_id: String,
    pub expires_at: Instant,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/interaction/consent", get(consent_info))
}

/// Remembers `user_id` as the browser's signed-in user under a new session id (the browser's previous session,
/// if any, ends: a sign-in as someone else replaces it). Returns the `Set-Cookie` value.
pub fn remember(store: &mut Store, headers: &HeaderMap, user_id: &str, now: Instant) -> String {
    if let Some(old) = session::cookie(headers, SESSION_COOKIE) {
        store.sessions.remove(&old);
    }
    let id = crate::random::token43();
    store.sessions.insert(id.clone(), RememberedSession { user_id: user_id.to_owned(), expires_at: now + SESSION_TTL });
    session::set_cookie(SESSION_COOKIE, &id, "/", Some(SESSION_TTL), true)
}

/// The user the browser's `_session` cookie names, if that session is live and the account still exists.
pub fn session_user(state: &AppState, headers: &HeaderMap) -> Option<User> {
    let id = session::cookie(headers, SESSION_COOKIE)?;
    let now = state.now();
    let mut store = state.store();
    if store.sessions.get(&id).is_some_and(|s| s.expires_at <= now) {
        store.sessions.remove(&id);
    }
    let user_id = store.sessions.get(&id)?.user_id.clone();
    // Lock order: store before users.
    let users = state.users();
    users.by_id(&user_id).cloned()
}

/// Why a magic link can no longer be used (the message of its `one_time_token.*` error, in the language of the
/// `/oidc/auth` request, as the browser's navigation sends one), or `None` if it can.
fn token_problem(state: &AppState, token: &str, email: &str) -> Option<String> {
    let now = state.now();
    let store = state.store();
    let error = match store.one_time_tokens.get(token) {
        None => ApiError::one_time_token_not_found(),
        Some(t) if !t.email.eq_ignore_ascii_case(email) => ApiError::one_time_token_email_mismatch(),
        Some(t) if t.expires_at <= now => ApiError::one_time_token_expired(),
        Some(t) if t.consumed => ApiError::one_time_token_consumed(),
        Some(_) => return None,
    };
    Some(error.body.message)
}

/// Where `/oidc/auth` lands instead of the usual first screen when the browser is signed in and the request
/// carries a magic link (Logto's consent guard); `None` for every other request.
pub fn signed_in_landing(state: &AppState, headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    let token = query.get("one_time_token").filter(|t| !t.is_empty())?;
    let hint = query.get("login_hint").filter(|h| !h.is_empty())?;
    let user = session_user(state, headers)?;
    landing::signed_in_magic_link(
        user.primary_email.as_deref(),
        token,
        hint,
        query.get("prompt").map(String::as_str),
        || token_problem(state, token, hint),
    )
}

/// `session.not_found` as Logto's consent route raises it when the interaction has no signed-in session
/// (a plain `RequestError`: no OIDC `error` fields).
fn no_session() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "session.not_found")
}

/// `GET /api/interaction/consent`: the interaction's application and the signed-in user.
async fn consent_info(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let uid = session::cookie(&headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    let (client_id, redirect_uri) = {
        let mut store = state.store();
        let interaction = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
        (interaction.client_id.clone(), interaction.redirect_uri.clone())
    };
    let user = session_user(&state, &headers).ok_or_else(no_session)?;
    let name = if client_id == DEMO_CLIENT_ID { DEMO_APP_NAME } else { client_id.as_str() };
    let body = json!({
        "application": { "id": client_id, "name": name },
        "user": {
            "id": user.id,
            "name": user.name,
            "avatar": user.profile.get("avatar").cloned().unwrap_or(Value::Null),
            "username": user.username,
            "primaryEmail": user.primary_email,
            "primaryPhone": user.primary_phone,
        },
        "redirectUri": redirect_uri,
    });
    Ok(json_response(StatusCode::OK, &body))
}
