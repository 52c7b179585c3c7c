//! Passwords: the password verification (with the sentinel's lockout and `passwordExpiration`), the password
//! policy check, and the new password of a reset (`PUT profile/password`).

use super::{identified_user, no_content, require_experience, with_experience, ApiResult};
use crate::errors::{json_response, ApiError};
use crate::input_guard::{self, parse_body, Guard};
use crate::interactions::{Experience, VerificationRecord};
use crate::state::AppState;
use crate::users;
use crate::users::User;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent, NewPasswordBody, VerificationIdResponse};
use sign_in_core::password_policy::{PasswordPolicy, Rejection, UserInfo};

/// `POST /api/experience/verification/password`
pub(super) async fn verify_password(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
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

/// What the password policy's `userInfo` rule compares against: the profile being built, then the account.
pub(super) fn user_info(exp: &Experience, user: Option<&User>) -> UserInfo {
    let p = |k: &str| exp.profile.get(k).and_then(Value::as_str).map(str::to_owned);
    UserInfo {
        name: p("name").or_else(|| user.and_then(|u| u.name.clone())),
        username: p("username").or_else(|| user.and_then(|u| u.username.clone())),
        email: p("primaryEmail").or_else(|| user.and_then(|u| u.primary_email.clone())),
        phone: p("primaryPhone").or_else(|| user.and_then(|u| u.primary_phone.clone())),
    }
}

/// `password.rejected` when the password breaks `passwordPolicy`.
pub(super) fn check_password_policy(state: &AppState, password: &str, info: &UserInfo) -> Result<(), ApiError> {
    let issues = PasswordPolicy::from_config(&state.sie.public()["passwordPolicy"]).check(password, info);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ApiError::password_rejected(Rejection::to_data(&issues)))
    }
}

/// `PUT /api/experience/profile/password {password}`: the new password of a password reset.
pub(super) async fn profile_password(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        g.string(m.get("password"), &["password"]);
    }
    g.finish()?;
    let NewPasswordBody { password } = input_guard::decode(&body)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_keys_name_the_identifier_as_accounts_are_looked_up() {
        let key = |kind, value: &str| identifier_key(&Identifier { kind, value: value.into() });
        assert_eq!(key(IdentifierType::Email, " Ana@Example.COM "), "ana@example.com");
        assert_eq!(key(IdentifierType::Phone, "+1 (415) 555-0123"), "14155550123");
        assert_eq!(key(IdentifierType::Username, "Ana"), "Ana");
    }
}
