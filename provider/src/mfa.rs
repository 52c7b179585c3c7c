//! MFA and passkeys: the submit-time policy engine (in Logto's order), TOTP, backup codes, e-mail/phone MFA
//! codes, WebAuthn (MFA and sign-in passkeys) and the `profile/mfa*` writes.

use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::input_guard::{parse_body, Guard};
use crate::session::{self, Experience, VerificationRecord, INTERACTION_COOKIE};
use crate::state::AppState;
use crate::users::{BackupCode, MfaVerification, User, WebAuthnCredential};
use crate::webauthn::{self, Challenge};
use crate::{codes, sentinel, totp};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Map, Value};
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent, VerificationIdResponse};
use sign_in_core::mfa::MfaFactor;
use std::time::UNIX_EPOCH;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/experience/verification/totp/secret", post(totp_secret))
        .route("/api/experience/verification/totp/verify", post(totp_verify))
        .route("/api/experience/verification/backup-code/generate", post(backup_generate))
        .route("/api/experience/verification/backup-code/verify", post(backup_verify))
        .route("/api/experience/verification/mfa-verification-code", post(mfa_code_send))
        .route("/api/experience/verification/mfa-verification-code/verify", post(mfa_code_verify))
        .route("/api/experience/verification/web-authn/registration", post(webauthn_registration))
        .route("/api/experience/verification/web-authn/registration/verify", post(webauthn_registration_verify))
        .route("/api/experience/verification/web-authn/authentication", post(webauthn_authentication))
        .route("/api/experience/verification/web-authn/authentication/verify", post(webauthn_authentication_verify))
        .route("/api/experience/preflight/sign-in-passkey/authentication", post(passkey_preflight))
        .route("/api/experience/verification/sign-in-passkey/authentication", post(passkey_authentication))
        .route("/api/experience/verification/sign-in-passkey/authentication/verify", post(passkey_verify))
        .route("/api/experience/profile/mfa", post(bind_mfa))
        .route("/api/experience/profile/mfa/mfa-enabled", post(mfa_enabled))
        .route("/api/experience/profile/mfa/mfa-skipped", post(mfa_skipped))
        .route("/api/experience/profile/mfa/mfa-suggestion-skipped", post(mfa_suggestion_skipped))
        .route("/api/experience/profile/mfa/passkey", post(bind_passkey))
        .route("/api/experience/profile/mfa/passkey-skipped", post(passkey_skipped))
}

// --- Errors (codes and statuses are Logto's; sentences ours) ---------------------------------------------------

fn err(status: StatusCode, code: &str, message: &str) -> ApiError {
    ApiError::new(status, code, message)
}
const INVALID_TOTP: &str = "session.mfa.invalid_totp_code";
const INVALID_BACKUP_CODE: &str = "session.mfa.invalid_backup_code";

fn invalid_totp() -> ApiError {
    err(
        StatusCode::BAD_REQUEST,
        INVALID_TOTP,
        "That code from your authenticator app is not right. Try the current one.",
    )
}
fn invalid_backup_code() -> ApiError {
    err(StatusCode::BAD_REQUEST, INVALID_BACKUP_CODE, "That backup code is not valid or has been used.")
}
fn webauthn_failed() -> ApiError {
    err(
        StatusCode::BAD_REQUEST,
        "session.mfa.webauthn_verification_failed",
        "Your passkey or security key could not be verified.",
    )
}
fn webauthn_not_found() -> ApiError {
    err(
        StatusCode::BAD_REQUEST,
        "session.mfa.webauthn_verification_not_found",
        "This account has no passkey or security key.",
    )
}
fn factor_not_enabled() -> ApiError {
    err(StatusCode::BAD_REQUEST, "session.mfa.mfa_factor_not_enabled", "This verification method is turned off.")
}

// --- Settings and factor lists -------------------------------------------------------------------------------

/// Logto's display priority (`sortMfaFactors`).
const ORDER: [MfaFactor; 5] = [
    MfaFactor::WebAuthn,
    MfaFactor::Totp,
    MfaFactor::PhoneVerificationCode,
    MfaFactor::EmailVerificationCode,
    MfaFactor::BackupCode,
];

pub fn sort_factors(mut factors: Vec<MfaFactor>) -> Vec<MfaFactor> {
    factors.sort_by_key(|f| ORDER.iter().position(|o| o == f).unwrap_or(ORDER.len()));
    factors
}

struct Settings {
    policy: String,
    factors: Vec<MfaFactor>,
    passkey_sign_in: bool,
}

impl Settings {
    fn of(state: &AppState) -> Self {
        let mfa = &state.sie.public()["mfa"];
        Self {
            policy: mfa["policy"].as_str().unwrap_or("UserControlled").to_owned(),
            factors: mfa["factors"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).filter_map(MfaFactor::from_segment).collect())
                .unwrap_or_default(),
            passkey_sign_in: state.sie.typed.passkey_sign_in.enabled,
        }
    }
    fn enabled(&self, f: MfaFactor) -> bool {
        self.factors.contains(&f)
    }
    /// `Mandatory` and the adaptive `*Mandatory` policies cannot be skipped.
    fn no_skip(&self) -> bool {
        self.policy.ends_with("Mandatory")
    }
    fn prompt_only_at_sign_in(&self) -> bool {
        self.policy.starts_with("PromptOnlyAtSignIn")
    }
    /// Factors a person can bind (the policy's set without backup codes), in display order.
    fn configured(&self) -> Vec<MfaFactor> {
        sort_factors(self.factors.iter().copied().filter(|f| *f != MfaFactor::BackupCode).collect())
    }
    fn can_bind(&self, f: MfaFactor) -> bool {
        self.enabled(f) || (f == MfaFactor::WebAuthn && self.passkey_sign_in)
    }
}

