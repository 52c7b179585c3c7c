//! The OIDC side: `/oidc/auth` (start + resume) and `/oidc/token`, for one public PKCE client.

use crate::interactions::{
    self, AuthCode, Interaction, INTERACTION_COOKIE, INTERACTION_TTL, LOGTO_COOKIE, RESUME_COOKIE,
};
use crate::landing::{landing_url, logto_cookie_value, ExtraParams};
use crate::state::AppState;
use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CODE_TTL: Duration = Duration::from_secs(60);
const ACCESS_TOKEN_TTL: u64 = 3600;

/// First value of each query/form parameter.
pub fn parse_pairs(raw: Option<&str>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    map
}

/// An error page for requests that cannot be sent back to the client (unknown client or redirect URI).
pub fn error_page(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1><p>{d}</p></body></html>",
        t = html_escape(title),
        d = html_escape(detail)
    );
    (status, Html(body)).into_response()
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// 303 with a small HTML body, like oidc-provider's redirects.
fn see_other(location: &str, cookies: Vec<String>) -> Response {
    let body = format!("Redirecting to <a href=\"{0}\">{0}</a>.", html_escape(location));
    let mut res = (StatusCode::SEE_OTHER, Html(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Sends an authorization error back to the client, as OAuth requires once the redirect URI is trusted.
fn redirect_error(
    state: &AppState,
    redirect_uri: &str,
    client_state: Option<&String>,
    error: &str,
    description: &str,
) -> Response {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("error", error).append_pair("error_description", description);
    if let Some(s) = client_state {
        q.append_pair("state", s);
    }
    q.append_pair("iss", &state.issuer());
    see_other(&format!("{redirect_uri}?{}", q.finish()), Vec::new())
}

/// `GET /oidc/auth`: validates the request, opens an interaction and sends the browser to the sign-in page.
pub async fn authorize(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let q = parse_pairs(raw.as_deref());
    let client_id = q.get("client_id").cloned().unwrap_or_default();
    let Some(redirect_uris) = state.redirect_uris(&client_id) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unknown application",
            "The client_id of this sign-in request is not registered.",
        );
    };
    let redirect_uri = q.get("redirect_uri").cloned().unwrap_or_default();
    if !redirect_uris.contains(&redirect_uri) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unregistered redirect URI",
            "The redirect_uri of this sign-in request is not registered for the application.",
        );
    }
    let client_state = q.get("state");
    if q.get("response_type").map(String::as_str) != Some("code") {
        return redirect_error(
            &state,
            &redirect_uri,
            client_state,
            "unsupported_response_type",
            "only the code response type is supported",
        );
    }
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    if challenge.is_empty() || q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return redirect_error(
            &state,
            &redirect_uri,
            client_state,
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required",
        );
    }
    if !(43..=128).contains(&challenge.len())
        || !challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return redirect_error(
            &state,
            &redirect_uri,
            client_state,
            "invalid_request",
            "code_challenge is not a valid S256 challenge",
        );
    }
    if let Some(prompt) = q.get("prompt") {
        // `login` and `consent` both land on the sign-in page (a remembered session is only used for the
        // magic-link account switch below, see `crate::consent`); `none` cannot succeed; anything else (Logto
        // registers no `create` prompt) is unsupported.
        for p in prompt.split_whitespace() {
            match p {
                "login" | "consent" => {}
                "none" => {
                    return redirect_error(
                        &state,
                        &redirect_uri,
                        client_state,
                        "login_required",
                        "the user must sign in",
                    )
                }
                _ => {
                    return redirect_error(
                        &state,
                        &redirect_uri,
                        client_state,
                        "invalid_request",
                        "this prompt value is not supported",
                    )
                }
            }
        }
    }
    let extra = ExtraParams::parse(&q);
    // Signed in already and holding a magic link: Logto's consent guard decides (switch account, or the link).
    let landing =
        crate::consent::signed_in_landing(&state, &headers, &q).unwrap_or_else(|| landing_url(&client_id, &extra));
    let uid = crate::random::token43();
    let interaction = Interaction {
        uid: uid.clone(),
        client_id: client_id.clone(),
        redirect_uri,
        state: client_state.cloned(),
        scope: q.get("scope").cloned().unwrap_or_else(|| "openid".into()),
        resource: q.get("resource").cloned(),
        device_code: None,
        code_challenge: challenge,
        landing: landing.clone(),
        expires_at: Instant::now() + INTERACTION_TTL,
        experience: None,
        result: None,
        passkey_challenge: None,
        grant: None,
    };
    state.store().interactions.insert(uid.clone(), interaction);
    let mut cookies = vec![
        interactions::set_cookie(LOGTO_COOKIE, &logto_cookie_value(&client_id, &extra), "/", None, false),
        interactions::set_cookie(INTERACTION_COOKIE, &uid, "/", Some(INTERACTION_TTL), true),
        interactions::set_cookie(RESUME_COOKIE, &uid, &format!("/oidc/auth/{uid}"), Some(INTERACTION_TTL), true),
    ];
    cookies.extend(crate::one_tap::landing_cookie(&extra));
    see_other(&landing, cookies)
}

