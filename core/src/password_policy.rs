//! The tenant's password policy (`passwordPolicy`): the requirements shown under a new-password field,
//! the fast checks done before asking the provider, and the text of the provider's `password.rejected`.

use crate::i18n::Phrases;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Length {
    pub min: usize,
    pub max: usize,
}

impl Default for Length {
    fn default() -> Self {
        Self { min: 8, max: 256 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CharacterTypes {
    pub min: usize,
}

impl Default for CharacterTypes {
    fn default() -> Self {
        Self { min: 1 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Rejects {
    pub pwned: bool,
    pub repetition_and_sequence: bool,
    pub user_info: bool,
    pub words: Vec<String>,
}

/// Logto's defaults fill whatever the tenant left out (`passwordPolicy: {}` is the seed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordPolicy {
    pub length: Length,
    pub character_types: CharacterTypes,
    pub rejects: Rejects,
}

impl PasswordPolicy {
    pub fn from_config(value: &Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }
}

/// One reason a password is refused: Logto's code (`password_rejected.too_short`) and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: String,
    pub interpolation: Vec<(String, String)>,
}

impl Rejection {
    fn new(code: &str, values: &[(&str, usize)]) -> Self {
        let interpolation = values.iter().map(|(k, v)| ((*k).to_owned(), v.to_string())).collect();
        Self { code: format!("password_rejected.{code}"), interpolation }
    }

    /// From the `data` of a `password.rejected` error: `[{code, interpolation?}]`.
    pub fn list_from(data: Option<&Value>) -> Vec<Self> {
        let Some(items) = data.and_then(Value::as_array) else { return Vec::new() };
        items
            .iter()
            .filter_map(|item| {
                let code = item.get("code")?.as_str()?.to_owned();
                let interpolation = item
                    .get("interpolation")
                    .and_then(Value::as_object)
                    .map(|map| map.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
                    .unwrap_or_default();
                Some(Self { code, interpolation })
            })
            .collect()
    }

    pub fn message(&self, phrases: &Phrases) -> String {
        let args: Vec<(&str, &str)> = self.interpolation.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        phrases.t_with(&format!("error.{}", self.code), &args)
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The checks that need no server: length, character types, repetition, sequences, banned words.
/// (Breach lookups and user-info checks stay with the provider.)
pub fn check(password: &str, policy: &PasswordPolicy) -> Vec<Rejection> {
    let mut found = Vec::new();
    let length = password.chars().count();
    if length < policy.length.min {
        found.push(Rejection::new("too_short", &[("min", policy.length.min)]));
    }
    if length > policy.length.max {
        found.push(Rejection::new("too_long", &[("max", policy.length.max)]));
    }
    if password.chars().any(|c| !(' '..='~').contains(&c)) {
        found.push(Rejection::new("unsupported_characters", &[]));
    }
    if character_types(password) < policy.character_types.min {
        found.push(Rejection::new("character_types", &[("min", policy.character_types.min)]));
    }
    if policy.rejects.repetition_and_sequence {
        if has_run(password, |a, b| a == b) {
            found.push(Rejection::new("restricted.repetition", &[]));
        }
        if has_run(password, |a, b| b as u32 == a as u32 + 1) || has_run(password, |a, b| a as u32 == b as u32 + 1) {
            found.push(Rejection::new("restricted.sequence", &[]));
        }
    }
    let lower = password.to_lowercase();
    if policy.rejects.words.iter().any(|w| !w.is_empty() && lower.contains(&w.to_lowercase())) {
        found.push(Rejection::new("restricted.words", &[]));
    }
    found
}

fn character_types(password: &str) -> usize {
    let classes: [fn(&char) -> bool; 4] =
        [char::is_ascii_lowercase, char::is_ascii_uppercase, char::is_ascii_digit, char::is_ascii_punctuation];
    classes.iter().filter(|class| password.chars().any(|c| class(&c))).count()
}

/// Three or more characters in a row where each pair satisfies `step`.
fn has_run(password: &str, step: impl Fn(char, char) -> bool) -> bool {
    let chars: Vec<char> = password.to_lowercase().chars().collect();
    chars.windows(3).any(|w| step(w[0], w[1]) && step(w[1], w[2]))
}

/// The requirement line under a new-password field ("At least 8 characters and 2 kinds of characters").
pub fn requirements(policy: &PasswordPolicy, phrases: &Phrases) -> String {
    let mut items = vec![phrases.t_count("description.password_requirement.length", policy.length.min)];
    if policy.character_types.min > 1 {
        items.push(phrases.t_count("description.password_requirement.character_types", policy.character_types.min));
    }
    let list = match items.as_slice() {
        [one] => one.clone(),
        [first, second] => format!("{first} {} {second}", phrases.t("list.and")),
        _ => items.join(", "),
    };
    phrases.t_with("description.password_requirements", &[("items", &list)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_fill_an_empty_policy() {
        let policy = PasswordPolicy::from_config(&json!({}));
        assert_eq!(policy.length, Length { min: 8, max: 256 });
        assert_eq!(policy.character_types.min, 1);
        let rich = PasswordPolicy::from_config(
            &json!({"rejects": {"pwned": false, "repetitionAndSequence": true, "words": ["acme"]}}),
        );
        assert!(rich.rejects.repetition_and_sequence);
        assert_eq!(rich.length.min, 8);
    }

    #[test]
    fn fast_checks() {
        let policy = PasswordPolicy {
            character_types: CharacterTypes { min: 3 },
            rejects: Rejects { repetition_and_sequence: true, words: vec!["acme".into()], ..Default::default() },
            ..Default::default()
        };
        let codes = |p: &str| check(p, &policy).into_iter().map(|r| r.code).collect::<Vec<_>>();
        assert_eq!(codes("short"), ["password_rejected.too_short", "password_rejected.character_types"]);
        assert_eq!(codes("Aaaa-Passw0rd"), ["password_rejected.restricted.repetition"]);
        assert_eq!(codes("Abc-Passw0rd"), ["password_rejected.restricted.sequence"]);
        assert_eq!(codes("My-Acme-Pa55"), ["password_rejected.restricted.words"]);
        assert!(codes("Um4-Passw0rd!x").is_empty());
        assert_eq!(codes("Pässw0rd-Zz!"), ["password_rejected.unsupported_characters"]);
    }

    #[test]
    fn provider_rejections_read_and_phrase() {
        let data = json!([{"code": "password_rejected.too_short", "interpolation": {"min": 8}}]);
        let list = Rejection::list_from(Some(&data));
        assert_eq!(
            list,
            vec![Rejection {
                code: "password_rejected.too_short".into(),
                interpolation: vec![("min".into(), "8".into())]
            }]
        );
        assert!(list[0].message(&Phrases::built_in()).contains('8'));
    }

    #[test]
    fn requirement_line_uses_plurals() {
        let p = Phrases::built_in();
        let policy = PasswordPolicy { character_types: CharacterTypes { min: 2 }, ..Default::default() };
        let line = requirements(&policy, &p);
        assert!(line.contains("8 characters") && line.contains("2 kinds"), "{line}");
    }
}