/// The account's usable factors (Logto's `getAllUserEnabledMfaVerifications`): stored ones enabled in the
/// config (WebAuthn first, the rest by last use, backup codes only while one is unused and always last), then
/// e-mail/phone when those factors are on and the account (or this interaction's profile) has the address.
fn account_factors(s: &Settings, user: &User, profile: Option<&Map<String, Value>>) -> Vec<MfaFactor> {
    let mut stored: Vec<(MfaFactor, u64)> = Vec::new();
    for v in &user.mfa_verifications {
        let f = v.factor();
        if !s.enabled(f) || (f == MfaFactor::BackupCode && !user.has_unused_backup_code()) {
            continue;
        }
        let used = v.last_used_at().unwrap_or(0);
        match stored.iter_mut().find(|(g, _)| *g == f) {
            Some(e) => e.1 = e.1.max(used),
            None => stored.push((f, used)),
        }
    }
    stored.sort_by(|a, b| {
        let rank = |f: MfaFactor| match f {
            MfaFactor::WebAuthn => 0,
            MfaFactor::BackupCode => 2,
            _ => 1,
        };
        rank(a.0).cmp(&rank(b.0)).then(b.1.cmp(&a.1))
    });
    let mut out: Vec<MfaFactor> = stored.into_iter().map(|(f, _)| f).collect();
    let text = |k: &str| profile.and_then(|p| p.get(k)).and_then(Value::as_str).is_some();
    if s.enabled(MfaFactor::PhoneVerificationCode) && (user.primary_phone.is_some() || text("primaryPhone")) {
        out.push(MfaFactor::PhoneVerificationCode);
    }
    if s.enabled(MfaFactor::EmailVerificationCode) && (user.primary_email.is_some() || text("primaryEmail")) {
        out.push(MfaFactor::EmailVerificationCode);
    }
    // Backup codes stay last.
    out.sort_by_key(|f| *f == MfaFactor::BackupCode);
    out
}

/// Logto's `maskEmail` / `maskPhone`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((name, domain)) if !name.is_empty() => {
            let head: String = if name.chars().count() > 4 { name.chars().take(4).collect() } else { String::new() };
            format!("{head}****@{domain}")
        }
        _ => email.to_owned(),
    }
}

pub fn mask_phone(phone: &str) -> String {
    let n = phone.chars().count();
    if n > 4 {
        format!("****{}", phone.chars().skip(n - 4).collect::<String>())
    } else {
        "****".to_owned()
    }
}

fn masked(user: &User, factors: &[MfaFactor]) -> Value {
    let mut m = Map::new();
    let (email, phone) = (MfaFactor::EmailVerificationCode, MfaFactor::PhoneVerificationCode);
    if factors.contains(&email) {
        if let Some(e) = &user.primary_email {
            m.insert(email.segment().into(), json!(mask_email(e)));
        }
    }
    if factors.contains(&phone) {
        if let Some(p) = &user.primary_phone {
            m.insert(phone.segment().into(), json!(mask_phone(p)));
        }
    }
    Value::Object(m)
}

fn skips_mfa(exp: &Experience) -> bool {
    matches!(exp.mfa.identified_via, Some("SignInPasskey" | "EnterpriseSso"))
}

// --- The submit-time policy engine ------------------------------------------------------------------------------

/// SignIn only, before anything else about the account: a person with factors must verify one
/// (403 `session.mfa.require_mfa_verification`). Passkey and enterprise SSO sign-ins skip this.
pub fn verification_gate(state: &AppState, exp: &Experience, user: &User) -> Result<(), ApiError> {
    if exp.event != InteractionEvent::SignIn || exp.mfa.verified || skips_mfa(exp) {
        return Ok(());
    }
    let factors = account_factors(&Settings::of(state), user, None);
    if factors.is_empty() {
        return Ok(());
    }
    Err(err(
        StatusCode::FORBIDDEN,
        "session.mfa.require_mfa_verification",
        "Verify it is you with one of your verification methods.",
    )
    .with_data(json!({ "availableFactors": factors, "maskedIdentifiers": masked(user, &factors) })))
}

