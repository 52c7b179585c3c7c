//! The remembered sign-in (oidc-provider's `_session` cookie) and what Logto builds on it for the page:
//! the magic-link account switch of Logto's consent guard ("Switch account" in `docs/experience-api.md`) and the legacy
//! `GET /api/interaction/consent` that `/switch-account` reads to say who is signed in.
//!
//! Deviation (see `provider/README.md`): a remembered session is only used for the magic-link switch. A new
//! `/oidc/auth` in the same browser still shows the sign-in page; Logto would sign the person in silently.

use crate::errors::{json_response, ApiError};
use crate::input_guard::parse_body;
use crate::interactions::{self, Grant, Store, INTERACTION_COOKIE};
use crate::landing;
use crate::state::{AppState, DEMO_CLIENT_ID};
use crate::users::User;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use sign_in_core::api::{ConsentApplication, ConsentBody, ConsentInfoResponse, ConsentUser, SubmitResponse};
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
    Router::new()
        .route("/api/interaction/consent", get(consent_info).post(grant))
        .route("/oidc/session/end", get(end_session))
}

/// Remembers `user_id` as the browser's signed-in user under a new session id (the browser's previous session,
/// if any, ends: a sign-in as someone else replaces it). Returns the `Set-Cookie` value.
pub fn remember(store: &mut Store, headers: &HeaderMap, user_id: &str, now: Instant) -> String {
    if let Some(old) = interactions::cookie(headers, SESSION_COOKIE) {
        store.sessions.remove(&old);
    }
    let id = crate::random::token43();
    store.sessions.insert(id.clone(), RememberedSession { user_id: user_id.to_owned(), expires_at: now + SESSION_TTL });
    interactions::set_cookie(SESSION_COOKIE, &id, "/", Some(SESSION_TTL), true)
}

