//! `POST profile`: username, password, e-mail / phone from a verified code, extra profile and social linking.

use super::password::{check_password_policy, user_info};
use super::requirements::missing_custom_fields;
use super::{identified_user, no_content, require_experience, with_experience, ApiResult};
use crate::errors::ApiError;
use crate::input_guard::{self, parse_body, Guard};
use crate::interactions::{Experience, VerificationRecord};
use crate::state::AppState;
use crate::users;
use crate::users::User;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};
use sign_in_core::api::{IdentifierType, InteractionEvent, ProfileBody};

/// Copies the extra profile collected by `POST profile {extraProfile}` onto an account.
pub(super) fn apply_extra_profile(user: &mut User, p: &Map<String, Value>) {
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
    g.finish()?;
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
pub(super) async fn profile(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;

    #[test]
    fn profile_writes_belong_to_sign_in_after_identification_and_register() {
        let code = |exp: &Experience| guard_profile_event(exp).err().map(|e| e.body.code);
        let mut exp = Experience::new(InteractionEvent::ForgotPassword);
        assert_eq!(code(&exp).as_deref(), Some("session.not_supported_for_forgot_password"));
        exp = Experience::new(InteractionEvent::SignIn);
        assert_eq!(code(&exp).as_deref(), Some("session.identifier_not_found"));
        exp.user_id = Some("u1".into());
        assert_eq!(code(&exp), None);
        assert_eq!(code(&Experience::new(InteractionEvent::Register)), None);
    }

    #[test]
    fn extra_profile_sorts_keys_into_columns_profile_and_custom_data() {
        let state = test_state(json!({}));
        let mut exp = Experience::new(InteractionEvent::Register);
        let values = json!({"name": "Ana", "givenName": "Ana", "company": "Acme"});
        extra_profile(&state, &mut exp, values.as_object().unwrap()).unwrap();
        assert_eq!(exp.profile["name"], "Ana");
        assert_eq!(exp.profile["profile"], json!({"givenName": "Ana"}));
        assert_eq!(exp.profile["customData"], json!({"company": "Acme"}));
        let bad = json!({"bad-key": 1});
        let e = extra_profile(&state, &mut exp, bad.as_object().unwrap()).unwrap_err();
        assert_eq!(e.body.code, "guard.invalid_input");
    }
}