/// After the profile is complete: passkey prompt, optional-MFA prompt, binding, additional-factor suggestion,
/// backup codes, in that order (the first unmet one answers).
pub fn binding_gate(state: &AppState, exp: &mut Experience, user: &User) -> Result<(), ApiError> {
    if skips_mfa(exp) {
        return Ok(());
    }
    let s = Settings::of(state);
    let register = exp.event == InteractionEvent::Register;
    let m = &exp.mfa;
    if s.passkey_sign_in
        && !m.passkey_skipped.unwrap_or(user.passkey_skipped)
        && m.webauthn.is_empty()
        && user.webauthn().next().is_none()
    {
        return Err(err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "user.passkey_preferred",
            "Add a passkey so you can sign in faster next time.",
        ));
    }
    if s.factors.is_empty() || s.policy == "NoPrompt" || (register && s.prompt_only_at_sign_in()) {
        return Ok(());
    }
    // Factors the account has, counting what this interaction bound.
    let mut in_user = account_factors(&s, user, Some(&exp.profile));
    if m.totp.is_some() && !in_user.contains(&MfaFactor::Totp) {
        in_user.push(MfaFactor::Totp);
    }
    if !m.webauthn.is_empty() && !in_user.contains(&MfaFactor::WebAuthn) {
        in_user.push(MfaFactor::WebAuthn);
    }
    let skipped = m.skipped.unwrap_or(user.mfa_skipped);
    if !s.no_skip() {
        if skipped {
            return Ok(());
        }
        match m.enabled.or(user.mfa_enabled) {
            Some(true) => {}
            Some(false) => return Err(suggest_mfa()),
            // Accounts from before the flag: having a factor means MFA is on.
            None if in_user.is_empty() => return Err(suggest_mfa()),
            None => exp.mfa.enabled = Some(true),
        }
    }
    let m = &exp.mfa;
    let configured = s.configured();
    let mut linked = in_user.clone();
    if m.backup_codes.is_some() {
        linked.push(MfaFactor::BackupCode);
    }
    if !configured.iter().any(|f| linked.contains(f)) {
        let mut data = json!({ "availableFactors": configured });
        if !s.no_skip() {
            data["skippable"] = json!(true);
        }
        return Err(err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "user.missing_mfa",
            "Set up a verification method to finish signing in.",
        )
        .with_data(data));
    }
    if register && !m.suggestion_skipped {
        suggest_additional(state, &s, exp, user, &in_user, &configured)?;
    }
    let m = &exp.mfa;
    if s.enabled(MfaFactor::BackupCode) && !(user.has_unused_backup_code() || m.backup_codes.is_some()) {
        return Err(err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "session.mfa.backup_code_required",
            "Save a set of backup codes before you continue.",
        ));
    }
    Ok(())
}

fn suggest_mfa() -> ApiError {
    err(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.suggest_mfa",
        "Consider adding a second verification step to protect your account.",
    )
}

/// `session.mfa.suggest_additional_mfa`: someone who registered with only an e-mail/phone (or passkey) factor
/// is offered a second one, once per interaction.
fn suggest_additional(
    state: &AppState,
    s: &Settings,
    exp: &Experience,
    user: &User,
    in_user: &[MfaFactor],
    configured: &[MfaFactor],
) -> Result<(), ApiError> {
    let m = &exp.mfa;
    if m.totp.is_some() || m.backup_codes.is_some() || !m.webauthn.is_empty() {
        return Ok(());
    }
    if !configured.iter().any(|f| !in_user.contains(f)) {
        return Ok(());
    }
    let sign_up = &state.sie.typed.sign_up;
    let registered_by = |k: IdentifierType| {
        sign_up.identifiers.contains(&k)
            || sign_up
                .secondary_identifiers
                .iter()
                .any(|x| x.identifier == k.as_str() || x.identifier == "emailOrPhone")
    };
    if in_user.contains(&MfaFactor::EmailVerificationCode) && !registered_by(IdentifierType::Email) {
        return Ok(());
    }
    if in_user.contains(&MfaFactor::PhoneVerificationCode) && !registered_by(IdentifierType::Phone) {
        return Ok(());
    }
    if in_user.contains(&MfaFactor::Totp)
        || in_user.contains(&MfaFactor::BackupCode)
        || (in_user.contains(&MfaFactor::WebAuthn) && !s.passkey_sign_in)
    {
        return Ok(());
    }
    let mut probe = user.clone();
    if let Some(e) = exp.profile.get("primaryEmail").and_then(Value::as_str) {
        probe.primary_email = Some(e.to_owned());
    }
    if let Some(p) = exp.profile.get("primaryPhone").and_then(Value::as_str) {
        probe.primary_phone = Some(p.to_owned());
    }
    Err(err(
        StatusCode::UNPROCESSABLE_ENTITY,
        "session.mfa.suggest_additional_mfa",
        "You can add another verification method for extra safety, or skip this.",
    )
    .with_data(json!({
        "availableFactors": configured,
        "maskedIdentifiers": masked(&probe, in_user),
        "isWebAuthnUsedAsSignInPasskey": s.passkey_sign_in && in_user.contains(&MfaFactor::WebAuthn),
        "skippable": true,
        "suggestion": true,
    })))
}

