//! The tenant's username rules (`usernamePolicy`): the hint under the username field and the checks
//! made before asking the provider (which checks again).

use crate::i18n::Phrases;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AllowedChars {
    pub lowercase: bool,
    pub uppercase: bool,
    pub numbers: bool,
    pub underscore: bool,
}

impl Default for AllowedChars {
    fn default() -> Self {
        Self { lowercase: true, uppercase: true, numbers: true, underscore: true }
    }
}

/// Logto's defaults fill what the tenant left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsernamePolicy {
    pub min_length: usize,
    pub max_length: usize,
    pub allowed_chars: AllowedChars,
}

impl Default for UsernamePolicy {
    fn default() -> Self {
        Self { min_length: 1, max_length: 128, allowed_chars: AllowedChars::default() }
    }
}

impl UsernamePolicy {
    pub fn from_config(value: &Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    /// The first rule `username` breaks, as a message in this language.
    pub fn check(&self, username: &str, phrases: &Phrases) -> Option<String> {
        let length = username.chars().count();
        let allowed = &self.allowed_chars;
        let broken = |ok: bool, key: &str| (!ok).then(|| phrases.t(key));
        if length == 0 {
            return Some(phrases.t("error.username_required"));
        }
        if username.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(phrases.t("error.username_should_not_start_with_number"));
        }
        if !username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some(phrases.t("error.username_invalid_charset"));
        }
        if length < self.min_length {
            return Some(phrases.t_with("error.username_too_short", &[("min", &self.min_length.to_string())]));
        }
        if length > self.max_length {
            return Some(phrases.t_with("error.username_too_long", &[("max", &self.max_length.to_string())]));
        }
        broken(
            allowed.uppercase || !username.chars().any(|c| c.is_ascii_uppercase()),
            "error.username_uppercase_not_allowed",
        )
        .or_else(|| {
            broken(
                allowed.lowercase || !username.chars().any(|c| c.is_ascii_lowercase()),
                "error.username_lowercase_not_allowed",
            )
        })
        .or_else(|| {
            broken(
                allowed.numbers || !username.chars().any(|c| c.is_ascii_digit()),
                "error.username_numbers_not_allowed",
            )
        })
        .or_else(|| broken(allowed.underscore || !username.contains('_'), "error.username_underscore_not_allowed"))
    }

    /// "Use 1 to 128 characters; lowercase letters, numbers and underscores."
    pub fn requirements(&self, phrases: &Phrases) -> String {
        let allowed = &self.allowed_chars;
        let kinds: Vec<String> = [
            (allowed.lowercase, "description.username_character.lowercase"),
            (allowed.uppercase, "description.username_character.uppercase"),
            (allowed.numbers, "description.username_character.number"),
            (allowed.underscore, "description.username_character.underscore"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, key)| phrases.t(key))
        .collect();
        let length = phrases.t_with(
            "description.username_requirement.length",
            &[("min", &self.min_length.to_string()), ("max", &self.max_length.to_string())],
        );
        let characters =
            phrases.t_with("description.username_requirement.characters", &[("characters", &phrases.list_and(&kinds))]);
        phrases.t_with("description.username_requirements", &[("items", &phrases.clauses(&length, &characters))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::english;
    use serde_json::json;

    #[test]
    fn rules_in_logto_order() {
        let p = english();
        let policy =
            UsernamePolicy::from_config(&json!({"minLength": 3, "maxLength": 8, "allowedChars": {"uppercase": false}}));
        assert_eq!(policy.check("ann", &p), None);
        assert_eq!(policy.check("", &p), Some(p.t("error.username_required")));
        assert_eq!(policy.check("1ann", &p), Some(p.t("error.username_should_not_start_with_number")));
        assert_eq!(policy.check("an-n", &p), Some(p.t("error.username_invalid_charset")));
        assert!(policy.check("an", &p).unwrap().contains('3'));
        assert!(policy.check("annannann", &p).unwrap().contains('8'));
        assert_eq!(policy.check("Ann", &p), Some(p.t("error.username_uppercase_not_allowed")));
        assert!(policy.requirements(&p).contains("3"));
        assert_eq!(UsernamePolicy::from_config(&json!({})), UsernamePolicy::default());
    }
}