/// `GET /oidc/auth/:uid`: after submit, issue the code; before it, go back to the sign-in page. A third-party
/// application needs the person's consent first: the browser, now signed in, goes to `/consent` until it is given
/// (first-party applications are consented to without asking, as Logto's core does).
pub async fn resume(State(state): State<AppState>, Path(uid): Path<String>, headers: HeaderMap) -> Response {
    if interactions::cookie(&headers, RESUME_COOKIE).as_deref() != Some(uid.as_str()) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Sign-in session not found",
            "This sign-in has expired or belongs to another browser. Start again from the application.",
        );
    }
    let mut store = state.store();
    let Some(interaction) = store.interaction_mut(&uid) else {
        drop(store);
        return error_page(
            StatusCode::BAD_REQUEST,
            "Sign-in session not found",
            "This sign-in has expired. Start again from the application.",
        );
    };
    let Some(user_id) = interaction.result.clone() else {
        return see_other(&interaction.landing.clone(), Vec::new());
    };
    if let Some(device_code) = interaction.device_code.clone() {
        store.interactions.remove(&uid);
        let remembered = crate::consent::remember(&mut store, &headers, &user_id, state.now());
        drop(store);
        crate::device::approve(&state, &device_code, &user_id);
        return see_other(
            "/device/success",
            vec![interactions::clear_cookie(RESUME_COOKIE, &format!("/oidc/auth/{uid}")), remembered],
        );
    }
    if interaction.grant.is_none() && state.is_third_party(&interaction.client_id) {
        let consent = format!(
            "/consent?{}",
            form_urlencoded::Serializer::new(String::new()).append_pair("app_id", &interaction.client_id).finish()
        );
        let remembered = crate::consent::remember(&mut store, &headers, &user_id, state.now());
        return see_other(&consent, vec![remembered]);
    }
    let Some(interaction) = store.interactions.remove(&uid) else {
        return error_page(StatusCode::BAD_REQUEST, "Sign-in session not found", "");
    };
    let (scope, organizations) = match interaction.grant {
        Some(grant) => (grant.scope, Some(grant.organizations)),
        None => (interaction.scope, None),
    };
    let code = crate::random::token43();
    // The browser is now remembered as this user (replacing whoever was signed in before).
    let remembered = crate::consent::remember(&mut store, &headers, &user_id, state.now());
    store.codes.insert(
        code.clone(),
        AuthCode {
            client_id: interaction.client_id,
            redirect_uri: interaction.redirect_uri.clone(),
            code_challenge: interaction.code_challenge,
            scope,
            organizations,
            user_id,
            expires_at: Instant::now() + CODE_TTL,
        },
    );
    drop(store);
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("code", &code);
    if let Some(s) = &interaction.state {
        q.append_pair("state", s);
    }
    q.append_pair("iss", &state.issuer());
    let cookies = vec![interactions::clear_cookie(RESUME_COOKIE, &format!("/oidc/auth/{uid}")), remembered];
    see_other(&format!("{}?{}", interaction.redirect_uri, q.finish()), cookies)
}