/// Writes this interaction's MFA bindings and choices onto the account (after every gate passed).
pub fn persist(state: &AppState, exp: &Experience, user_id: &str) {
    let m = &exp.mfa;
    let mut users = state.users();
    let Some(u) = users.by_id_mut(user_id) else { return };
    let bound = m.totp.is_some() || !m.webauthn.is_empty() || m.backup_codes.is_some();
    if let Some(secret) = &m.totp {
        u.mfa_verifications.retain(|v| !matches!(v, MfaVerification::Totp { .. }));
        u.mfa_verifications.push(MfaVerification::Totp {
            id: crate::random::verification_id(),
            key: secret.clone(),
            last_used_at: None,
        });
    }
    for c in &m.webauthn {
        if u.webauthn().all(|e| e.credential_id != c.credential_id) {
            u.mfa_verifications.push(MfaVerification::WebAuthn(c.clone()));
        }
    }
    if let Some(codes) = &m.backup_codes {
        u.mfa_verifications.retain(|v| !matches!(v, MfaVerification::BackupCode { .. }));
        u.mfa_verifications.push(MfaVerification::BackupCode {
            id: crate::random::verification_id(),
            codes: codes.iter().map(|c| BackupCode { code: c.clone(), used_at: None }).collect(),
            last_used_at: None,
        });
    }
    if let Some(e) = m.enabled {
        u.mfa_enabled = Some(e);
    } else if bound {
        u.mfa_enabled = Some(true);
    }
    if m.skipped == Some(true) {
        u.mfa_skipped = true;
    }
    if m.passkey_skipped == Some(true) {
        u.passkey_skipped = true;
    }
}

// --- Shared helpers ---------------------------------------------------------------------------------------------

fn ok_vid(id: &str) -> Response {
    json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id.to_owned() })
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

pub fn now_ms(state: &AppState) -> u64 {
    state.wall_now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn now_secs(state: &AppState) -> u64 {
    now_ms(state) / 1000
}

/// The identified account (404 `session.identifier_not_found` before identification).
fn identified(state: &AppState, exp: &Experience) -> Result<User, ApiError> {
    exp.user_id.as_deref().and_then(|id| state.users().by_id(id).cloned()).ok_or_else(ApiError::identifier_not_found)
}

/// Binding a factor in SignIn needs the account's existing factors verified first.
fn guard_binding(state: &AppState, exp: &Experience) -> Result<User, ApiError> {
    if exp.event == InteractionEvent::ForgotPassword {
        return Err(ApiError::not_supported_for_forgot_password());
    }
    let user = identified(state, exp)?;
    verification_gate(state, exp, &user)?;
    Ok(user)
}

fn body_of(bytes: &Bytes, f: impl FnOnce(&mut Guard, &Map<String, Value>)) -> Result<Value, ApiError> {
    let body = if bytes.is_empty() { json!({}) } else { parse_body(bytes)? };
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        f(&mut g, m);
    }
    g.finish("body")?;
    Ok(body)
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn challenge_for(state: &AppState, headers: &HeaderMap) -> Challenge {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| state.origin.split_once("://").map(|(_, h)| h.to_owned()).unwrap_or_default());
    Challenge::new(&host, &state.origin)
}

fn account_name(user: &User) -> String {
    user.username
        .clone()
        .or_else(|| user.primary_email.clone())
        .or_else(|| user.primary_phone.clone())
        .unwrap_or_else(|| user.id.clone())
}

// --- TOTP -------------------------------------------------------------------------------------------------------

/// `POST verification/totp/secret` → `{verificationId, secret, secretQrCode}`.
async fn totp_secret(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let secret = totp::new_secret();
        let issuer = webauthn::hostname(state.origin.split_once("://").map_or("", |(_, h)| h));
        let qr = totp::qr_data_url(&totp::otpauth_uri(&issuer, &account_name(&user), &secret));
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::Totp { id: id.clone(), secret: Some(secret.clone()), verified: false });
        Ok(json_response(StatusCode::OK, &json!({ "verificationId": id, "secret": secret, "secretQrCode": qr })))
    })
}

/// `POST verification/totp/verify {code, verificationId?}`: with an id, the new secret (binding); without,
/// the account's own TOTP (MFA verification). Wrong codes count against the account's TOTP attempts (binding and
/// verification alike; see `sentinel`): over `sentinelPolicy.maxAttempts` even the right code is refused until the
/// lockout ends.
async fn totp_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| {
        g.string(m.get("code"), &["code"]);
        g.optional_string(m.get("verificationId"), &["verificationId"]);
    })?;
    let code = text(&body, "code").unwrap_or_default();
    let now = now_secs(&state);
    let user_id = with_experience(&state, &uid, |exp, _| identified(&state, exp).map(|u| u.id))?;
    let attempt = sentinel::begin(&state, format!("totp:{user_id}"))?;
    let result = with_experience(&state, &uid, |exp, _| {
        let user =
            identified(&state, exp).ok().filter(|u| u.id == user_id).ok_or_else(ApiError::identifier_not_found)?;
        if let Some(vid) = text(&body, "verificationId") {
            let Some(VerificationRecord::Totp { secret: Some(secret), verified, .. }) =
                exp.records.iter_mut().find(|r| r.id() == vid)
            else {
                return Err(ApiError::verification_session_not_found());
            };
            if !totp::verify(secret, &code, now) {
                return Err(invalid_totp());
            }
            *verified = true;
            return Ok(ok_vid(&vid));
        }
        let secret = user.totp_secret().ok_or_else(invalid_totp)?;
        if !totp::verify(secret, &code, now) {
            return Err(invalid_totp());
        }
        touch(&state, &user.id, MfaFactor::Totp, now_ms(&state));
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::Totp { id: id.clone(), secret: None, verified: true });
        exp.mfa.verified = true;
        Ok(ok_vid(&id))
    });
    attempt.settle(&result, INVALID_TOTP);
    result
}

