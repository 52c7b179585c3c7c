//! The Experience API (`/api/experience/*`): password sign-in, identification (SignIn, Register,
//! ForgotPassword), registration from the collected profile, profile writes, the password reset and submit.
//! Social/SSO verification lives in `social.rs`, codes and one-time tokens in `codes.rs`.

use crate::errors::{json_response, ApiError};
use crate::input_guard::{self, parse_body};
use crate::interactions::{self, Experience, Interaction, VerificationRecord, INTERACTION_COOKIE};
use crate::state::AppState;
use crate::users::User;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::json;
use sign_in_core::api::{InteractionEvent, SsoConnectorIds};
use std::collections::HashMap;
use std::net::SocketAddr;

mod identify;
mod password;
mod profile;
mod register;
mod requirements;
mod submit;

use identify::identify;
use password::{profile_password, verify_password};
use profile::profile;
use submit::submit;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/experience", put(start))
        .route("/api/experience/interaction-event", put(switch_event))
        .route("/api/experience/interaction", get(interaction))
        .route("/api/experience/verification/password", post(verify_password))
        .route("/api/experience/identification", post(identify))
        .route("/api/experience/submit", post(submit))
        .route("/api/experience/sso-connectors", get(sso_connectors))
        .route("/api/experience/profile", post(profile))
        .route("/api/experience/profile/password", put(profile_password))
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// The uid named by the `_interaction` cookie, if that interaction is live.
fn live_uid(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let uid = interactions::cookie(headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    match state.store().interaction_mut(&uid) {
        Some(_) => Ok(uid),
        None => Err(ApiError::session_not_found()),
    }
}

/// Runs `f` on the interaction's Experience state; 404 `session.interaction_not_found` before the PUT.
pub(crate) fn with_experience<T>(
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
pub(crate) fn require_experience(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let uid = live_uid(state, headers)?;
    with_experience(state, &uid, |_, _| Ok(()))?;
    Ok(uid)
}

/// Whether the sign-in mode allows this kind of interaction (`auth.forbidden` otherwise).
fn guard_event(state: &AppState, event: InteractionEvent) -> Result<(), ApiError> {
    let mode = state.sie.typed.sign_in_mode;
    let allowed = match event {
        InteractionEvent::SignIn => mode.allows_sign_in(),
        InteractionEvent::Register => mode.allows_register(),
        InteractionEvent::ForgotPassword => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// 204 with no body.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// `PUT /api/experience`: (re)starts the interaction, dropping earlier verifications and profile.
async fn start(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = live_uid(&state, &headers)?;
    let body = input_guard::interaction_event_body(&parse_body(&body)?)?;
    guard_event(&state, body.interaction_event)?;
    let captcha_verified = crate::captcha::verify_token(&state, body.captcha_token.as_deref())?;
    let mut store = state.store();
    let interaction = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
    interaction.experience = Some(Experience { captcha_verified, ..Experience::new(body.interaction_event) });
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
        // A verified magic link may register even where sign-up is off.
        let magic_link = exp.records.iter().any(|r| matches!(r, VerificationRecord::OneTimeToken { .. }));
        if !(next == InteractionEvent::Register && magic_link) {
            guard_event(&state, next)?;
        }
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
            "captcha": { "verified": exp.captcha_verified, "skipped": false },
        });
        if let Some(user) = &exp.user_id {
            body["userId"] = json!(user);
        }
        Ok(json_response(StatusCode::OK, &body))
    })
}

/// The identified account, if any.
fn identified_user(state: &AppState, exp: &Experience) -> Option<User> {
    exp.user_id.as_deref().and_then(|id| state.users().by_id(id).cloned())
}

/// `GET /api/experience/sso-connectors?email=`: needs the session but not the PUT.
async fn sso_connectors(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    live_uid(&state, &headers)?;
    let email = query.get("email").map(String::as_str).unwrap_or("");
    let looks_like_email = email
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
    if !looks_like_email {
        return Err(ApiError::invalid_input(vec![
            json!({"validation": "email", "code": "invalid_string", "message": "Invalid email", "path": ["email"]}),
        ]));
    }
    let connector_ids = state.sie.sso_connectors_for_email(email).iter().map(|c| c.id.clone()).collect();
    Ok(json_response(StatusCode::OK, &SsoConnectorIds { connector_ids }))
}

/// A state built from `config/default.json` with `patch` merged into its top level, for unit tests.
#[cfg(test)]
pub(crate) fn test_state(patch: serde_json::Value) -> AppState {
    use serde_json::Value;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join("config/default.json")).expect("default config");
    let mut row: Value = serde_json::from_str(&text).expect("default config is JSON");
    if let (Value::Object(row), Value::Object(patch)) = (&mut row, patch) {
        row.extend(patch);
    }
    let sie = crate::config::SieConfig::from_row(row).expect("config");
    let phrases = crate::i18n::Phrases::new(dir.join("no-phrases"));
    let shared = crate::state::Shared::new(
        "http://localhost:1".into(),
        sie,
        crate::users::Users::default(),
        phrases,
        dir.join("no-dist"),
        crate::csp::CspProfile::None,
    );
    std::sync::Arc::new(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), ApiError>) -> Option<String> {
        r.err().map(|e| e.body.code)
    }

    #[test]
    fn sign_in_mode_gates_the_interaction_events() {
        let sign_in_only = test_state(json!({"signInMode": "SignIn"}));
        assert_eq!(code(guard_event(&sign_in_only, InteractionEvent::SignIn)), None);
        assert_eq!(code(guard_event(&sign_in_only, InteractionEvent::Register)).as_deref(), Some("auth.forbidden"));
        assert_eq!(code(guard_event(&sign_in_only, InteractionEvent::ForgotPassword)), None);
        let register_only = test_state(json!({"signInMode": "Register"}));
        assert_eq!(code(guard_event(&register_only, InteractionEvent::SignIn)).as_deref(), Some("auth.forbidden"));
        assert_eq!(code(guard_event(&register_only, InteractionEvent::Register)), None);
        assert_eq!(code(guard_event(&register_only, InteractionEvent::ForgotPassword)), None);
        let both = test_state(json!({"signInMode": "SignInAndRegister"}));
        for event in [InteractionEvent::SignIn, InteractionEvent::Register, InteractionEvent::ForgotPassword] {
            assert_eq!(code(guard_event(&both, event)), None);
        }
    }

    #[test]
    fn with_experience_needs_the_put_first() {
        let state = test_state(json!({}));
        let uid = "uid-1".to_owned();
        let interaction = Interaction {
            uid: uid.clone(),
            client_id: "demo-app".into(),
            redirect_uri: "http://localhost:1/callback".into(),
            state: None,
            scope: "openid".into(),
            resource: None,
            code_challenge: String::new(),
            landing: "/sign-in".into(),
            expires_at: std::time::Instant::now() + std::time::Duration::from_secs(600),
            experience: None,
            result: None,
            passkey_challenge: None,
            grant: None,
            device_code: None,
        };
        state.store().interactions.insert(uid.clone(), interaction);
        let e = with_experience(&state, &uid, |_, _| Ok(())).unwrap_err();
        assert_eq!(e.body.code, "session.interaction_not_found");
        let e = with_experience(&state, "unknown", |_, _| Ok(())).unwrap_err();
        assert_eq!(e.body.code, "session.not_found");
        state.store().interaction_mut(&uid).unwrap().experience = Some(Experience::new(InteractionEvent::SignIn));
        assert!(with_experience(&state, &uid, |exp, _| Ok(exp.event == InteractionEvent::SignIn)).unwrap());
    }
}
