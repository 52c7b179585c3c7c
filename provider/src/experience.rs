//! The Experience API (`/api/experience/*`): password sign-in, identification (SignIn, Register,
//! ForgotPassword), registration from the collected profile, profile writes, the password reset and submit.
//! Social/SSO verification lives in `social.rs`, codes and one-time tokens in `codes.rs`.

use crate::errors::{json_response, ApiError};
use crate::input_guard::{self, parse_body, Guard};
use crate::session::{self, Experience, Interaction, VerificationRecord, INTERACTION_COOKIE};
use crate::state::AppState;
use crate::users;
use crate::users::{SocialIdentity, SsoIdentity, User};
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Extension, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::{json, Map, Value};
use sign_in_core::api::{
    Identifier, IdentifierType, InteractionEvent, ProfileBody, SubmitResponse, VerificationIdResponse,
};
use sign_in_core::password_policy::{PasswordPolicy, Rejection, UserInfo};
use std::collections::HashMap;
use std::net::SocketAddr;

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
    let user = state.users().find(&body.identifier).filter(|_| enabled).cloned();
    // The lockout counts per account, or per identifier when there is none (so unknown ones lock out too).
    let target = match &user {
        Some(u) => format!("password:{}", u.id),
        None => format!("password:{}:{}", kind.as_str(), identifier_key(&body.identifier)),
    };
    let attempt = crate::sentinel::begin(&state, target)?;
    // argon2 is slow on purpose: verify without holding the store lock (the attempt is already reserved). Without
    // an account this verifies a stand-in hash, so both answers take as long.
    if !users::verify_password_evenly(user.as_ref(), &body.password) {
        attempt.failed();
        return Err(ApiError::invalid_credentials());
    }
    attempt.succeeded();
    let Some(user) = &user else { return Err(ApiError::invalid_credentials()) };
    if password_expired(&state, user) {
        return Err(ApiError::password_expired());
    }
    let id = crate::random::verification_id();
    let record = VerificationRecord::Password { id: id.clone(), identifier: body.identifier, user_id: user.id.clone() };
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(record);
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id }))
    })
}

/// An identifier as accounts are looked up by it: usernames as typed, e-mail in any case, phones by digits.
fn identifier_key(identifier: &Identifier) -> String {
    let value = identifier.value.trim();
    match identifier.kind {
        IdentifierType::Username => value.to_owned(),
        IdentifierType::Email => value.to_ascii_lowercase(),
        IdentifierType::Phone => value.chars().filter(char::is_ascii_digit).collect(),
    }
}

/// A correct password that `passwordExpiration` no longer accepts (a password never dated counts from now).
fn password_expired(state: &AppState, user: &User) -> bool {
    let (Some(valid_for), Some(updated_at)) = (state.sie.password_valid_for(), user.password_updated_at) else {
        return false;
    };
    u128::from(crate::mfa::now_ms(state).saturating_sub(updated_at)) > valid_for.as_millis()
}

/// What `signUp` asks of every account, in Logto's `user.missing_profile` order.
fn required_profile(state: &AppState) -> Vec<&'static str> {
    let sign_up = &state.sie.typed.sign_up;
    let has = |t: IdentifierType| sign_up.identifiers.contains(&t);
    let mut required = Vec::new();
    if has(IdentifierType::Username) {
        required.push("username");
    }
    match (has(IdentifierType::Email), has(IdentifierType::Phone)) {
        (true, true) => required.push("emailOrPhone"),
        (true, false) => required.push("email"),
        (false, true) => required.push("phone"),
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
        if !required.contains(&key) {
            required.push(key);
        }
    }
    if sign_up.password {
        required.push("password");
    }
    required
}

