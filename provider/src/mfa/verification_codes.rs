//! E-mail / phone MFA codes, sent to the account's own address.

use super::policy::MfaSettings;
use super::{body_of, factor_not_enabled, identified, ok_vid};
use crate::codes;
use crate::errors::ApiError;
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::input_guard::Guard;
use crate::interactions::VerificationRecord;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Map, Value};
use sign_in_core::api::{Identifier, IdentifierType, MfaCodeSendBody, MfaCodeVerifyBody};
use sign_in_core::mfa::MfaFactor;

fn identifier_type(g: &mut Guard, m: &Map<String, Value>) {
    g.enumeration(m.get("identifierType"), &["email", "phone"], &["identifierType"]);
}

/// `POST verification/mfa-verification-code {identifierType}`: a code to the account's own address.
pub(super) async fn mfa_code_send(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let MfaCodeSendBody { identifier_type: kind } = body_of(&body, identifier_type)?;
    let phone = kind == IdentifierType::Phone;
    let user = with_experience(&state, &uid, |exp, _| identified(&state, exp))?;
    let s = MfaSettings::of(&state);
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
pub(super) async fn mfa_code_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let MfaCodeVerifyBody { verification_id: vid, code: entered, identifier_type: want } = body_of(&body, |g, m| {
        g.string(m.get("verificationId"), &["verificationId"]);
        g.string(m.get("code"), &["code"]);
        identifier_type(g, m);
    })?;
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
