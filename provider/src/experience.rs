//! The Experience API (`/api/experience/*`): password sign-in for this slice.

use crate::errors::{json_response, ApiError};
use crate::input_guard::{self, parse_body};
use crate::session::{self, Experience, Interaction, VerificationRecord, INTERACTION_COOKIE};
use crate::state::AppState;
use crate::users;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::json;
use sign_in_core::api::{IdentifierType, InteractionEvent, SubmitResponse, VerificationIdResponse};
use sign_in_core::config::SignInMode;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/experience", put(start))
        .route("/api/experience/interaction-event", put(switch_event))
        .route("/api/experience/interaction", get(interaction))
        .route("/api/experience/verification/password", post(verify_password))
        .route("/api/experience/identification", post(identify))
        .route("/api/experience/submit", post(submit))
        .route("/api/experience/sso-connectors", get(sso_connectors))
}

type ApiResult = Result<Response, ApiError>;

/// The uid named by the `_interaction` cookie, if that interaction is live.
fn live_uid(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let uid = session::cookie(headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    match state.store().interaction_mut(&uid) {
        Some(_) => Ok(uid),
        None => Err(ApiError::session_not_found()),
    }
}

/// Runs `f` on the interaction's Experience state; 404 `session.interaction_not_found` before the PUT.
fn with_experience<T>(
    state: &AppState,
    uid: &str,
    f: impl FnOnce(&mut Experience, &mut Interaction) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut store = state.store();
    let interaction = store.interaction_mut(uid).ok_or_else(ApiError::session_not_found)?;
    let mut experience = interaction.experience.take().ok_or_else(ApiError::interaction_not_found)?;
    let out = f(&mut experience, interaction);
    interaction.experience = Some(experience);
    out
}

/// Checks that the session exists and `PUT /api/experience` has happened, before the body is looked at.
fn require_experience(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let uid = live_uid(state, headers)?;
    with_experience(state, &uid, |_, _| Ok(()))?;
    Ok(uid)
}

/// Whether the sign-in mode allows this kind of interaction (`auth.forbidden` otherwise).
fn guard_event(state: &AppState, event: InteractionEvent) -> Result<(), ApiError> {
    let mode = state.sie.typed.sign_in_mode;
    let allowed = match event {
        InteractionEvent::SignIn => mode != SignInMode::Register,
        InteractionEvent::Register => mode != SignInMode::SignIn,
        InteractionEvent::ForgotPassword => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// `PUT /api/experience`: (re)starts the interaction, dropping earlier verifications and profile.
async fn start(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = live_uid(&state, &headers)?;
    let body = input_guard::interaction_event_body(&parse_body(&body)?)?;
    guard_event(&state, body.interaction_event)?;
    let mut store = state.store();
    let interaction = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
    interaction.experience = Some(Experience::new(body.interaction_event));
    interaction.result = None;
    Ok(no_content())
}

/// `PUT /api/experience/interaction-event`
async fn switch_event(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::interaction_event_body(&parse_body(&body)?)?;
    let next = body.interaction_event;
    with_experience(&state, &uid, |exp, _| {
        let forgot = InteractionEvent::ForgotPassword;
        if exp.event != next && (exp.event == forgot || next == forgot) {
            return Err(ApiError::not_supported_for_forgot_password());
        }
        guard_event(&state, next)?;
        if exp.event != next {
            exp.event = next;
            exp.profile.clear();
        }
        Ok(no_content())
    })
}

/// `GET /api/experience/interaction`: the sanitized interaction.
async fn interaction(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let ip = peer.map(|Extension(ConnectInfo(addr))| addr.ip().to_string()).unwrap_or_else(|| "127.0.0.1".into());
    with_experience(&state, &uid, |exp, _| {
        let mut body = json!({
            "interactionEvent": exp.event,
            "profile": exp.profile,
            "verificationRecords": exp.records.iter().map(VerificationRecord::sanitized).collect::<Vec<_>>(),
            "mfa": {},
            "signInContext": { "ip": ip },
            "captcha": { "verified": false, "skipped": false },
        });
        if let Some(user) = &exp.user_id {
            body["userId"] = json!(user);
        }
        Ok(json_response(StatusCode::OK, &body))
    })
}

/// `POST /api/experience/verification/password`
async fn verify_password(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::password_body(&parse_body(&body)?)?;
    let kind = body.identifier.kind;
    // A method that is not enabled for password sign-in answers exactly like a wrong password (as Logto does).
    let enabled = state.sie.typed.sign_in.methods.iter().any(|m| m.identifier == kind && m.password);
    let user = state.users.find(&body.identifier).filter(|_| enabled).ok_or_else(ApiError::invalid_credentials)?;
    let sentinel = state.sie.sentinel();
    {
        let mut store = state.store();
        let attempts = store.attempts.entry(user.id.clone()).or_default();
        let now = Instant::now();
        if attempts.locked_until.is_some_and(|t| t > now) {
            return Err(ApiError::too_many_attempts());
        }
        attempts.failures.retain(|t| now.duration_since(*t) < sentinel.lockout);
    }
    // argon2 is slow on purpose: verify without holding the store lock.
    if !users::verify_password(user, &body.password) {
        let mut store = state.store();
        let attempts = store.attempts.entry(user.id.clone()).or_default();
        attempts.failures.push(Instant::now());
        if attempts.failures.len() >= sentinel.max_attempts {
            attempts.locked_until = Some(Instant::now() + sentinel.lockout);
            attempts.failures.clear();
        }
        return Err(ApiError::invalid_credentials());
    }
    state.store().attempts.remove(&user.id);
    let id = crate::random::verification_id();
    let record = VerificationRecord::Password { id: id.clone(), identifier: body.identifier, user_id: user.id.clone() };
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(record);
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id }))
    })
}

