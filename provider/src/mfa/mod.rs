//! MFA and passkeys: the submit-time policy engine (in Logto's order), TOTP, backup codes, e-mail/phone MFA
//! codes, WebAuthn (MFA and sign-in passkeys) and the `profile/mfa*` writes.

use crate::errors::{json_response, ApiError};
use crate::input_guard::{decode, parse_body, Guard};
use crate::interactions::Experience;
use crate::state::AppState;
use crate::users::User;
use crate::webauthn::Challenge;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use sign_in_core::api::{InteractionEvent, VerificationIdResponse};
use std::time::UNIX_EPOCH;

mod backup_codes;
mod policy;
mod profile;
mod totp;
mod verification_codes;
mod webauthn_routes;

use backup_codes::{backup_generate, backup_verify};
pub use policy::{binding_gate, mask_email, mask_phone, persist, sort_factors, verification_gate};
use profile::{bind_mfa, bind_passkey, mfa_enabled, mfa_skipped, mfa_suggestion_skipped, passkey_skipped};
use totp::{totp_secret, totp_verify};
use verification_codes::{mfa_code_send, mfa_code_verify};
use webauthn_routes::{
    passkey_authentication, passkey_preflight, passkey_verify, webauthn_authentication, webauthn_authentication_verify,
    webauthn_registration, webauthn_registration_verify,
};

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

// Errors: codes and statuses are Logto's, sentences ours (`crate::messages`).

fn err(status: StatusCode, code: &str) -> ApiError {
    ApiError::new(status, code)
}
const INVALID_TOTP: &str = "session.mfa.invalid_totp_code";
const INVALID_BACKUP_CODE: &str = "session.mfa.invalid_backup_code";

fn invalid_totp() -> ApiError {
    err(StatusCode::BAD_REQUEST, INVALID_TOTP)
}
fn invalid_backup_code() -> ApiError {
    err(StatusCode::BAD_REQUEST, INVALID_BACKUP_CODE)
}
fn webauthn_failed() -> ApiError {
    err(StatusCode::BAD_REQUEST, "session.mfa.webauthn_verification_failed")
}
fn webauthn_not_found() -> ApiError {
    err(StatusCode::BAD_REQUEST, "session.mfa.webauthn_verification_not_found")
}
fn factor_not_enabled() -> ApiError {
    err(StatusCode::BAD_REQUEST, "session.mfa.mfa_factor_not_enabled")
}

// Shared by the handlers of every factor.

fn ok_vid(id: &str) -> Response {
    json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id.to_owned() })
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

/// Checks a body with Logto's zod-like guard `f` (its error answer first), then decodes it into core's type.
fn body_of<T: DeserializeOwned>(bytes: &Bytes, f: impl FnOnce(&mut Guard, &Map<String, Value>)) -> Result<T, ApiError> {
    let body = if bytes.is_empty() { json!({}) } else { parse_body(bytes)? };
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        f(&mut g, m);
    }
    g.finish()?;
    decode(&body)
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