/// Whether the interaction profile (Logto's keys: `username`, `primaryEmail`, `primaryPhone`,
/// `passwordEncrypted`) or the account already has `key`.
fn profile_has(p: &Map<String, Value>, user: Option<&User>, key: &str) -> bool {
    let email = p.contains_key("primaryEmail") || user.is_some_and(|u| u.primary_email.is_some());
    let phone = p.contains_key("primaryPhone") || user.is_some_and(|u| u.primary_phone.is_some());
    match key {
        "username" => p.contains_key("username") || user.is_some_and(|u| u.username.is_some()),
        "email" => email,
        "phone" => phone,
        "emailOrPhone" => email || phone,
        "password" => p.contains_key("passwordEncrypted") || user.is_some_and(|u| u.password_hash.is_some()),
        _ => true,
    }
}

/// The required custom profile fields (`customProfileFields[].required`) the profile does not have yet.
fn missing_custom_fields(state: &AppState, p: &Map<String, Value>) -> Vec<String> {
    state
        .sie
        .typed
        .custom_profile_fields
        .iter()
        .filter(|f| f["required"].as_bool() == Some(true))
        .filter_map(|f| f["name"].as_str())
        .filter(|name| {
            let stored = p
                .get(*name)
                .or_else(|| p.get("profile").and_then(|x| x.get(*name)))
                .or_else(|| p.get("customData").and_then(|x| x.get(*name)));
            stored.is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        })
        .map(str::to_owned)
        .collect()
}

/// What a new account still lacks, judged on the interaction profile.
fn missing_sign_up_profile(state: &AppState, exp: &Experience) -> Vec<&'static str> {
    let from_idp = exp.profile.contains_key("socialIdentity") || exp.profile.contains_key("enterpriseSsoIdentity");
    // A social sign-up may skip the identifiers when the config says so; an SSO sign-up never asks.
    if exp.profile.contains_key("enterpriseSsoIdentity")
        || (from_idp && state.sie.typed.social_sign_in.skip_required_identifiers)
    {
        return Vec::new();
    }
    let mut missing = required_profile(state);
    // A password is not asked of people who arrive through a social or SSO identity.
    if from_idp {
        missing.retain(|k| *k != "password");
    }
    missing.retain(|k| !profile_has(&exp.profile, None, k));
    if !missing_custom_fields(state, &exp.profile).is_empty() {
        missing.push("extraProfile");
    }
    missing
}

/// What an existing account lacks under the current `signUp` (checked by a SignIn submit): the account's own
/// data plus what this interaction has collected.
fn missing_sign_in_profile(state: &AppState, exp: &Experience, user: &User) -> Vec<&'static str> {
    let from_idp = !user.identities.is_empty() || !user.sso_identities.is_empty();
    if !user.sso_identities.is_empty() || (from_idp && state.sie.typed.social_sign_in.skip_required_identifiers) {
        return Vec::new();
    }
    let mut missing = required_profile(state);
    if from_idp {
        missing.retain(|k| *k != "password");
    }
    missing.retain(|k| !profile_has(&exp.profile, Some(user), k));
    missing
}