/// An OAuth token-endpoint error (`{error, error_description}`).
#[derive(Debug)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn new(error: &'static str, description: &str) -> Self {
        Self { error, description: description.into() }
    }

    pub fn grant(description: &str) -> Self {
        Self::new("invalid_grant", description)
    }
}

/// The authorization-code exchange, shared by `/oidc/token` and the in-process demo client.
pub fn exchange_code(state: &AppState, form: &HashMap<String, String>) -> Result<Value, OAuthError> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    if field("grant_type") != "authorization_code" {
        return Err(OAuthError {
            error: "unsupported_grant_type",
            description: "only authorization_code is supported".into(),
        });
    }
    if state.redirect_uris(field("client_id")).is_none() {
        return Err(OAuthError { error: "invalid_client", description: "unknown client_id".into() });
    }
    // Codes are single use: taken out of the store before anything else is checked.
    let code = state
        .store()
        .codes
        .remove(field("code"))
        .ok_or_else(|| OAuthError::grant("the code is unknown or was already used"))?;
    if code.expires_at <= Instant::now() {
        return Err(OAuthError::grant("the code has expired"));
    }
    if code.client_id != field("client_id") || code.redirect_uri != field("redirect_uri") {
        return Err(OAuthError::grant("client_id or redirect_uri does not match the authorization request"));
    }
    let verifier = field("code_verifier");
    if verifier.is_empty() || pkce_challenge(verifier) != code.code_challenge {
        return Err(OAuthError::grant("PKCE verification failed"));
    }
    tokens(state, &code.client_id, &code.scope, &code.user_id, code.organizations.as_deref())
}

/// The token response for `user_id` signed in to `client_id` with `scope` (and, from a consent, `organizations`).
pub fn tokens(
    state: &AppState,
    client_id: &str,
    scope: &str,
    user_id: &str,
    organizations: Option<&[String]>,
) -> Result<Value, OAuthError> {
    let user = state.users().by_id(user_id).cloned().ok_or_else(|| OAuthError::grant("the user no longer exists"))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut claims = json!({
        "sub": user.id,
        "name": user.name,
        "username": user.username,
        "preferred_username": user.username,
        "iss": state.issuer(),
        "aud": client_id,
        "exp": now + ACCESS_TOKEN_TTL,
        "iat": now,
    });
    if scope.split_whitespace().any(|s| s == "email") {
        claims["email"] = json!(user.primary_email);
    }
    if let Some(organizations) = organizations {
        claims["organizations"] = json!(organizations);
    }
    Ok(json!({
        "access_token": crate::random::token43(),
        "expires_in": ACCESS_TOKEN_TTL,
        "id_token": sign_jwt(&state.jwt_key, &claims),
        "scope": scope,
        "token_type": "Bearer",
    }))
}

/// `POST /oidc/token`
pub async fn token(State(state): State<AppState>, RawForm(body): RawForm) -> Response {
    let form = parse_pairs(std::str::from_utf8(&body).ok());
    let granted = match form.get("grant_type").map(String::as_str) {
        Some(crate::device::GRANT_TYPE) => crate::device::poll(&state, &form),
        _ => exchange_code(&state, &form),
    };
    let (status, body) = match granted {
        Ok(tokens) => (StatusCode::OK, tokens),
        Err(e) => (StatusCode::BAD_REQUEST, json!({ "error": e.error, "error_description": e.description })),
    };
    let mut res = crate::errors::json_response(status, &body);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `BASE64URL(SHA256(verifier))`
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Test infrastructure only: an HS256 id_token signed with a per-process key. Real Logto signs with
/// ES384 and publishes JWKS; nothing here should be mistaken for a production token.
pub fn sign_jwt(key: &[u8], claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// The claims of a JWT (no signature check: only used on tokens this process just made).
pub fn jwt_claims(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
