//! `profile/mfa*`: binding a verified factor or a sign-in passkey, and the MFA / passkey choices (enabled,
//! skipped, suggestion skipped).

use super::policy::{account_factors, MfaSettings};
use super::{body_of, err, factor_not_enabled, guard_binding, identified};
use crate::errors::ApiError;
use crate::experience::{no_content, require_experience, with_experience, ApiResult};
use crate::interactions::{Experience, VerificationRecord};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;
use sign_in_core::api::{BindMfaBody, BindPasskeyBody};
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::mfa::MfaFactor;

/// `POST profile/mfa {type, verificationId}`.
pub(super) async fn bind_mfa(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let BindMfaBody { kind, verification_id: vid } = body_of(&body, |g, m| {
        g.enumeration(m.get("type"), &MfaFactor::ALL.map(MfaFactor::segment), &["type"]);
        g.string(m.get("verificationId"), &["verificationId"]);
    })?;
    let s = MfaSettings::of(&state);
    with_experience(&state, &uid, |exp, _| {
        let user = guard_binding(&state, exp)?;
        let record = exp.record(&vid).cloned();
        match (kind, record) {
            (MfaFactor::Totp, Some(VerificationRecord::Totp { secret: Some(secret), verified, .. })) => {
                if !verified {
                    return Err(ApiError::verification_failed());
                }
                if !s.can_bind(MfaFactor::Totp) {
                    return Err(factor_not_enabled());
                }
                if user.totp_secret().is_some() {
                    return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "user.totp_already_in_use"));
                }
                exp.mfa.totp = Some(secret);
            }
            (
                MfaFactor::WebAuthn,
                Some(VerificationRecord::WebAuthn { registration: true, credential, verified, .. }),
            ) => {
                let cred = credential.filter(|_| verified).ok_or_else(ApiError::verification_failed)?;
                if !s.can_bind(MfaFactor::WebAuthn) {
                    return Err(factor_not_enabled());
                }
                exp.mfa.webauthn.retain(|c| c.credential_id != cred.credential_id);
                exp.mfa.webauthn.push(cred);
            }
            (MfaFactor::BackupCode, Some(VerificationRecord::BackupCode { codes: Some(codes), .. })) => {
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
                    return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "session.mfa.backup_code_can_not_be_alone"));
                }
                exp.mfa.backup_codes = Some(codes);
            }
            (
                f @ (MfaFactor::EmailVerificationCode | MfaFactor::PhoneVerificationCode),
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
pub(super) async fn bind_passkey(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let BindPasskeyBody { verification_id: vid } =
        body_of(&body, |g, m| g.string(m.get("verificationId"), &["verificationId"]))?;
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

pub(super) fn flag(
    state: &AppState,
    headers: &HeaderMap,
    f: impl FnOnce(&mut Experience) -> Result<(), ApiError>,
) -> ApiResult {
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

pub(super) async fn mfa_enabled(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.enabled = Some(true);
        Ok(())
    })
}

pub(super) async fn mfa_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let no_skip = MfaSettings::of(&state).no_skip();
    flag(&state, &headers, |exp| {
        if no_skip {
            return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "session.mfa.mfa_policy_not_user_controlled"));
        }
        exp.mfa.skipped = Some(true);
        Ok(())
    })
}

pub(super) async fn mfa_suggestion_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.suggestion_skipped = true;
        Ok(())
    })
}

pub(super) async fn passkey_skipped(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    flag(&state, &headers, |exp| {
        exp.mfa.passkey_skipped = Some(true);
        Ok(())
    })
}
