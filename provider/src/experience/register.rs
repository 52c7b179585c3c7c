//! Register identification: the verified record's identity or address goes into the profile, then the account
//! is created.

use super::profile::apply_extra_profile;
use super::requirements::missing_sign_up_profile;
use super::ApiResult;
use crate::errors::ApiError;
use crate::interactions::{Experience, VerificationRecord};
use crate::state::AppState;
use crate::users;
use crate::users::{SocialIdentity, SsoIdentity, User};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sign_in_core::api::IdentifierType;

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
        ..Default::default()
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
pub(super) fn register(state: &AppState, exp: &mut Experience, vid: Option<&str>) -> ApiResult {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;
    use sign_in_core::api::{Identifier, InteractionEvent};
    use std::time::Instant;

    fn verified_email(exp: &mut Experience, id: &str, email: &str, verified: bool) {
        exp.put_record(VerificationRecord::Code {
            id: id.into(),
            identifier: Identifier { kind: IdentifierType::Email, value: email.into() },
            template: "Register".into(),
            code: "123456".into(),
            created_at: Instant::now(),
            tries: 0,
            verified,
        });
    }

    #[test]
    fn a_verified_email_registers_an_account_once() {
        let state = test_state(json!({"signUp": {"identifiers": ["email"], "password": false, "verify": true}}));
        let mut exp = Experience::new(InteractionEvent::Register);
        verified_email(&mut exp, "v1", "new@example.com", true);
        let resp = register(&state, &mut exp, Some("v1")).unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let id = exp.user_id.clone().expect("the new account is identified");
        assert_eq!(state.users().by_email("new@example.com").map(|u| u.id.clone()), Some(id));
        // Identified already: a second registration in the same interaction conflicts.
        assert_eq!(register(&state, &mut exp, Some("v1")).unwrap_err().body.code, "session.identity_conflict");
        // Another interaction with the same address: taken.
        let mut again = Experience::new(InteractionEvent::Register);
        verified_email(&mut again, "v2", "new@example.com", true);
        assert_eq!(register(&state, &mut again, Some("v2")).unwrap_err().body.code, "user.email_already_in_use");
    }

    #[test]
    fn registration_needs_a_verified_record_and_the_whole_profile() {
        let state = test_state(json!({"signUp": {"identifiers": ["email"], "password": true, "verify": true}}));
        let mut exp = Experience::new(InteractionEvent::Register);
        verified_email(&mut exp, "v1", "new@example.com", false);
        assert_eq!(register(&state, &mut exp, Some("v1")).unwrap_err().body.code, "session.verification_failed");
        assert_eq!(
            register(&state, &mut exp, Some("nope")).unwrap_err().body.code,
            "session.verification_session_not_found"
        );
        verified_email(&mut exp, "v2", "new@example.com", true);
        let e = register(&state, &mut exp, Some("v2")).unwrap_err();
        assert_eq!(e.body.code, "user.missing_profile");
        assert_eq!(e.body.data.unwrap()["missingProfile"], json!(["password"]));
        assert!(exp.user_id.is_none() && state.users().by_email("new@example.com").is_none());
    }
}