/// Copies the extra profile collected by `POST profile {extraProfile}` onto an account.
fn apply_extra_profile(user: &mut User, p: &Map<String, Value>) {
    if let Some(name) = p.get("name").and_then(Value::as_str) {
        user.name = Some(name.to_owned());
    }
    if let Some(Value::Object(extra)) = p.get("profile") {
        user.profile.extend(extra.clone());
    }
    if let Some(Value::Object(custom)) = p.get("customData") {
        user.custom_data.extend(custom.clone());
    }
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
    let phone = text("primaryPhone");
    if phone.as_deref().is_some_and(|ph| users.by_phone(ph).is_some()) {
        return Err(ApiError::phone_already_in_use());
    }
    let mut user = User {
        id: users.new_id(),
        username,
        name: text("name"),
        primary_email: email,
        primary_phone: phone,
        password_updated_at: text("passwordEncrypted").map(|_| crate::mfa::now_ms(state)),
        password_hash: text("passwordEncrypted"),
        demo_password: None,
        identities: Default::default(),
        sso_identities: Vec::new(),
        profile: Default::default(),
        custom_data: Default::default(),
        mfa_verifications: Vec::new(),
        mfa_enabled: None,
        mfa_skipped: false,
        passkey_skipped: false,
    };
    apply_extra_profile(&mut user, p);
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

/// Puts a verified e-mail address or phone number into a new account's profile, unless an account has it.
fn fold_identifier(
    users: &users::Users,
    exp: &mut Experience,
    kind: IdentifierType,
    value: &str,
) -> Result<(), ApiError> {
    match kind {
        IdentifierType::Phone => {
            if users.by_phone(value).is_some() {
                return Err(ApiError::phone_already_in_use());
            }
            exp.profile.insert("primaryPhone".into(), json!(value));
        }
        _ => {
            if users.by_email(value).is_some() {
                return Err(ApiError::email_already_in_use());
            }
            exp.profile.insert("primaryEmail".into(), json!(value));
        }
    }
    Ok(())
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
            VerificationRecord::Code { identifier, verified, .. } => {
                if !verified {
                    return Err(ApiError::verification_failed());
                }
                fold_identifier(&users, exp, identifier.kind, &identifier.value)?;
            }
            VerificationRecord::OneTimeToken { email, .. } => {
                fold_identifier(&users, exp, IdentifierType::Email, &email)?
            }
            // A password proves an existing account; it adds nothing to a new one.
            VerificationRecord::Password { .. } => {}
            VerificationRecord::Totp { .. }
            | VerificationRecord::BackupCode { .. }
            | VerificationRecord::WebAuthn { .. }
            | VerificationRecord::SignInPasskey { .. }
            | VerificationRecord::MfaCode { .. } => return Err(ApiError::verification_session_not_found()),
        }
    }
    // The blocklist applies to every email on the way in (a social/SSO identity brings its own), before
    // anything else is asked of the new account.
    let email = exp.profile.get("primaryEmail").and_then(Value::as_str);
    if let Some(code) = email.and_then(|e| state.sie.email_blocklist.refusal(e)) {
        return Err(ApiError::email_blocked(code));
    }
    let missing = missing_sign_up_profile(state, exp);
    if !missing.is_empty() {
        return Err(ApiError::missing_profile(&missing));
    }
    let id = create_user(state, exp)?;
    exp.user_id = Some(id);
    if let Some(r) = vid.and_then(|v| exp.record(v)) {
        exp.mfa.identified_via = Some(r.kind());
    }
    Ok(created())
}

/// An e-mail address whose domain belongs to an enterprise SSO connector must sign in through it.
fn guard_sso_domain(state: &AppState, identifier: &Identifier) -> Result<(), ApiError> {
    if identifier.kind == IdentifierType::Email {
        let sso = state.sie.sso_connectors_for_email(&identifier.value);
        if !sso.is_empty() {
            return Err(ApiError::sso_enabled(sso.iter().map(|c| c.public.clone()).collect()));
        }
    }
    Ok(())
}

/// The account a SignIn record proves, linking a social/SSO identity where Logto does.
fn identify_sign_in(
    state: &AppState,
    exp: &Experience,
    record: &VerificationRecord,
    link_social: bool,
) -> Result<String, ApiError> {
    let conflict = |id: &str| exp.user_id.as_deref().is_some_and(|u| u != id);
    match record {
        VerificationRecord::Password { identifier, user_id, .. } => {
            guard_sso_domain(state, identifier)?;
            if state.users().by_id(user_id).is_none() {
                return Err(ApiError::user_not_exist(&identifier.value));
            }
            Ok(user_id.clone())
        }
        VerificationRecord::Code { identifier, verified, .. } => {
            if !verified {
                return Err(ApiError::verification_failed());
            }
            let enabled =
                state.sie.typed.sign_in.methods.iter().any(|m| m.identifier == identifier.kind && m.verification_code);
            if !enabled {
                return Err(ApiError::sign_in_method_not_enabled());
            }
            guard_sso_domain(state, identifier)?;
            state
                .users()
                .find(identifier)
                .map(|u| u.id.clone())
                .ok_or_else(|| ApiError::user_not_exist(&identifier.value))
        }
        VerificationRecord::OneTimeToken { email, .. } => {
            state.users().by_email(email).map(|u| u.id.clone()).ok_or_else(|| ApiError::user_not_exist(email))
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
                u.identities
                    .insert(target.clone(), SocialIdentity { user_id: profile.id.clone(), details: profile.to_json() });
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
                u.sso_identities
                    .push(SsoIdentity { sso_connector_id: connector_id.clone(), identity_id: profile.id.clone() });
            }
            Ok(id)
        }
        VerificationRecord::SignInPasskey { user_id, verified, .. } => {
            if !verified {
                return Err(ApiError::verification_failed());
            }
            user_id.clone().ok_or_else(ApiError::verification_failed)
        }
        // MFA proofs do not identify anyone.
        VerificationRecord::Totp { .. }
        | VerificationRecord::BackupCode { .. }
        | VerificationRecord::WebAuthn { .. }
        | VerificationRecord::MfaCode { .. } => Err(ApiError::verification_session_not_found()),
    }
}

