//! The OAuth 2.0 device authorization grant (RFC 8628) as Logto's oidc-provider runs it (see
//! `provider/README.md`, "Device flow"): `POST /oidc/device/auth` for the device, `GET`/`POST /oidc/device` for the
//! browser (the page `/device` posts the user code there), the sign-in, `/device/success`, and token polling.

use crate::interactions::{self, Interaction, INTERACTION_COOKIE, INTERACTION_TTL, LOGTO_COOKIE, RESUME_COOKIE};
use crate::landing::{landing_url, logto_cookie_value, ExtraParams};
use crate::local_only::LocalCaller;
use crate::oidc::{parse_pairs, OAuthError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawForm, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use sign_in_core::device::{normalize_user_code, USER_CODE_ALPHABET, USER_CODE_LENGTH, XSRF_COOKIE};
use std::time::{Duration, Instant};

/// oidc-provider's defaults: a device code lives 10 minutes and is polled at most every 5 seconds.
pub const DEVICE_CODE_TTL: Duration = Duration::from_secs(600);
pub const POLL_INTERVAL: u64 = 5;
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// One device authorization.
#[derive(Debug, Clone)]
pub struct DeviceGrant {
    pub client_id: String,
    pub scope: String,
    pub user_code: String,
    pub expires_at: Instant,
    /// Seconds the device must wait between polls (grows by 5 with every `slow_down`).
    pub interval: u64,
    pub last_poll: Option<Instant>,
    pub status: DeviceStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Waiting for the person to enter the code.
    Pending,
    /// The code was entered; the sign-in of this interaction is under way.
    Entered,
    /// Signed in as this user; the next poll gets the tokens.
    Approved(String),
    /// The person aborted.
    Denied,
    /// The tokens were issued.
    Done,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oidc/device/auth", post(authorize_device))
        .route("/oidc/device", get(code_page).post(enter_code))
        .route("/admin/device-codes/expire", post(expire))
}

fn form_of(body: &[u8]) -> std::collections::HashMap<String, String> {
    parse_pairs(std::str::from_utf8(body).ok())
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    crate::errors::json_response(status, &json!({ "error": error, "error_description": description }))
}

/// A new user code: eight letters of the base-20 alphabet, `XXXX-XXXX`.
fn new_user_code() -> String {
    let alphabet: Vec<char> = USER_CODE_ALPHABET.chars().collect();
    let letters: String =
        crate::random::bytes::<USER_CODE_LENGTH>().iter().map(|b| alphabet[*b as usize % alphabet.len()]).collect();
    normalize_user_code(&letters)
}

/// `POST /oidc/device/auth {client_id, scope}`: a device asks to be signed in.
async fn authorize_device(State(state): State<AppState>, RawForm(body): RawForm) -> Response {
    let form = form_of(&body);
    let client_id = form.get("client_id").map(String::as_str).unwrap_or_default();
    let Some(body) = start(&state, client_id, form.get("scope").map(String::as_str).unwrap_or("openid")) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "unknown client_id or not a device client");
    };
    let mut res = crate::errors::json_response(StatusCode::OK, &body);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A new device authorization for `client_id` (the answer of `/oidc/device/auth`), shared with the device demo;
/// `None` for a client that is not a device client.
pub fn start(state: &AppState, client_id: &str, scope: &str) -> Option<Value> {
    if !state.catalogue.is_device_client(client_id) {
        return None;
    }
    let device_code = crate::random::token43();
    let user_code = new_user_code();
    let grant = DeviceGrant {
        client_id: client_id.to_owned(),
        scope: scope.to_owned(),
        user_code: user_code.clone(),
        expires_at: state.now() + DEVICE_CODE_TTL,
        interval: POLL_INTERVAL,
        last_poll: None,
        status: DeviceStatus::Pending,
    };
    state.store().device_grants.insert(device_code.clone(), grant);
    let verification_uri = format!("{}/device", state.issuer());
    Some(json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": format!("{verification_uri}?user_code={user_code}"),
        "expires_in": DEVICE_CODE_TTL.as_secs(),
        "interval": POLL_INTERVAL,
    }))
}

fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// `/device` with the code kept and, after a refusal, why.
fn device_page(user_code: Option<&str>, error: Option<&str>) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(user_code.filter(|c| !c.is_empty()).map(|c| ("user_code", c)))
        .extend_pairs(error.map(|e| ("error", e)))
        .finish();
    if query.is_empty() {
        "/device".into()
    } else {
        format!("/device?{query}")
    }
}

/// `GET /oidc/device[?user_code=…]` (the `verification_uri`): a fresh xsrf cookie, then the page `/device`.
async fn code_page(RawQuery(raw): RawQuery) -> Response {
    let q = parse_pairs(raw.as_deref());
    // Not HttpOnly: the page reads it and sends it back in the form.
    let xsrf = interactions::set_cookie(XSRF_COOKIE, &crate::random::token43(), "/", Some(INTERACTION_TTL), false);
    see_other(&device_page(q.get("user_code").map(String::as_str), None), &[xsrf])
}