/// Records that a stored factor was just used (its `lastUsedAt`).
fn touch(state: &AppState, user_id: &str, factor: MfaFactor, at: u64) {
    let mut users = state.users();
    let Some(u) = users.by_id_mut(user_id) else { return };
    for v in u.mfa_verifications.iter_mut().filter(|v| v.factor() == factor) {
        match v {
            MfaVerification::Totp { last_used_at, .. } | MfaVerification::BackupCode { last_used_at, .. } => {
                *last_used_at = Some(at)
            }
            MfaVerification::WebAuthn(_) => {}
        }
    }
}

// --- Backup codes -------------------------------------------------------------------------------------------------

/// Ten codes of ten hex digits.
fn new_backup_codes() -> Vec<String> {
    (0..10).map(|_| crate::random::bytes::<5>().iter().map(|b| format!("{b:02x}")).collect()).collect()
}

/// `POST verification/backup-code/generate` → `{verificationId, codes}`.
async fn backup_generate(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, _| {
        identified(&state, exp)?;
        let codes = new_backup_codes();
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::BackupCode { id: id.clone(), codes: Some(codes.clone()), verified: false });
        Ok(json_response(StatusCode::OK, &json!({ "verificationId": id, "codes": codes })))
    })
}

/// `POST verification/backup-code/verify {code}`: each code works once. Wrong codes count against the account's
/// backup-code attempts (see `sentinel`), apart from its TOTP and password attempts.
async fn backup_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| g.string(m.get("code"), &["code"]))?;
    let code = text(&body, "code").unwrap_or_default();
    let at = now_ms(&state);
    let user_id = with_experience(&state, &uid, |exp, _| identified(&state, exp).map(|u| u.id))?;
    let attempt = sentinel::begin(&state, format!("backup-code:{user_id}"))?;
    let result = with_experience(&state, &uid, |exp, _| {
        let user =
            identified(&state, exp).ok().filter(|u| u.id == user_id).ok_or_else(ApiError::identifier_not_found)?;
        {
            let mut users = state.users();
            let u = users.by_id_mut(&user.id).ok_or_else(ApiError::identifier_not_found)?;
            let slot = u.mfa_verifications.iter_mut().find_map(|v| match v {
                MfaVerification::BackupCode { codes, last_used_at, .. } => {
                    codes.iter_mut().find(|c| c.used_at.is_none() && c.code == code).map(|c| (c, last_used_at))
                }
                _ => None,
            });
            let Some((c, last)) = slot else { return Err(invalid_backup_code()) };
            c.used_at = Some(at);
            *last = Some(at);
        }
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::BackupCode { id: id.clone(), codes: None, verified: true });
        exp.mfa.verified = true;
        Ok(ok_vid(&id))
    });
    attempt.settle(&result, INVALID_BACKUP_CODE);
    result
}

// --- E-mail / phone MFA codes -----------------------------------------------------------------------------------

fn identifier_type(g: &mut Guard, m: &Map<String, Value>) {
    g.enumeration(m.get("identifierType"), &["email", "phone"], &["identifierType"]);
}

/// `POST verification/mfa-verification-code {identifierType}`: a code to the account's own address.
async fn mfa_code_send(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, identifier_type)?;
    let phone = body["identifierType"] == "phone";
    let user = with_experience(&state, &uid, |exp, _| identified(&state, exp))?;
    let s = Settings::of(&state);
    let (factor, address) = if phone {
        (MfaFactor::PhoneVerificationCode, user.primary_phone.clone())
    } else {
        (MfaFactor::EmailVerificationCode, user.primary_email.clone())
    };
    if !s.enabled(factor) {
        return Err(factor_not_enabled());
    }
    let value = address.ok_or_else(factor_not_enabled)?;
    let identifier = Identifier { kind: if phone { IdentifierType::Phone } else { IdentifierType::Email }, value };
    let now = codes::rate_limit(&state, &identifier.value)?;
    let code = codes::six_digits();
    let id = crate::random::verification_id();
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::MfaCode {
            id: id.clone(),
            identifier: identifier.clone(),
            code: code.clone(),
            created_at: now,
            tries: 0,
            verified: false,
        });
        Ok(())
    })?;
    codes::deliver(&state, &identifier, "MfaVerification".into(), code);
    Ok(ok_vid(&id))
}

