//! TOTP: a new secret to bind (`verification/totp/secret`) and codes checked against it or the account's own.

use super::{account_name, body_of, identified, invalid_totp, now_ms, now_secs, ok_vid, INVALID_TOTP};
use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::interactions::VerificationRecord;
use crate::state::AppState;
use crate::users::MfaVerification;
use crate::webauthn::{self};
use crate::{sentinel, totp};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use sign_in_core::api::{TotpSecretResponse, TotpVerifyBody};
use sign_in_core::mfa::MfaFactor;

/// `POST verification/totp/secret` → `{verificationId, secret, secretQrCode}`.
pub(super) async fn totp_secret(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let secret = totp::new_secret();
        let issuer = webauthn::hostname(state.origin.split_once("://").map_or("", |(_, h)| h));
        let qr = totp::qr_data_url(&totp::otpauth_uri(&issuer, &account_name(&user), &secret));
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::Totp { id: id.clone(), secret: Some(secret.clone()), verified: false });
        Ok(json_response(StatusCode::OK, &TotpSecretResponse { verification_id: id, secret, secret_qr_code: qr }))
    })
}

/// `POST verification/totp/verify {code, verificationId?}`: with an id, the new secret (binding); without,
/// the account's own TOTP (MFA verification). Wrong codes count against the account's TOTP attempts (binding and
/// verification alike; see `sentinel`): over `sentinelPolicy.maxAttempts` even the right code is refused until the
/// lockout ends.
pub(super) async fn totp_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let TotpVerifyBody { code, verification_id } = body_of(&body, |g, m| {
        g.string(m.get("code"), &["code"]);
        g.optional_string(m.get("verificationId"), &["verificationId"]);
    })?;
    let now = now_secs(&state);
    let user_id = with_experience(&state, &uid, |exp, _| identified(&state, exp).map(|u| u.id))?;
    let attempt = sentinel::begin(&state, format!("totp:{user_id}"))?;
    let result = with_experience(&state, &uid, |exp, _| {
        let user =
            identified(&state, exp).ok().filter(|u| u.id == user_id).ok_or_else(ApiError::identifier_not_found)?;
        if let Some(vid) = &verification_id {
            let Some(VerificationRecord::Totp { secret: Some(secret), verified, .. }) =
                exp.records.iter_mut().find(|r| r.id() == vid)
            else {
                return Err(ApiError::verification_session_not_found());
            };
            if !totp::verify(secret, &code, now) {
                return Err(invalid_totp());
            }
            *verified = true;
            return Ok(ok_vid(vid));
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
