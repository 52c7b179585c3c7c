//! `POST submit`: the gates in Logto's order, then the collected profile is written onto the account.

use super::profile::apply_extra_profile;
use super::requirements::missing_sign_in_profile;
use super::{no_content, require_experience, with_experience, ApiResult};
use crate::errors::{json_response, ApiError};
use crate::interactions::Experience;
use crate::state::AppState;
use crate::users::SocialIdentity;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use sign_in_core::api::{InteractionEvent, SubmitResponse};

/// Writes what a SignIn interaction collected (continue flow) onto the account.
fn apply_sign_in_profile(state: &AppState, exp: &Experience, user_id: &str) -> Result<(), ApiError> {
    let p = &exp.profile;
    let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut users = state.users();
    if let Some(name) = text("username") {
        if users.by_id(user_id).is_some_and(|u| u.username.as_deref() != Some(name.as_str()))
            && users.username_taken(&name)
        {
            return Err(ApiError::username_already_in_use());
        }
    }
    if let Some(email) = text("primaryEmail") {
        if users.by_email(&email).is_some_and(|o| o.id != user_id) {
            return Err(ApiError::email_already_in_use());
        }
    }
    if let Some(phone) = text("primaryPhone") {
        if users.by_phone(&phone).is_some_and(|o| o.id != user_id) {
            return Err(ApiError::phone_already_in_use());
        }
    }
    let Some(u) = users.by_id_mut(user_id) else { return Err(ApiError::identifier_not_found()) };
    if let Some(v) = text("username") {
        u.username = Some(v);
    }
    if let Some(v) = text("primaryEmail") {
        u.primary_email = Some(v);
    }
    if let Some(v) = text("primaryPhone") {
        u.primary_phone = Some(v);
    }
    if let Some(v) = text("passwordEncrypted") {
        u.password_hash = Some(v);
        u.password_updated_at = Some(crate::mfa::now_ms(state));
    }
    if let Some(social) = p.get("socialIdentity") {
        let target = social["target"].as_str().unwrap_or_default().to_owned();
        let info = social["userInfo"].clone();
        let user_id = info["id"].as_str().unwrap_or_default().to_owned();
        u.identities.insert(target, SocialIdentity { user_id, details: info });
    }
    apply_extra_profile(u, p);
    Ok(())
}

/// `POST /api/experience/submit`: SignIn/Register answer `{redirectTo}`; ForgotPassword stores the new password,
/// answers 204 and ends the Experience state (the OIDC interaction stays open for a new `PUT`).
pub(super) async fn submit(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let event = with_experience(&state, &uid, |exp, interaction| {
        crate::captcha::require(&state, exp)?;
        let user_id = exp.user_id.clone().ok_or_else(ApiError::identifier_not_found)?;
        match exp.event {
            InteractionEvent::ForgotPassword => {
                let hash = exp
                    .profile
                    .get("passwordEncrypted")
                    .and_then(Value::as_str)
                    .ok_or_else(ApiError::new_password_required)?;
                let mut users = state.users();
                let user = users.by_id_mut(&user_id).ok_or_else(ApiError::identifier_not_found)?;
                user.password_hash = Some(hash.to_owned());
                user.password_updated_at = Some(crate::mfa::now_ms(&state));
                return Ok(exp.event);
            }
            InteractionEvent::SignIn => {
                let user = state.users().by_id(&user_id).cloned().ok_or_else(ApiError::identifier_not_found)?;
                crate::mfa::verification_gate(&state, exp, &user)?;
                let missing = missing_sign_in_profile(&state, exp, &user);
                if !missing.is_empty() {
                    return Err(ApiError::missing_profile(&missing));
                }
                crate::mfa::binding_gate(&state, exp, &user)?;
                apply_sign_in_profile(&state, exp, &user_id)?;
            }
            InteractionEvent::Register => {
                let user = state.users().by_id(&user_id).cloned().ok_or_else(ApiError::identifier_not_found)?;
                crate::mfa::binding_gate(&state, exp, &user)?;
                // E-mail/phone bound as an MFA factor after the account was created.
                apply_sign_in_profile(&state, exp, &user_id)?;
            }
        }
        crate::mfa::persist(&state, exp, &user_id);
        interaction.result = Some(user_id);
        Ok(exp.event)
    })?;
    if event == InteractionEvent::ForgotPassword {
        let mut store = state.store();
        if let Some(interaction) = store.interaction_mut(&uid) {
            interaction.experience = None;
        }
        return Ok(no_content());
    }
    let redirect_to = format!("{}/oidc/auth/{}", state.origin, uid);
    Ok(json_response(StatusCode::OK, &SubmitResponse { redirect_to }))
}
