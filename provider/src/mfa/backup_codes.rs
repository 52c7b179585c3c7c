//! Backup codes: generating a set to bind and spending one to verify.

use super::{body_of, identified, invalid_backup_code, now_ms, ok_vid, INVALID_BACKUP_CODE};
use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::interactions::VerificationRecord;
use crate::sentinel;
use crate::state::AppState;
use crate::users::MfaVerification;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use sign_in_core::api::{BackupCodeVerifyBody, BackupCodesResponse};

/// Ten codes of ten hex digits.
fn new_backup_codes() -> Vec<String> {
    (0..10).map(|_| crate::random::bytes::<5>().iter().map(|b| format!("{b:02x}")).collect()).collect()
}

/// `POST verification/backup-code/generate` → `{verificationId, codes}`.
pub(super) async fn backup_generate(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    with_experience(&state, &uid, |exp, _| {
        identified(&state, exp)?;
        let codes = new_backup_codes();
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::BackupCode { id: id.clone(), codes: Some(codes.clone()), verified: false });
        Ok(json_response(StatusCode::OK, &BackupCodesResponse { verification_id: id, codes }))
    })
}

/// `POST verification/backup-code/verify {code}`: each code works once. Wrong codes count against the account's
/// backup-code attempts (see `sentinel`), apart from its TOTP and password attempts.
pub(super) async fn backup_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let BackupCodeVerifyBody { code } = body_of(&body, |g, m| g.string(m.get("code"), &["code"]))?;
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
