//! The tenant's username rules (`usernamePolicy`): the hint under the username field and the checks
//! made before asking the provider (which checks again).

use crate::i18n::Phrases;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The policy as the settings carry it; a policy that is not as Logto writes it (a field of the wrong type) is
    /// ignored as a whole, for Logto's defaults. Read by hand, not by serde's derive: it is on the first screen
    /// (registration), where a derived decoder weighed more than all of this module's rules.
    pub fn from_config(value: &Value) -> Self {
        Self::read(value).unwrap_or_default()
    }

    fn read(value: &Value) -> Option<Self> {
        let policy = value.as_object()?;
        let default = Self::default();
        let allowed_chars = match policy.get("allowedChars") {
            None => default.allowed_chars,
            Some(chars) => {
                let chars = chars.as_object()?;
                let on = AllowedChars::default();
                AllowedChars {
                    lowercase: flag(chars, "lowercase", on.lowercase)?,
                    uppercase: flag(chars, "uppercase", on.uppercase)?,
                    numbers: flag(chars, "numbers", on.numbers)?,
                    underscore: flag(chars, "underscore", on.underscore)?,
                }
            }
        };
        Some(Self {
            min_length: length(policy, "minLength", default.min_length)?,
            max_length: length(policy, "maxLength", default.max_length)?,
            allowed_chars,
        })
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

/// A field that may be missing (`default`); `None` when it is not true or false.
fn flag(object: &Map<String, Value>, key: &str, default: bool) -> Option<bool> {
    object.get(key).map_or(Some(default), Value::as_bool)
}

/// A field that may be missing (`default`); `None` when it is not a whole number of characters.
fn length(object: &Map<String, Value>, key: &str, default: usize) -> Option<usize> {
    object.get(key).map_or(Some(default), |value| usize::try_from(value.as_u64()?).ok())
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

    #[test]
    fn a_policy_not_as_logto_writes_it_is_ignored_whole() {
        let read = |value| UsernamePolicy::from_config(&value);
        let mut expected = UsernamePolicy { min_length: 2, ..UsernamePolicy::default() };
        expected.allowed_chars.underscore = false;
        assert_eq!(read(json!({"minLength": 2, "allowedChars": {"underscore": false}, "other": 1})), expected);
        for wrong in [
            json!(null),
            json!([1, 2]),
            json!({"minLength": -1}),
            json!({"minLength": 2.5}),
            json!({"maxLength": "8"}),
            json!({"minLength": null}),
            json!({"allowedChars": null}),
            json!({"allowedChars": {"numbers": 1}}),
        ] {
            assert_eq!(read(wrong.clone()), UsernamePolicy::default(), "{wrong}");
        }
    }
}