/// `POST verification/mfa-verification-code/verify {verificationId, code, identifierType}`.
async fn mfa_code_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| {
        g.string(m.get("verificationId"), &["verificationId"]);
        g.string(m.get("code"), &["code"]);
        identifier_type(g, m);
    })?;
    let vid = text(&body, "verificationId").unwrap_or_default();
    let entered = text(&body, "code").unwrap_or_default();
    let want = if body["identifierType"] == "phone" { IdentifierType::Phone } else { IdentifierType::Email };
    let (ttl, max_tries) = codes::code_policy(&state);
    let now = state.now();
    with_experience(&state, &uid, |exp, _| {
        let Some(VerificationRecord::MfaCode { identifier, code, created_at, tries, verified, .. }) =
            exp.records.iter_mut().find(|r| r.id() == vid)
        else {
            return Err(ApiError::verification_session_not_found());
        };
        if identifier.kind != want {
            return Err(ApiError::verification_session_not_found());
        }
        codes::check_code(
            codes::CodeAttempt { code, created_at: *created_at, tries, verified },
            &entered,
            ttl,
            max_tries,
            now,
        )?;
        exp.mfa.verified = true;
        Ok(ok_vid(&vid))
    })
}

// --- WebAuthn ---------------------------------------------------------------------------------------------------

/// `POST verification/web-authn/registration` → `{verificationId, registrationOptions}`.
async fn webauthn_registration(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let ch = challenge_for(&state, &headers);
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let mut exclude: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
        exclude.extend(exp.mfa.webauthn.iter().cloned());
        let name = account_name(&user);
        let display = user.name.clone().unwrap_or_else(|| name.clone());
        let options = webauthn::creation_options(&ch, &user.id, &name, &display, &exclude);
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::WebAuthn {
            id: id.clone(),
            challenge: ch,
            registration: true,
            credential: None,
            verified: false,
        });
        Ok(json_response(StatusCode::OK, &json!({ "verificationId": id, "registrationOptions": options })))
    })
}

fn payload_body(bytes: &Bytes, vid_required: bool) -> Result<Value, ApiError> {
    body_of(bytes, |g, m| {
        if vid_required {
            g.string(m.get("verificationId"), &["verificationId"]);
        } else {
            g.optional_string(m.get("verificationId"), &["verificationId"]);
        }
        if let Some(p) = g.object(m.get("payload"), &["payload"]) {
            g.string(p.get("id"), &["payload", "id"]);
            g.enumeration(p.get("type"), &[MfaFactor::WebAuthn.segment()], &["payload", "type"]);
            g.object(p.get("response"), &["payload", "response"]);
        }
    })
}

/// `POST verification/web-authn/registration/verify {verificationId, payload}`.
async fn webauthn_registration_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, true)?;
    let vid = text(&body, "verificationId").unwrap_or_default();
    with_experience(&state, &uid, |exp, _| {
        identified(&state, exp)?;
        let Some(VerificationRecord::WebAuthn { challenge, registration: true, credential, verified, .. }) =
            exp.records.iter_mut().find(|r| r.id() == vid)
        else {
            return Err(ApiError::verification_session_not_found());
        };
        let cred = webauthn::verify_registration(&body["payload"], challenge).map_err(|_| webauthn_failed())?;
        if state.users().by_credential_id(&cred.credential_id).is_some() {
            return Err(webauthn_failed());
        }
        *credential = Some(cred);
        *verified = true;
        Ok(ok_vid(&vid))
    })
}

/// `POST verification/web-authn/authentication` → `{verificationId, authenticationOptions}` (MFA).
async fn webauthn_authentication(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let ch = challenge_for(&state, &headers);
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let allow: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
        if allow.is_empty() {
            return Err(webauthn_not_found());
        }
        let options = webauthn::request_options(&ch, &allow);
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::WebAuthn {
            id: id.clone(),
            challenge: ch,
            registration: false,
            credential: None,
            verified: false,
        });
        Ok(json_response(StatusCode::OK, &json!({ "verificationId": id, "authenticationOptions": options })))
    })
}

/// Checks an assertion against `candidates` (the credential named by the payload must be one of them) and
/// stores the new sign count. Returns the owner's id.
fn check_assertion(state: &AppState, payload: &Value, ch: &Challenge, owner: Option<&str>) -> Result<String, ApiError> {
    let cred_id = webauthn::assertion_credential_id(payload).map_err(|_| webauthn_failed())?;
    let mut users = state.users();
    let user = users.by_credential_id(&cred_id).cloned().ok_or_else(webauthn_failed)?;
    if owner.is_some_and(|o| o != user.id) {
        return Err(webauthn_failed());
    }
    if let Some(handle) = payload["response"]["userHandle"].as_str().filter(|h| !h.is_empty()) {
        use base64::Engine;
        let decoded =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(handle.trim_end_matches('=')).unwrap_or_default();
        if decoded != user.id.as_bytes() {
            return Err(webauthn_failed());
        }
    }
    let cred = user.webauthn().find(|c| c.credential_id == cred_id).cloned().ok_or_else(webauthn_failed)?;
    if cred.rp_id != ch.rp_id {
        return Err(webauthn_failed());
    }
    let count = webauthn::verify_authentication(payload, ch, &cred).map_err(|_| webauthn_failed())?;
    let at = state.wall_now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    if let Some(u) = users.by_id_mut(&user.id) {
        for v in &mut u.mfa_verifications {
            if let MfaVerification::WebAuthn(c) = v {
                if c.credential_id == cred_id {
                    c.counter = count;
                    c.last_used_at = Some(at);
                }
            }
        }
    }
    Ok(user.id)
}

