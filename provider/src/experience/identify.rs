//! `POST identification` for SignIn and ForgotPassword: which account a verification record proves.

use super::register::register;
use super::{no_content, require_experience, with_experience, ApiResult};
use crate::errors::ApiError;
use crate::input_guard::{self, parse_body};
use crate::interactions::{Experience, VerificationRecord};
use crate::state::AppState;
use crate::users::{SocialIdentity, SsoIdentity};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent};

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
pub(super) async fn identify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = input_guard::identification_body(&parse_body(&body)?)?;
    with_experience(&state, &uid, |exp, _| {
        crate::captcha::require(&state, exp)?;
        if exp.event == InteractionEvent::Register {
            return register(&state, exp, body.verification_id.as_deref());
        }
        let Some(vid) = body.verification_id.as_deref() else {
            return Err(ApiError::invalid_input(vec![
                json!({"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["verificationId"], "message": "Required"}),
            ]));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;
    use serde_json::json;

    fn code_record(kind: IdentifierType, value: &str, verified: bool) -> VerificationRecord {
        VerificationRecord::Code {
            id: "v1".into(),
            identifier: Identifier { kind, value: value.into() },
            template: "ForgotPassword".into(),
            code: "123456".into(),
            created_at: std::time::Instant::now(),
            tries: 0,
            verified,
        }
    }

    fn refusal(r: Result<String, ApiError>) -> (u16, String) {
        let e = r.unwrap_err();
        (e.status.as_u16(), e.body.code)
    }

    #[test]
    fn forgot_password_is_identified_only_by_a_code_sent_to_the_account() {
        let state = test_state(json!({"forgotPasswordMethods": ["EmailVerificationCode"]}));
        state.users().users.push(
            serde_json::from_value(json!({"id": "u1", "username": "ana", "primaryEmail": "ana@example.com"})).unwrap(),
        );
        let email = code_record(IdentifierType::Email, "ana@example.com", true);
        assert_eq!(identify_forgot_password(&state, &email).unwrap(), "u1");
        let unverified = code_record(IdentifierType::Email, "ana@example.com", false);
        assert_eq!(refusal(identify_forgot_password(&state, &unverified)), (400, "session.verification_failed".into()));
        // Phone reset is off in this config.
        let phone = code_record(IdentifierType::Phone, "14155550123", true);
        assert_eq!(
            refusal(identify_forgot_password(&state, &phone)),
            (422, "session.not_supported_for_forgot_password".into())
        );
        let unknown = code_record(IdentifierType::Email, "nobody@example.com", true);
        assert_eq!(refusal(identify_forgot_password(&state, &unknown)), (404, "user.user_not_exist".into()));
        // A password proves nothing for a reset.
        let password = VerificationRecord::Password {
            id: "v2".into(),
            identifier: Identifier { kind: IdentifierType::Username, value: "ana".into() },
            user_id: "u1".into(),
        };
        assert_eq!(
            refusal(identify_forgot_password(&state, &password)),
            (404, "session.verification_session_not_found".into())
        );
    }

    #[test]
    fn mfa_proofs_identify_no_one() {
        let state = test_state(json!({}));
        let exp = Experience::new(InteractionEvent::SignIn);
        let totp = VerificationRecord::Totp { id: "v1".into(), secret: None, verified: true };
        assert_eq!(
            refusal(identify_sign_in(&state, &exp, &totp, false)),
            (404, "session.verification_session_not_found".into())
        );
    }
}