/// What a new account still lacks, from `signUp` (Logto's `user.missing_profile` order).
fn missing_sign_up_profile(state: &AppState, exp: &Experience) -> Vec<&'static str> {
    let sign_up = &state.sie.typed.sign_up;
    let has = |t: IdentifierType| sign_up.identifiers.contains(&t);
    let mut missing = Vec::new();
    if has(IdentifierType::Username) {
        missing.push("username");
    }
    match (has(IdentifierType::Email), has(IdentifierType::Phone)) {
        (true, true) => missing.push("emailOrPhone"),
        (true, false) => missing.push("email"),
        (false, true) => missing.push("phone"),
        _ => {}
    }
    for secondary in &sign_up.secondary_identifiers {
        let key: &'static str = match secondary.identifier.as_str() {
            "username" => "username",
            "email" => "email",
            "phone" => "phone",
            "emailOrPhone" => "emailOrPhone",
            _ => continue,
        };
        if !missing.contains(&key) {
            missing.push(key);
        }
    }
    if sign_up.password {
        missing.push("password");
    }
    missing.retain(|k| !exp.profile.contains_key(*k));
    missing
}

/// `POST /api/experience/identification`
async fn identify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::identification_body(&parse_body(&body)?)?;
    with_experience(&state, &uid, |exp, _| {
        if exp.event == InteractionEvent::Register {
            // Creating accounts arrives with the profile endpoints; until then the profile is always incomplete.
            return Err(ApiError::missing_profile(&missing_sign_up_profile(&state, exp)));
        }
        let Some(vid) = body.verification_id.as_deref() else {
            return Err(ApiError::invalid_input(
                vec![json!({"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["verificationId"], "message": "Required"})],
                "body",
            ));
        };
        let record = exp.record(vid).ok_or_else(ApiError::verification_session_not_found)?;
        // Resetting a password needs a code sent to the account, not the old password.
        if exp.event == InteractionEvent::ForgotPassword && matches!(record, VerificationRecord::Password { .. }) {
            return Err(ApiError::verification_session_not_found());
        }
        let user_id = record.verified_user().ok_or_else(ApiError::verification_session_not_found)?.to_owned();
        if state.users.by_id(&user_id).is_none() {
            let VerificationRecord::Password { identifier, .. } = record;
            return Err(ApiError::user_not_exist(&identifier.value));
        }
        if exp.user_id.as_deref().is_some_and(|u| u != user_id) {
            return Err(ApiError::identity_conflict());
        }
        exp.user_id = Some(user_id);
        Ok(no_content())
    })
}

/// `POST /api/experience/submit`
async fn submit(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, interaction| {
        let user_id = exp.user_id.clone().ok_or_else(ApiError::identifier_not_found)?;
        interaction.result = Some(user_id);
        let redirect_to = format!("{}/oidc/auth/{}", state.origin, interaction.uid);
        Ok(json_response(StatusCode::OK, &SubmitResponse { redirect_to }))
    })
}

/// `GET /api/experience/sso-connectors?email=`: needs the session but not the PUT. No SSO connectors yet.
async fn sso_connectors(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    live_uid(&state, &headers)?;
    let email = query.get("email").map(String::as_str).unwrap_or("");
    let looks_like_email = email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
    if !looks_like_email {
        return Err(ApiError::invalid_input(
            vec![json!({"validation": "email", "code": "invalid_string", "message": "Invalid email", "path": ["email"]})],
            "query",
        ));
    }
    Ok(json_response(StatusCode::OK, &json!({ "connectorIds": [] })))
}