/// `POST verification/web-authn/authentication/verify {verificationId, payload}`.
async fn webauthn_authentication_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, true)?;
    let vid = text(&body, "verificationId").unwrap_or_default();
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let Some(VerificationRecord::WebAuthn { challenge, registration: false, verified, .. }) =
            exp.records.iter_mut().find(|r| r.id() == vid)
        else {
            return Err(ApiError::verification_session_not_found());
        };
        check_assertion(&state, &body["payload"], challenge, Some(&user.id))?;
        *verified = true;
        exp.mfa.verified = true;
        Ok(ok_vid(&vid))
    })
}

/// `POST preflight/sign-in-passkey/authentication` → `{authenticationOptions}` for a discoverable passkey. Needs
/// the OIDC interaction (the challenge lives there) but not `PUT /api/experience`.
async fn passkey_preflight(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = session::cookie(&headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    let ch = challenge_for(&state, &headers);
    let options = webauthn::request_options(&ch, &[]);
    let mut store = state.store();
    let interaction = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
    interaction.passkey_challenge = Some(ch);
    Ok(json_response(StatusCode::OK, &json!({ "authenticationOptions": options })))
}

/// `POST verification/sign-in-passkey/authentication {identifier}` → `{verificationId, authenticationOptions}`
/// (identifier-first passkey sign-in).
async fn passkey_authentication(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| {
        if let Some(id) = g.object(m.get("identifier"), &["identifier"]) {
            g.enumeration(id.get("type"), &["username", "email", "phone"], &["identifier", "type"]);
            g.string(id.get("value"), &["identifier", "value"]);
        }
    })?;
    let identifier: Identifier =
        serde_json::from_value(body["identifier"].clone()).map_err(|_| ApiError::invalid_input(vec![], "body"))?;
    // An unknown account answers like one without passkeys: the page goes on to the password or the code
    // either way, and the answer doesn't tell which identifiers have accounts.
    let user = state.users().find(&identifier).cloned().ok_or_else(webauthn_not_found)?;
    let allow: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
    if allow.is_empty() {
        return Err(webauthn_not_found());
    }
    let ch = challenge_for(&state, &headers);
    let options = webauthn::request_options(&ch, &allow);
    let id = crate::random::verification_id();
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::SignInPasskey {
            id: id.clone(),
            challenge: Some(ch),
            user_id: Some(user.id.clone()),
            verified: false,
        });
        Ok(json_response(StatusCode::OK, &json!({ "verificationId": id, "authenticationOptions": options })))
    })
}

/// `POST verification/sign-in-passkey/authentication/verify {verificationId?, payload}`: without an id, the
/// preflight challenge (single use) and whichever account owns the credential.
async fn passkey_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, false)?;
    let (vid, ch, owner) = match text(&body, "verificationId") {
        Some(vid) => with_experience(&state, &uid, |exp, _| match exp.record(&vid) {
            Some(VerificationRecord::SignInPasskey { challenge: Some(ch), user_id, verified: false, .. }) => {
                Ok((vid.clone(), ch.clone(), user_id.clone()))
            }
            _ => Err(ApiError::verification_session_not_found()),
        })?,
        None => {
            let ch = state.store().interaction_mut(&uid).and_then(|i| i.passkey_challenge.take());
            let ch = ch.ok_or_else(|| {
                err(
                    StatusCode::NOT_FOUND,
                    "session.passkey_sign_in.pending_info_not_found",
                    "Start the passkey sign-in again.",
                )
            })?;
            (crate::random::verification_id(), ch, None)
        }
    };
    let user_id = check_assertion(&state, &body["payload"], &ch, owner.as_deref())?;
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::SignInPasskey {
            id: vid.clone(),
            challenge: None,
            user_id: Some(user_id.clone()),
            verified: true,
        });
        Ok(ok_vid(&vid))
    })
}

// --- profile/mfa ------------------------------------------------------------------------------------------------