/// `POST /oidc/device {user_code, xsrf, confirm|abort}`: the page's form. A good code starts the sign-in (an
/// interaction for the device's client); a bad one goes back to `/device` saying why.
async fn enter_code(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let form = form_of(&body);
    let typed = normalize_user_code(form.get("user_code").map(String::as_str).unwrap_or(""));
    let xsrf = interactions::cookie(&headers, XSRF_COOKIE);
    if xsrf.is_none() || xsrf.as_deref() != form.get("xsrf").map(String::as_str) {
        // A stale or missing cookie: a fresh one, and the person tries again.
        return code_page(RawQuery(Some(format!("user_code={typed}")))).await;
    }
    let now = state.now();
    let mut store = state.store();
    let Some((device_code, grant)) = store.device_grants.iter_mut().find(|(_, g)| g.user_code == typed) else {
        return see_other(&device_page(Some(&typed), Some("not_found")), &[]);
    };
    let refusal = match grant.status {
        _ if grant.expires_at <= now => Some("expired"),
        DeviceStatus::Denied => Some("aborted"),
        DeviceStatus::Pending | DeviceStatus::Entered => None,
        DeviceStatus::Approved(_) | DeviceStatus::Done => Some("already_used"),
    };
    if let Some(refusal) = refusal {
        return see_other(&device_page(Some(&typed), Some(refusal)), &[]);
    }
    if form.contains_key("abort") {
        grant.status = DeviceStatus::Denied;
        return see_other(&device_page(None, Some("aborted")), &[]);
    }
    if !form.contains_key("confirm") {
        return see_other(&device_page(Some(&typed), None), &[]);
    }
    grant.status = DeviceStatus::Entered;
    let (client_id, scope, device_code) = (grant.client_id.clone(), grant.scope.clone(), device_code.clone());
    let extra = ExtraParams::default();
    let landing = landing_url(&client_id, &extra);
    let uid = crate::random::token43();
    store.interactions.insert(
        uid.clone(),
        Interaction {
            uid: uid.clone(),
            client_id: client_id.clone(),
            redirect_uri: String::new(),
            state: None,
            scope,
            resource: None,
            code_challenge: String::new(),
            landing: landing.clone(),
            expires_at: Instant::now() + INTERACTION_TTL,
            experience: None,
            result: None,
            passkey_challenge: None,
            grant: None,
            device_code: Some(device_code),
        },
    );
    drop(store);
    let cookies = [
        interactions::set_cookie(LOGTO_COOKIE, &logto_cookie_value(&client_id, &extra), "/", None, false),
        interactions::set_cookie(INTERACTION_COOKIE, &uid, "/", Some(INTERACTION_TTL), true),
        interactions::set_cookie(RESUME_COOKIE, &uid, &format!("/oidc/auth/{uid}"), Some(INTERACTION_TTL), true),
        interactions::clear_cookie(XSRF_COOKIE, "/"),
    ];
    see_other(&landing, &cookies)
}

/// The sign-in of a device interaction is done: the device's next poll gets tokens for `user_id`.
pub fn approve(state: &AppState, device_code: &str, user_id: &str) {
    if let Some(grant) = state.store().device_grants.get_mut(device_code) {
        grant.status = DeviceStatus::Approved(user_id.to_owned());
    }
}

/// The device-code grant of `/oidc/token`: `authorization_pending`, `slow_down`, `expired_token`,
/// `access_denied`, or the tokens (once).
pub fn poll(state: &AppState, form: &std::collections::HashMap<String, String>) -> Result<Value, OAuthError> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let now = state.now();
    let user_id = {
        let mut store = state.store();
        let grant = store
            .device_grants
            .get_mut(field("device_code"))
            .filter(|g| g.client_id == field("client_id"))
            .ok_or_else(|| OAuthError::grant("the device code is unknown or belongs to another client"))?;
        if grant.expires_at <= now {
            return Err(OAuthError::new("expired_token", "the device code has expired"));
        }
        let too_soon = grant.last_poll.is_some_and(|last| now < last + Duration::from_secs(grant.interval));
        grant.last_poll = Some(now);
        match &grant.status {
            DeviceStatus::Denied => return Err(OAuthError::new("access_denied", "the person declined")),
            DeviceStatus::Done => return Err(OAuthError::grant("the device code was already used")),
            DeviceStatus::Pending | DeviceStatus::Entered if too_soon => {
                grant.interval += 5;
                return Err(OAuthError::new("slow_down", "polling too fast: wait longer between requests"));
            }
            DeviceStatus::Pending | DeviceStatus::Entered => {
                return Err(OAuthError::new("authorization_pending", "the person has not signed in yet"))
            }
            DeviceStatus::Approved(user_id) => {
                let user_id = user_id.clone();
                grant.status = DeviceStatus::Done;
                user_id
            }
        }
    };
    let (client_id, scope) = {
        let store = state.store();
        let g = store.device_grants.get(field("device_code")).expect("taken above");
        (g.client_id.clone(), g.scope.clone())
    };
    crate::oidc::tokens(state, &client_id, &scope, &user_id, None)
}

/// `POST /admin/device-codes/expire {"userCode"}` (local callers only): ends one code's life now, so the browser
/// suite can show the expired-code message without waiting or moving the clock for every other test.
async fn expire(_: LocalCaller, State(state): State<AppState>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let code = normalize_user_code(body["userCode"].as_str().unwrap_or(""));
    let now = state.now();
    let mut store = state.store();
    match store.device_grants.values_mut().find(|g| g.user_code == code) {
        Some(grant) => {
            grant.expires_at = now;
            StatusCode::NO_CONTENT.into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
