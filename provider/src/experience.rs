//! The Experience API (`/api/experience/*`): password sign-in, identification, registration from the
//! collected profile, and `POST profile` (username). Social/SSO verification lives in `social.rs`.

use crate::errors::{json_response, ApiError};
use crate::input_guard::{self, parse_body};
use crate::session::{self, Experience, Interaction, VerificationRecord, INTERACTION_COOKIE};
use crate::users::{SocialIdentity, SsoIdentity, User};
use crate::state::AppState;
use crate::users;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Extension, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
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
        .route("/api/experience/profile", post(profile))
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// The uid named by the `_interaction` cookie, if that interaction is live.
fn live_uid(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let uid = session::cookie(headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
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
    let user = state.users().find(&body.identifier).filter(|_| enabled).cloned().ok_or_else(ApiError::invalid_credentials)?;
    let user = &user;
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

/// What a new account still lacks, from `signUp` (Logto's `user.missing_profile` order), judged on the
/// interaction profile (Logto's keys: `username`, `primaryEmail`, `primaryPhone`, `passwordEncrypted`, …).
fn missing_sign_up_profile(state: &AppState, exp: &Experience) -> Vec<&'static str> {
    let sign_up = &state.sie.typed.sign_up;
    let has = |t: IdentifierType| sign_up.identifiers.contains(&t);
    let from_idp = exp.profile.contains_key("socialIdentity") || exp.profile.contains_key("enterpriseSsoIdentity");
    // A social sign-up may skip the identifiers when the config says so; an SSO sign-up never asks.
    if exp.profile.contains_key("enterpriseSsoIdentity")
        || (from_idp && state.sie.typed.social_sign_in.skip_required_identifiers)
    {
        return Vec::new();
    }
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
    // A password is not asked of people who arrive through a social or SSO identity.
    if sign_up.password && !from_idp {
        missing.push("password");
    }
    let p = &exp.profile;
    missing.retain(|k| match *k {
        "username" => !p.contains_key("username"),
        "email" => !p.contains_key("primaryEmail"),
        "phone" => !p.contains_key("primaryPhone"),
        "emailOrPhone" => !(p.contains_key("primaryEmail") || p.contains_key("primaryPhone")),
        "password" => !p.contains_key("passwordEncrypted"),
        _ => true,
    });
    missing
}

/// Creates the account the interaction profile describes.
fn create_user(state: &AppState, exp: &Experience) -> Result<String, ApiError> {
    let p = &exp.profile;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let mut users = state.users();
    let username = text("username");
    if username.as_deref().is_some_and(|u| users.username_taken(u)) {
        return Err(ApiError::username_already_in_use());
    }
    let email = text("primaryEmail");
    if email.as_deref().is_some_and(|e| users.by_email(e).is_some()) {
        return Err(ApiError::email_already_in_use());
    }
    let mut user = User {
        id: users.new_id(),
        username,
        name: text("name"),
        primary_email: email,
        primary_phone: text("primaryPhone"),
        password_hash: text("passwordEncrypted"),
        demo_password: None,
        identities: Default::default(),
        sso_identities: Vec::new(),
    };
    if let Some(social) = p.get("socialIdentity") {
        let target = social["target"].as_str().unwrap_or_default().to_owned();
        let info = social["userInfo"].clone();
        let user_id = info["id"].as_str().unwrap_or_default().to_owned();
        if users.by_social_identity(&target, &user_id).is_some() {
            return Err(ApiError::identity_already_in_use());
        }
        user.identities.insert(target, SocialIdentity { user_id, details: info });
    }
    if let Some(sso) = p.get("enterpriseSsoIdentity") {
        let identity = SsoIdentity {
            sso_connector_id: sso["ssoConnectorId"].as_str().unwrap_or_default().to_owned(),
            identity_id: sso["identityId"].as_str().unwrap_or_default().to_owned(),
        };
        if users.by_sso_identity(&identity.sso_connector_id, &identity.identity_id).is_some() {
            return Err(ApiError::identity_already_in_use());
        }
        user.sso_identities.push(identity);
    }
    let id = user.id.clone();
    users.users.push(user);
    Ok(id)
}

/// 201 with Koa's default body for a bodiless `ctx.status = 201`.
fn created() -> Response {
    let mut res = (StatusCode::CREATED, "Created").into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    res
}

/// Register identification: fold the verified record (if any) into the profile, then create the account.
fn register(state: &AppState, exp: &mut Experience, vid: Option<&str>) -> ApiResult {
    if exp.user_id.is_some() {
        return Err(ApiError::identity_conflict());
    }
    if let Some(vid) = vid {
        let record = exp.record(vid).cloned().ok_or_else(ApiError::verification_session_not_found)?;
        let users = state.users();
        match record {
            VerificationRecord::Social { target, profile, .. } => {
                let profile = profile.ok_or_else(ApiError::verification_failed)?;
                if users.by_social_identity(&target, &profile.id).is_some() {
                    return Err(ApiError::identity_already_in_use());
                }
                exp.profile.insert("socialIdentity".into(), json!({ "target": target, "userInfo": profile.to_json() }));
                if let Some(name) = &profile.name {
                    exp.profile.entry("name").or_insert_with(|| json!(name));
                }
                // The e-mail is synced only when no other account has it.
                if let Some(email) = profile.email.as_deref().filter(|e| users.by_email(e).is_none()) {
                    exp.profile.entry("primaryEmail").or_insert_with(|| json!(email));
                }
            }
            VerificationRecord::EnterpriseSso { connector_id, profile, .. } => {
                let profile = profile.ok_or_else(ApiError::verification_failed)?;
                if users.by_sso_identity(&connector_id, &profile.id).is_some() {
                    return Err(ApiError::identity_already_in_use());
                }
                if profile.email.as_deref().is_some_and(|e| users.by_email(e).is_some()) {
                    return Err(ApiError::email_already_in_use());
                }
                exp.profile.insert(
                    "enterpriseSsoIdentity".into(),
                    json!({ "ssoConnectorId": connector_id, "identityId": profile.id, "detail": profile.to_json() }),
                );
                if let Some(name) = &profile.name {
                    exp.profile.entry("name").or_insert_with(|| json!(name));
                }
                if let Some(email) = &profile.email {
                    exp.profile.insert("primaryEmail".into(), json!(email));
                }
            }
            // A password proves an existing account; it adds nothing to a new one.
            VerificationRecord::Password { .. } => {}
        }
    }
    let missing = missing_sign_up_profile(state, exp);
    if !missing.is_empty() {
        return Err(ApiError::missing_profile(&missing));
    }
    let id = create_user(state, exp)?;
    exp.user_id = Some(id);
    Ok(created())
}

/// The account a SignIn record proves, linking a social/SSO identity where Logto does.
fn identify_sign_in(state: &AppState, exp: &Experience, record: &VerificationRecord, link_social: bool) -> Result<String, ApiError> {
    let conflict = |id: &str| exp.user_id.as_deref().is_some_and(|u| u != id);
    match record {
        VerificationRecord::Password { identifier, user_id, .. } => {
            if identifier.kind == IdentifierType::Email {
                let sso = state.sie.sso_connectors_for_email(&identifier.value);
                if !sso.is_empty() {
                    return Err(ApiError::sso_enabled(sso.iter().map(|c| c.public.clone()).collect()));
                }
            }
            if state.users().by_id(user_id).is_none() {
                return Err(ApiError::user_not_exist(&identifier.value));
            }
            Ok(user_id.clone())
        }
        VerificationRecord::Social { target, profile, .. } => {
            let profile = profile.as_ref().ok_or_else(ApiError::verification_failed)?;
            let mut users = state.users();
            if let Some(u) = users.by_social_identity(target, &profile.id) {
                return Ok(u.id.clone());
            }
            let related = profile.email.as_deref().and_then(|e| users.by_email(e)).map(|u| u.id.clone());
            if !link_social {
                return Err(ApiError::identity_not_exist(related.as_ref().and(profile.email.as_deref()), true));
            }
            let id = related.ok_or_else(|| ApiError::identity_not_exist(None, false))?;
            if conflict(&id) {
                return Err(ApiError::identity_conflict());
            }
            if let Some(u) = users.by_id_mut(&id) {
                u.identities.insert(target.clone(), SocialIdentity { user_id: profile.id.clone(), details: profile.to_json() });
            }
            Ok(id)
        }
        VerificationRecord::EnterpriseSso { connector_id, profile, .. } => {
            let profile = profile.as_ref().ok_or_else(ApiError::verification_failed)?;
            let mut users = state.users();
            if let Some(u) = users.by_sso_identity(connector_id, &profile.id) {
                return Ok(u.id.clone());
            }
            // An account with the same e-mail is linked automatically (Logto trusts the enterprise IdP).
            let id = profile
                .email
                .as_deref()
                .and_then(|e| users.by_email(e))
                .map(|u| u.id.clone())
                .ok_or_else(ApiError::sso_identity_not_exist)?;
            if conflict(&id) {
                return Err(ApiError::identity_conflict());
            }
            if let Some(u) = users.by_id_mut(&id) {
                u.sso_identities.push(SsoIdentity { sso_connector_id: connector_id.clone(), identity_id: profile.id.clone() });
            }
            Ok(id)
        }
    }
}

/// `POST /api/experience/identification`
async fn identify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::identification_body(&parse_body(&body)?)?;
    with_experience(&state, &uid, |exp, _| {
        if exp.event == InteractionEvent::Register {
            return register(&state, exp, body.verification_id.as_deref());
        }
        let Some(vid) = body.verification_id.as_deref() else {
            return Err(ApiError::invalid_input(
                vec![json!({"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["verificationId"], "message": "Required"})],
                "body",
            ));
        };
        let record = exp.record(vid).cloned().ok_or_else(ApiError::verification_session_not_found)?;
        // Resetting a password needs a code sent to the account, not a password or an outside identity.
        if exp.event == InteractionEvent::ForgotPassword {
            return Err(ApiError::verification_session_not_found());
        }
        let user_id = identify_sign_in(&state, exp, &record, body.link_social_identity == Some(true))?;
        if exp.user_id.as_deref().is_some_and(|u| u != user_id) {
            return Err(ApiError::identity_conflict());
        }
        exp.user_id = Some(user_id);
        Ok(no_content())
    })
}

/// `POST /api/experience/profile`: `username` for now (other kinds answer 501).
async fn profile(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::profile_body(&parse_body(&body)?)?;
    with_experience(&state, &uid, |exp, _| {
        if exp.event == InteractionEvent::ForgotPassword {
            return Err(ApiError::not_supported_for_forgot_password());
        }
        if exp.event == InteractionEvent::SignIn && exp.user_id.is_none() {
            return Err(ApiError::identifier_not_found());
        }
        match body["type"].as_str() {
            Some("username") => {
                let value = body["value"].as_str().unwrap_or_default();
                if state.users().username_taken(value) {
                    return Err(ApiError::username_already_in_use());
                }
                exp.profile.insert("username".into(), json!(value));
                Ok(no_content())
            }
            Some(other) => Err(ApiError::not_implemented(&format!("the `{other}` profile"))),
            None => Err(ApiError::not_implemented("this profile")),
        }
    })
}

/// `POST /api/experience/submit`
async fn submit(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, interaction| {
        let user_id = exp.user_id.clone().ok_or_else(ApiError::identifier_not_found)?;
        // A username collected while signing in (missing-profile continue flow) goes onto the account.
        if exp.event == InteractionEvent::SignIn {
            if let Some(name) = exp.profile.get("username").and_then(|v| v.as_str()) {
                let mut users = state.users();
                if users.by_id(&user_id).is_some_and(|u| u.username.as_deref() != Some(name)) && users.username_taken(name) {
                    return Err(ApiError::username_already_in_use());
                }
                if let Some(u) = users.by_id_mut(&user_id) {
                    u.username = Some(name.to_owned());
                }
            }
        }
        interaction.result = Some(user_id);
        let redirect_to = format!("{}/oidc/auth/{}", state.origin, interaction.uid);
        Ok(json_response(StatusCode::OK, &SubmitResponse { redirect_to }))
    })
}

/// `GET /api/experience/sso-connectors?email=`: needs the session but not the PUT.
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
    let ids: Vec<&str> = state.sie.sso_connectors_for_email(email).iter().map(|c| c.id.as_str()).collect();
    Ok(json_response(StatusCode::OK, &json!({ "connectorIds": ids })))
}