/// ForgotPassword identification: only a code sent to the account (or a magic link) names it.
fn identify_forgot_password(state: &AppState, record: &VerificationRecord) -> Result<String, ApiError> {
    let identifier = match record {
        VerificationRecord::Code { identifier, verified, .. } => {
            if !verified {
                return Err(ApiError::verification_failed());
            }
            let methods = &state.sie.typed.forgot_password;
            let enabled = match identifier.kind {
                IdentifierType::Email => methods.email,
                IdentifierType::Phone => methods.phone,
                IdentifierType::Username => false,
            };
            if !enabled {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "session.not_supported_for_forgot_password",
                    "Resetting a password this way is turned off.",
                ));
            }
            identifier.clone()
        }
        VerificationRecord::OneTimeToken { email, .. } => {
            Identifier { kind: IdentifierType::Email, value: email.clone() }
        }
        // Resetting a password needs a code sent to the account, not a password or an outside identity.
        _ => return Err(ApiError::verification_session_not_found()),
    };
    state.users().find(&identifier).map(|u| u.id.clone()).ok_or_else(|| ApiError::user_not_exist(&identifier.value))
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
                vec![
                    json!({"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["verificationId"], "message": "Required"}),
                ],
                "body",
            ));
        };
        let record = exp.record(vid).cloned().ok_or_else(ApiError::verification_session_not_found)?;
        let user_id = if exp.event == InteractionEvent::ForgotPassword {
            identify_forgot_password(&state, &record)?
        } else {
            identify_sign_in(&state, exp, &record, body.link_social_identity == Some(true))?
        };
        if exp.user_id.as_deref().is_some_and(|u| u != user_id) {
            return Err(ApiError::identity_conflict());
        }
        exp.user_id = Some(user_id);
        exp.mfa.identified_via = Some(record.kind());
        Ok(no_content())
    })
}

/// Profile writes belong to SignIn (after identification) and Register.
fn guard_profile_event(exp: &Experience) -> Result<(), ApiError> {
    if exp.event == InteractionEvent::ForgotPassword {
        return Err(ApiError::not_supported_for_forgot_password());
    }
    if exp.event == InteractionEvent::SignIn && exp.user_id.is_none() {
        return Err(ApiError::identifier_not_found());
    }
    Ok(())
}

/// The identified account, if any.
fn identified_user(state: &AppState, exp: &Experience) -> Option<User> {
    exp.user_id.as_deref().and_then(|id| state.users().by_id(id).cloned())
}

/// What the password policy's `userInfo` rule compares against: the profile being built, then the account.
fn user_info(exp: &Experience, user: Option<&User>) -> UserInfo {
    let p = |k: &str| exp.profile.get(k).and_then(Value::as_str).map(str::to_owned);
    UserInfo {
        name: p("name").or_else(|| user.and_then(|u| u.name.clone())),
        username: p("username").or_else(|| user.and_then(|u| u.username.clone())),
        email: p("primaryEmail").or_else(|| user.and_then(|u| u.primary_email.clone())),
        phone: p("primaryPhone").or_else(|| user.and_then(|u| u.primary_phone.clone())),
    }
}

