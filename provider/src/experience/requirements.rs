//! What `signUp` (and the required custom profile fields) ask of an account, and what a new or existing account
//! still lacks: the `user.missing_profile` answers.

use crate::interactions::Experience;
use crate::state::AppState;
use crate::users::User;
use serde_json::{Map, Value};
use sign_in_core::api::IdentifierType;

/// What `signUp` asks of every account, in Logto's `user.missing_profile` order.
fn required_profile(state: &AppState) -> Vec<&'static str> {
    let sign_up = &state.sie.typed.sign_up;
    let has = |t: IdentifierType| sign_up.identifiers.contains(&t);
    let mut required = Vec::new();
    if has(IdentifierType::Username) {
        required.push("username");
    }
    match (has(IdentifierType::Email), has(IdentifierType::Phone)) {
        (true, true) => required.push("emailOrPhone"),
        (true, false) => required.push("email"),
        (false, true) => required.push("phone"),
        _ => {}
    }
    for secondary in &sign_up.secondary_identifiers {
        let key: &'static str = match secondary.identifier.as_str() {
            "username" => "username",
            "email" => "email",
            "phone" => "phone",
            "emailOrPhone" => "emailOrPhone",
            _ => continue,
        };
        if !required.contains(&key) {
            required.push(key);
        }
    }
    if sign_up.password {
        required.push("password");
    }
    required
}

/// Whether the interaction profile (Logto's keys: `username`, `primaryEmail`, `primaryPhone`,
/// `passwordEncrypted`) or the account already has `key`.
fn profile_has(p: &Map<String, Value>, user: Option<&User>, key: &str) -> bool {
    let email = p.contains_key("primaryEmail") || user.is_some_and(|u| u.primary_email.is_some());
    let phone = p.contains_key("primaryPhone") || user.is_some_and(|u| u.primary_phone.is_some());
    match key {
        "username" => p.contains_key("username") || user.is_some_and(|u| u.username.is_some()),
        "email" => email,
        "phone" => phone,
        "emailOrPhone" => email || phone,
        "password" => p.contains_key("passwordEncrypted") || user.is_some_and(|u| u.password_hash.is_some()),
        _ => true,
    }
}

/// The required custom profile fields (`customProfileFields[].required`) the profile does not have yet.
pub(super) fn missing_custom_fields(state: &AppState, p: &Map<String, Value>) -> Vec<String> {
    state
        .sie
        .typed
        .custom_profile_fields
        .iter()
        .filter(|f| f["required"].as_bool() == Some(true))
        .filter_map(|f| f["name"].as_str())
        .filter(|name| {
            let stored = p
                .get(*name)
                .or_else(|| p.get("profile").and_then(|x| x.get(*name)))
                .or_else(|| p.get("customData").and_then(|x| x.get(*name)));
            stored.is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        })
        .map(str::to_owned)
        .collect()
}

/// What a new account still lacks, judged on the interaction profile.
pub(super) fn missing_sign_up_profile(state: &AppState, exp: &Experience) -> Vec<&'static str> {
    let from_idp = exp.profile.contains_key("socialIdentity") || exp.profile.contains_key("enterpriseSsoIdentity");
    // A social sign-up may skip the identifiers when the config says so; an SSO sign-up never asks.
    if exp.profile.contains_key("enterpriseSsoIdentity")
        || (from_idp && state.sie.typed.social_sign_in.skip_required_identifiers)
    {
        return Vec::new();
    }
    let mut missing = required_profile(state);
    // A password is not asked of people who arrive through a social or SSO identity.
    if from_idp {
        missing.retain(|k| *k != "password");
    }
    missing.retain(|k| !profile_has(&exp.profile, None, k));
    if !missing_custom_fields(state, &exp.profile).is_empty() {
        missing.push("extraProfile");
    }
    missing
}

/// What an existing account lacks under the current `signUp` (checked by a SignIn submit): the account's own
/// data plus what this interaction has collected.
pub(super) fn missing_sign_in_profile(state: &AppState, exp: &Experience, user: &User) -> Vec<&'static str> {
    let from_idp = !user.identities.is_empty() || !user.sso_identities.is_empty();
    if !user.sso_identities.is_empty() || (from_idp && state.sie.typed.social_sign_in.skip_required_identifiers) {
        return Vec::new();
    }
    let mut missing = required_profile(state);
    if from_idp {
        missing.retain(|k| *k != "password");
    }
    missing.retain(|k| !profile_has(&exp.profile, Some(user), k));
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;
    use serde_json::json;
    use sign_in_core::api::InteractionEvent;

    fn sign_up(sign_up: Value) -> AppState {
        test_state(json!({ "signUp": sign_up }))
    }

    #[test]
    fn required_profile_follows_logtos_order() {
        let state = sign_up(json!({
            "identifiers": ["email", "phone"], "password": true, "verify": true,
            "secondaryIdentifiers": [{"identifier": "username"}, {"identifier": "email"}, {"identifier": "nonsense"}],
        }));
        assert_eq!(required_profile(&state), vec!["emailOrPhone", "username", "email", "password"]);
        let state = sign_up(json!({"identifiers": ["username"], "password": false, "verify": false}));
        assert_eq!(required_profile(&state), vec!["username"]);
    }

    #[test]
    fn what_a_new_account_still_lacks() {
        let state = sign_up(json!({"identifiers": ["username", "email"], "password": true, "verify": true}));
        let mut exp = Experience::new(InteractionEvent::Register);
        assert_eq!(missing_sign_up_profile(&state, &exp), vec!["username", "email", "password"]);
        exp.profile.insert("primaryEmail".into(), json!("a@example.com"));
        exp.profile.insert("username".into(), json!("ana"));
        assert_eq!(missing_sign_up_profile(&state, &exp), vec!["password"]);
        // Arriving through a social identity: no password asked.
        exp.profile.insert("socialIdentity".into(), json!({"target": "google"}));
        assert!(missing_sign_up_profile(&state, &exp).is_empty());
        // An SSO identity never asks anything.
        let mut sso = Experience::new(InteractionEvent::Register);
        sso.profile.insert("enterpriseSsoIdentity".into(), json!({}));
        assert!(missing_sign_up_profile(&state, &sso).is_empty());
    }

    #[test]
    fn required_custom_fields_count_as_extra_profile() {
        let state = test_state(json!({
            "signUp": {"identifiers": [], "password": false, "verify": false},
            "customProfileFields": [{"name": "company", "required": true}, {"name": "nick", "required": false}],
        }));
        let mut profile = serde_json::Map::new();
        assert_eq!(missing_custom_fields(&state, &profile), vec!["company"]);
        profile.insert("customData".into(), json!({"company": ""}));
        assert_eq!(missing_custom_fields(&state, &profile), vec!["company"]);
        profile.insert("customData".into(), json!({"company": "Acme"}));
        assert!(missing_custom_fields(&state, &profile).is_empty());
    }

    #[test]
    fn profile_has_counts_the_account_too() {
        let user: User = serde_json::from_value(json!({"id": "u1", "username": null, "primaryPhone": "1415"})).unwrap();
        let p = serde_json::Map::new();
        assert!(profile_has(&p, Some(&user), "phone") && profile_has(&p, Some(&user), "emailOrPhone"));
        assert!(!profile_has(&p, Some(&user), "email") && !profile_has(&p, Some(&user), "username"));
        assert!(!profile_has(&p, None, "password") && profile_has(&p, None, "unknown-key"));
    }
}