/// The user the browser's `_session` cookie names, if that session is live and the account still exists.
pub fn session_user(state: &AppState, headers: &HeaderMap) -> Option<User> {
    let id = interactions::cookie(headers, SESSION_COOKIE)?;
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

/// What the consent routes need of the browser's interaction.
struct Pending {
    uid: String,
    client_id: String,
    redirect_uri: String,
    client_state: Option<String>,
    scope: String,
    resource: Option<String>,
}

fn pending(state: &AppState, headers: &HeaderMap) -> Result<Pending, ApiError> {
    let uid = interactions::cookie(headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    let mut store = state.store();
    let i = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
    Ok(Pending {
        client_id: i.client_id.clone(),
        redirect_uri: i.redirect_uri.clone(),
        client_state: i.state.clone(),
        scope: i.scope.clone(),
        resource: i.resource.clone(),
        uid,
    })
}

/// The client's redirect URI finishing the request with `access_denied`: where "Cancel" goes (Logto's page
/// sends the browser to the answer's `redirectUri` as it is).
fn denial_uri(state: &AppState, p: &Pending) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("error", "access_denied").append_pair("error_description", "the person declined the request");
    if let Some(s) = &p.client_state {
        q.append_pair("state", s);
    }
    q.append_pair("iss", &state.issuer());
    let joiner = if p.redirect_uri.contains('?') { '&' } else { '?' };
    format!("{}{joiner}{}", p.redirect_uri, q.finish())
}

/// `GET /api/interaction/consent`: the interaction's application and the signed-in user; for a third-party
/// application also what it asks for (user scopes, the requested resource's scopes, the account's organizations
/// when organizations are asked for).
async fn consent_info(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let p = pending(&state, &headers)?;
    let user = session_user(&state, &headers).ok_or_else(no_session)?;
    let consent_user = ConsentUser {
        id: user.id.clone(),
        name: user.name.clone(),
        avatar: user.profile.get("avatar").and_then(Value::as_str).map(str::to_owned),
        username: user.username.clone(),
        primary_email: user.primary_email.clone(),
        primary_phone: user.primary_phone.clone(),
    };
    let body = match state.catalogue.app(&p.client_id) {
        Some(app) => {
            let request = state.catalogue.request(&p.scope, p.resource.as_deref());
            ConsentInfoResponse {
                application: app.public(),
                user: consent_user,
                organizations: request
                    .organizations
                    .then(|| state.catalogue.organizations_of(&user.id, &p.scope, p.resource.as_deref())),
                missing_oidc_scope: Some(request.user_scopes),
                missing_resource_scopes: Some(request.resource_scopes.into_iter().collect()),
                redirect_uri: Some(denial_uri(&state, &p)),
            }
        }
        None => {
            let name = if p.client_id == DEMO_CLIENT_ID { DEMO_APP_NAME } else { p.client_id.as_str() };
            let application = ConsentApplication { id: p.client_id.clone(), name: name.into(), ..Default::default() };
            ConsentInfoResponse {
                application,
                user: consent_user,
                organizations: None,
                missing_oidc_scope: None,
                missing_resource_scopes: None,
                redirect_uri: Some(p.redirect_uri.clone()),
            }
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// `oidc.access_denied` as Logto answers a consent the account may not give (an organization it is not a
/// member of).
fn access_denied() -> ApiError {
    let mut e = ApiError::new(StatusCode::FORBIDDEN, "oidc.access_denied");
    e.body.error = Some("access_denied".into());
    e.body.error_description = Some("the account is not a member of the organization".into());
    e
}

/// `POST /api/interaction/consent {organizationIds?}`: grants what the request asks for (with the chosen
/// organizations) and answers where the browser goes on: the interaction's resume, which issues the code.
async fn grant(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let p = pending(&state, &headers)?;
    let user = session_user(&state, &headers).ok_or_else(no_session)?;
    let body: ConsentBody = serde_json::from_value(parse_body(&body)?).map_err(|e| {
        ApiError::invalid_input(vec![
            json!({"code": "invalid_type", "path": ["organizationIds"], "message": e.to_string()}),
        ])
    })?;
    let organizations = body.organization_ids.unwrap_or_default();
    if organizations.iter().any(|o| !state.catalogue.is_member(o, &user.id)) {
        return Err(access_denied());
    }
    let request = state.catalogue.request(&p.scope, p.resource.as_deref());
    // Everything asked for that the person was shown, plus what grants nothing about them.
    let mut scopes: Vec<String> =
        p.scope.split_whitespace().filter(|s| matches!(*s, "openid" | "offline_access")).map(str::to_owned).collect();
    scopes.extend(request.user_scopes);
    let chosen = state.catalogue.organizations_of(&user.id, &p.scope, p.resource.as_deref());
    let organization_scopes = chosen
        .into_iter()
        .filter(|o| organizations.contains(&o.id))
        .flat_map(|o| o.missing_resource_scopes.unwrap_or_default());
    for group in request.resource_scopes.into_iter().chain(organization_scopes) {
        for scope in group.scopes {
            if !scopes.contains(&scope.name) {
                scopes.push(scope.name);
            }
        }
    }
    {
        let mut store = state.store();
        let interaction = store.interaction_mut(&p.uid).ok_or_else(ApiError::session_not_found)?;
        interaction.result = Some(user.id.clone());
        interaction.grant = Some(Grant { scope: scopes.join(" "), organizations });
    }
    let redirect_to = format!("{}/oidc/auth/{}", state.origin, p.uid);
    Ok(json_response(StatusCode::OK, &SubmitResponse { redirect_to }))
}

/// `GET /oidc/session/end?client_id=…`: signs the browser out. When a sign-in is under way (the consent screen's
/// "Use another account") it goes back to that sign-in's first screen; otherwise a short page says so.
/// Logto's oidc-provider first asks to confirm; this double signs out at once (provider/README.md).
async fn end_session(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let q = crate::oidc::parse_pairs(raw.as_deref());
    if let Some(client_id) = q.get("client_id") {
        if state.redirect_uris(client_id).is_none() {
            return crate::oidc::error_page(
                StatusCode::BAD_REQUEST,
                "Unknown application",
                "The client_id of this sign-out request is not registered.",
            );
        }
    }
    let mut store = state.store();
    if let Some(id) = interactions::cookie(&headers, SESSION_COOKIE) {
        store.sessions.remove(&id);
    }
    let resume = interactions::cookie(&headers, INTERACTION_COOKIE).and_then(|uid| {
        let interaction = store.interaction_mut(&uid)?;
        interaction.result = None;
        interaction.grant = None;
        interaction.experience = None;
        Some(format!("/oidc/auth/{uid}"))
    });
    drop(store);
    let cleared = interactions::clear_cookie(SESSION_COOKIE, "/");
    let mut res = match resume {
        Some(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
        None => crate::oidc::error_page(StatusCode::OK, "Signed out", "You are signed out. You can close this page."),
    };
    if let Ok(v) = HeaderValue::from_str(&cleared) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