/// `password.rejected` when the password breaks `passwordPolicy`.
fn check_password_policy(state: &AppState, password: &str, info: &UserInfo) -> Result<(), ApiError> {
    let issues = PasswordPolicy::from_config(&state.sie.public()["passwordPolicy"]).check(password, info);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ApiError::password_rejected(Rejection::to_data(&issues)))
    }
}

/// Logto keeps these extra-profile keys in `users.profile` (`name` and `avatar` are columns of their own).
const BUILT_IN_PROFILE_KEYS: &[&str] = &[
    "givenName",
    "familyName",
    "middleName",
    "nickname",
    "preferredUsername",
    "profile",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "address",
];

/// `{type:"extraProfile", values}`: checks the required custom fields, then stores `name`, built-in profile
/// keys and custom data.
fn extra_profile(state: &AppState, exp: &mut Experience, values: &Map<String, Value>) -> ApiResult {
    let mut g = Guard::new();
    for (key, _) in values.iter().filter(|(k, _)| k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric())) {
        g.issue(json!({"code": "custom", "path": ["values", key], "message": "Profile keys are letters and digits"}));
    }
    let mut merged = exp.profile.clone();
    for (k, v) in values {
        merged.insert(k.clone(), v.clone());
    }
    for name in missing_custom_fields(state, &merged) {
        g.issue(json!({"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["values", name], "message": "Required"}));
    }
    g.finish("body")?;
    for (k, v) in values {
        let bucket = match k.as_str() {
            "name" | "avatar" => {
                exp.profile.insert(k.clone(), v.clone());
                continue;
            }
            k if BUILT_IN_PROFILE_KEYS.contains(&k) => "profile",
            _ => "customData",
        };
        let entry = exp.profile.entry(bucket).or_insert_with(|| json!({}));
        if let Value::Object(m) = entry {
            m.insert(k.clone(), v.clone());
        }
    }
    Ok(no_content())
}

/// `POST /api/experience/profile`: `username`, `password`, `email`/`phone` (from a verified code), `extraProfile`.
async fn profile(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::profile_body(&parse_body(&body)?)?;
    if let ProfileBody::Password { value: password } = &body {
        let info = with_experience(&state, &uid, |exp, _| {
            guard_profile_event(exp)?;
            let user = identified_user(&state, exp);
            if exp.event == InteractionEvent::SignIn && user.as_ref().is_some_and(|u| u.password_hash.is_some()) {
                return Err(ApiError::exists_in_profile("password"));
            }
            Ok(user_info(exp, user.as_ref()))
        })?;
        check_password_policy(&state, password, &info)?;
        // argon2 is slow on purpose: hash without holding the store lock.
        let hash = users::hash_password(password);
        return with_experience(&state, &uid, |exp, _| {
            exp.profile.insert("passwordEncrypted".into(), json!(hash));
            Ok(no_content())
        });
    }
    with_experience(&state, &uid, |exp, _| {
        guard_profile_event(exp)?;
        let user = identified_user(&state, exp);
        let signing_in = exp.event == InteractionEvent::SignIn;
        // Changing a signed-in account's profile needs its second factor first (social linking excepted).
        if let Some(u) = user.as_ref().filter(|_| signing_in && !matches!(body, ProfileBody::Social { .. })) {
            crate::mfa::verification_gate(&state, exp, u)?;
        }
        match &body {
            ProfileBody::Username { value } => {
                if signing_in && user.as_ref().is_some_and(|u| u.username.is_some()) {
                    return Err(ApiError::exists_in_profile("username"));
                }
                if state.users().username_taken(value) {
                    return Err(ApiError::username_already_in_use());
                }
                exp.profile.insert("username".into(), json!(value));
                Ok(no_content())
            }
            ProfileBody::Email { verification_id } => {
                profile_address(&state, exp, user.as_ref(), IdentifierType::Email, verification_id)
            }
            ProfileBody::Phone { verification_id } => {
                profile_address(&state, exp, user.as_ref(), IdentifierType::Phone, verification_id)
            }
            ProfileBody::ExtraProfile { values } => extra_profile(&state, exp, values),
            // Binds a verified social identity to the account signed in here ("bind and continue").
            ProfileBody::Social { verification_id } => {
                if !signing_in {
                    return Err(ApiError::invalid_interaction_type());
                }
                if user.is_none() {
                    return Err(ApiError::identifier_not_found());
                }
                let Some(VerificationRecord::Social { target, profile: Some(profile), .. }) =
                    exp.record(verification_id).cloned()
                else {
                    return Err(ApiError::verification_session_not_found());
                };
                if state.users().by_social_identity(&target, &profile.id).is_some() {
                    return Err(ApiError::identity_already_in_use());
                }
                exp.profile.insert("socialIdentity".into(), json!({ "target": target, "userInfo": profile.to_json() }));
                Ok(no_content())
            }
            // Handled above, outside the store lock.
            ProfileBody::Password { .. } => unreachable!("the password profile is written before"),
        }
    })
}

/// `{type: "email" | "phone", verificationId}`: the address a verified code proved goes into the profile.
fn profile_address(
    state: &AppState,
    exp: &mut Experience,
    user: Option<&User>,
    want: IdentifierType,
    vid: &str,
) -> ApiResult {
    let Some(VerificationRecord::Code { identifier, verified, .. }) = exp.record(vid).cloned() else {
        return Err(ApiError::verification_session_not_found());
    };
    if identifier.kind != want {
        return Err(ApiError::verification_session_not_found());
    }
    if !verified {
        return Err(ApiError::verification_failed());
    }
    let phone = want == IdentifierType::Phone;
    let (has, key) = if phone {
        (user.is_some_and(|u| u.primary_phone.is_some()), "primaryPhone")
    } else {
        (user.is_some_and(|u| u.primary_email.is_some()), "primaryEmail")
    };
    if exp.event == InteractionEvent::SignIn && has {
        return Err(ApiError::exists_in_profile(want.as_str()));
    }
    let users = state.users();
    let owner = if phone { users.by_phone(&identifier.value) } else { users.by_email(&identifier.value) };
    if owner.is_some_and(|o| Some(&o.id) != exp.user_id.as_ref()) {
        return Err(if phone { ApiError::phone_already_in_use() } else { ApiError::email_already_in_use() });
    }
    exp.profile.insert(key.into(), json!(identifier.value));
    Ok(no_content())
}

/// `PUT /api/experience/profile/password {password}`: the new password of a password reset.
async fn profile_password(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        g.string(m.get("password"), &["password"]);
    }
    g.finish("body")?;
    let password = body["password"].as_str().unwrap_or_default().to_owned();
    let (user, info) = with_experience(&state, &uid, |exp, _| {
        if exp.event != InteractionEvent::ForgotPassword {
            return Err(ApiError::invalid_interaction_type());
        }
        let user = identified_user(&state, exp).ok_or_else(ApiError::identifier_not_found)?;
        let info = user_info(exp, Some(&user));
        Ok((user, info))
    })?;
    check_password_policy(&state, &password, &info)?;
    if users::verify_password(&user, &password) {
        return Err(ApiError::same_password());
    }
    let hash = users::hash_password(&password);
    with_experience(&state, &uid, |exp, _| {
        exp.profile.insert("passwordEncrypted".into(), json!(hash));
        Ok(no_content())
    })
}

/// Writes what a SignIn interaction collected (continue flow) onto the account.
fn apply_sign_in_profile(state: &AppState, exp: &Experience, user_id: &str) -> Result<(), ApiError> {
    let p = &exp.profile;
    let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut users = state.users();
    if let Some(name) = text("username") {
        if users.by_id(user_id).is_some_and(|u| u.username.as_deref() != Some(name.as_str()))
            && users.username_taken(&name)
        {
            return Err(ApiError::username_already_in_use());
        }
    }
    if let Some(email) = text("primaryEmail") {
        if users.by_email(&email).is_some_and(|o| o.id != user_id) {
            return Err(ApiError::email_already_in_use());
        }
    }
    if let Some(phone) = text("primaryPhone") {
        if users.by_phone(&phone).is_some_and(|o| o.id != user_id) {
            return Err(ApiError::phone_already_in_use());
        }
    }
    let Some(u) = users.by_id_mut(user_id) else { return Err(ApiError::identifier_not_found()) };
    if let Some(v) = text("username") {
        u.username = Some(v);
    }
    if let Some(v) = text("primaryEmail") {
        u.primary_email = Some(v);
    }
    if let Some(v) = text("primaryPhone") {
        u.primary_phone = Some(v);
    }
    if let Some(v) = text("passwordEncrypted") {
        u.password_hash = Some(v);
        u.password_updated_at = Some(crate::mfa::now_ms(state));
    }
    if let Some(social) = p.get("socialIdentity") {
        let target = social["target"].as_str().unwrap_or_default().to_owned();
        let info = social["userInfo"].clone();
        let user_id = info["id"].as_str().unwrap_or_default().to_owned();
        u.identities.insert(target, SocialIdentity { user_id, details: info });
    }
    apply_extra_profile(u, p);
    Ok(())
}

/// `POST /api/experience/submit`: SignIn/Register answer `{redirectTo}`; ForgotPassword stores the new password,
/// answers 204 and ends the Experience state (the OIDC interaction stays open for a new `PUT`).
async fn submit(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let event = with_experience(&state, &uid, |exp, interaction| {
        let user_id = exp.user_id.clone().ok_or_else(ApiError::identifier_not_found)?;
        match exp.event {
            InteractionEvent::ForgotPassword => {
                let hash = exp
                    .profile
                    .get("passwordEncrypted")
                    .and_then(Value::as_str)
                    .ok_or_else(ApiError::new_password_required)?;
                let mut users = state.users();
                let user = users.by_id_mut(&user_id).ok_or_else(ApiError::identifier_not_found)?;
                user.password_hash = Some(hash.to_owned());
                user.password_updated_at = Some(crate::mfa::now_ms(&state));
                return Ok(exp.event);
            }
            InteractionEvent::SignIn => {
                let user = state.users().by_id(&user_id).cloned().ok_or_else(ApiError::identifier_not_found)?;
                crate::mfa::verification_gate(&state, exp, &user)?;
                let missing = missing_sign_in_profile(&state, exp, &user);
                if !missing.is_empty() {
                    return Err(ApiError::missing_profile(&missing));
                }
                crate::mfa::binding_gate(&state, exp, &user)?;
                apply_sign_in_profile(&state, exp, &user_id)?;
            }
            InteractionEvent::Register => {
                let user = state.users().by_id(&user_id).cloned().ok_or_else(ApiError::identifier_not_found)?;
                crate::mfa::binding_gate(&state, exp, &user)?;
                // E-mail/phone bound as an MFA factor after the account was created.
                apply_sign_in_profile(&state, exp, &user_id)?;
            }
        }
        crate::mfa::persist(&state, exp, &user_id);
        interaction.result = Some(user_id);
        Ok(exp.event)
    })?;
    if event == InteractionEvent::ForgotPassword {
        let mut store = state.store();
        if let Some(interaction) = store.interaction_mut(&uid) {
            interaction.experience = None;
        }
        return Ok(no_content());
    }
    let redirect_to = format!("{}/oidc/auth/{}", state.origin, uid);
    Ok(json_response(StatusCode::OK, &SubmitResponse { redirect_to }))
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
        return Err(ApiError::invalid_input(
            vec![
                json!({"validation": "email", "code": "invalid_string", "message": "Invalid email", "path": ["email"]}),
            ],
            "query",
        ));
    }
    let ids: Vec<&str> = state.sie.sso_connectors_for_email(email).iter().map(|c| c.id.as_str()).collect();
    Ok(json_response(StatusCode::OK, &json!({ "connectorIds": ids })))
}