/// `POST profile/mfa {type, verificationId}`.
async fn bind_mfa(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| {
        g.enumeration(m.get("type"), &MfaFactor::ALL.map(MfaFactor::segment), &["type"]);
        g.string(m.get("verificationId"), &["verificationId"]);
    })?;
    // The guard admitted only factor names.
    let kind = text(&body, "type").and_then(|t| MfaFactor::from_segment(&t));
    let vid = text(&body, "verificationId").unwrap_or_default();
    let s = Settings::of(&state);
    with_experience(&state, &uid, |exp, _| {
        let user = guard_binding(&state, exp)?;
        let record = exp.record(&vid).cloned();
        match (kind, record) {
            (Some(MfaFactor::Totp), Some(VerificationRecord::Totp { secret: Some(secret), verified, .. })) => {
                if !verified {
                    return Err(ApiError::verification_failed());
                }
                if !s.can_bind(MfaFactor::Totp) {
                    return Err(factor_not_enabled());
                }
                if user.totp_secret().is_some() {
                    return Err(err(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "user.totp_already_in_use",
                        "This account already has an authenticator app.",
                    ));
                }
                exp.mfa.totp = Some(secret);
            }
            (
                Some(MfaFactor::WebAuthn),
                Some(VerificationRecord::WebAuthn { registration: true, credential, verified, .. }),
            ) => {
                let cred = credential.filter(|_| verified).ok_or_else(ApiError::verification_failed)?;
                if !s.can_bind(MfaFactor::WebAuthn) {
                    return Err(factor_not_enabled());
                }
                exp.mfa.webauthn.retain(|c| c.credential_id != cred.credential_id);
                exp.mfa.webauthn.push(cred);
            }
            (Some(MfaFactor::BackupCode), Some(VerificationRecord::BackupCode { codes: Some(codes), .. })) => {
                if !s.can_bind(MfaFactor::BackupCode) {
                    return Err(factor_not_enabled());
                }
                let mut others = account_factors(&s, &user, Some(&exp.profile));
                if exp.mfa.totp.is_some() {
                    others.push(MfaFactor::Totp);
                }
                if !exp.mfa.webauthn.is_empty() {
                    others.push(MfaFactor::WebAuthn);
                }
                if others.iter().all(|f| *f == MfaFactor::BackupCode) {
                    return Err(err(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "session.mfa.backup_code_can_not_be_alone",
                        "Backup codes need another verification method next to them.",
                    ));
                }
                exp.mfa.backup_codes = Some(codes);
            }
            (
                Some(f @ (MfaFactor::EmailVerificationCode | MfaFactor::PhoneVerificationCode)),
                Some(VerificationRecord::Code { identifier, verified, .. }),
            ) => {
                let phone = f == MfaFactor::PhoneVerificationCode;
                if identifier.kind != if phone { IdentifierType::Phone } else { IdentifierType::Email } {
                    return Err(ApiError::verification_session_not_found());
                }
                if !verified {
                    return Err(ApiError::verification_failed());
                }
                if !s.can_bind(f) {
                    return Err(factor_not_enabled());
                }
                let users = state.users();
                let owner = if phone { users.by_phone(&identifier.value) } else { users.by_email(&identifier.value) };
                if owner.is_some_and(|o| o.id != user.id) {
                    return Err(if phone {
                        ApiError::phone_already_in_use()
                    } else {
                        ApiError::email_already_in_use()
                    });
                }
                exp.profile
                    .insert((if phone { "primaryPhone" } else { "primaryEmail" }).into(), json!(identifier.value));
            }
            _ => return Err(ApiError::verification_session_not_found()),
        }
        Ok(no_content())
    })
}

/// `POST profile/mfa/passkey {verificationId}`: keeps a registered credential as a sign-in passkey.
async fn bind_passkey(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = body_of(&body, |g, m| g.string(m.get("verificationId"), &["verificationId"]))?;
    let vid = text(&body, "verificationId").unwrap_or_default();
    with_experience(&state, &uid, |exp, _| {
        guard_binding(&state, exp)?;
        let Some(VerificationRecord::WebAuthn { registration: true, credential, verified, .. }) =
            exp.record(&vid).cloned()
        else {
            return Err(ApiError::verification_session_not_found());
        };
        let cred = credential.filter(|_| verified).ok_or_else(ApiError::verification_failed)?;
        if !state.sie.typed.passkey_sign_in.enabled {
            return Err(factor_not_enabled());
        }
        exp.mfa.webauthn.retain(|c| c.credential_id != cred.credential_id);
        exp.mfa.webauthn.push(cred);
        Ok(no_content())
    })
}

fn flag(state: &AppState, headers: &HeaderMap, f: impl FnOnce(&mut Experience) -> Result<(), ApiError>) -> ApiResult {
    let uid = require_experience(state, headers)?;
    with_experience(state, &uid, |exp, _| {
        if exp.event == InteractionEvent::ForgotPassword {
            return Err(ApiError::not_supported_for_forgot_password());
        }
        identified(state, exp)?;
        f(exp)?;
        Ok(no_content())
    })
}

async fn mfa_enabled(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.enabled = Some(true);
        Ok(())
    })
}

async fn mfa_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let no_skip = Settings::of(&state).no_skip();
    flag(&state, &headers, |exp| {
        if no_skip {
            return Err(err(
                StatusCode::UNPROCESSABLE_ENTITY,
                "session.mfa.mfa_policy_not_user_controlled",
                "Two-step verification is required here and cannot be skipped.",
            ));
        }
        exp.mfa.skipped = Some(true);
        Ok(())
    })
}

async fn mfa_suggestion_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.suggestion_skipped = true;
        Ok(())
    })
}

async fn passkey_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.passkey_skipped = Some(true);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_order() {
        assert_eq!(mask_email("maya53843@example.com"), "maya****@example.com");
        assert_eq!(mask_email("ab@example.com"), "****@example.com");
        assert_eq!(mask_phone("14155550123"), "****0123");
        assert_eq!(
            sort_factors(vec![
                MfaFactor::BackupCode,
                MfaFactor::Totp,
                MfaFactor::EmailVerificationCode,
                MfaFactor::WebAuthn
            ]),
            vec![MfaFactor::WebAuthn, MfaFactor::Totp, MfaFactor::EmailVerificationCode, MfaFactor::BackupCode]
        );
    }
}
