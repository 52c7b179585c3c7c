//! Custom profile fields (`customProfileFields`) asked on `/continue/extra-profile`: their types, the
//! checks made before sending, and the `values` object of `POST profile {type: "extraProfile"}`.

use crate::i18n::Phrases;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FieldType {
    Text,
    Number,
    Date,
    Checkbox,
    Select,
    Url,
    Regex,
    Address,
    Fullname,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectOption {
    #[serde(default)]
    pub label: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldConfig {
    pub placeholder: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// The pattern of a `Regex` field.
    pub format: Option<String>,
    pub options: Vec<SelectOption>,
    pub default_value: Option<String>,
    /// The parts of `Address` / `Fullname` fields (each itself a field).
    pub parts: Vec<ProfileField>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub config: FieldConfig,
}

impl ProfileField {
    /// The fields of a config, skipping any this page can't read.
    pub fn list(config: &[Value]) -> Vec<Self> {
        config.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect()
    }

    /// The inputs a person fills: the field itself, or its parts for `Address` and `Fullname`.
    pub fn inputs(&self) -> Vec<ProfileField> {
        match self.kind {
            FieldType::Address | FieldType::Fullname if !self.config.parts.is_empty() => self.config.parts.clone(),
            _ => vec![self.clone()],
        }
    }

    pub fn display_label(&self) -> String {
        self.label.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| self.name.clone())
    }

    /// What is wrong with `value` (already trimmed; checkboxes are "true"/"false"), if anything.
    pub fn problem(&self, value: &str, phrases: &Phrases) -> Option<String> {
        let label = self.display_label();
        if value.is_empty() || (self.kind == FieldType::Checkbox && value == "false" && self.required) {
            return self.required.then(|| phrases.t_with("error.general_required", &[("types", &label)]));
        }
        let invalid = || Some(phrases.t_with("error.general_invalid", &[("types", &label)]));
        let length = value.chars().count();
        if self.config.min_length.is_some_and(|min| length < min)
            || self.config.max_length.is_some_and(|max| length > max)
        {
            return invalid();
        }
        match self.kind {
            // Rust's float parser also reads `NaN`, `inf` and overflowing `1e400`, which JSON cannot carry: `values`
            // would then leave the field out, so they are refused here like any other non-number.
            FieldType::Number => match value.parse::<f64>() {
                Ok(n)
                    if n.is_finite()
                        && self.config.min_value.is_none_or(|min| n >= min)
                        && self.config.max_value.is_none_or(|max| n <= max) =>
                {
                    None
                }
                _ => invalid(),
            },
            FieldType::Url
                if !(value.starts_with("https://") || value.starts_with("http://"))
                    || value.contains(char::is_whitespace) =>
            {
                invalid()
            }
            FieldType::Select if !self.config.options.iter().any(|o| o.value == value) => invalid(),
            FieldType::Date if !is_date(value) => invalid(),
            FieldType::Regex => match self.config.format.as_deref() {
                Some(pattern) if !simple_match(pattern, value) => invalid(),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `YYYY-MM-DD` (what a date input gives).
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && [y, m, d].iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)) && (1..=31).contains(&d.parse::<u8>().unwrap_or(0)))
}

/// The provider checks `Regex` fields with a real regular expression engine; the page only checks the
/// common anchored character-class form (`^[a-z0-9]+$`) and otherwise leaves it to the provider.
fn simple_match(pattern: &str, value: &str) -> bool {
    let Some(class) = pattern.strip_prefix("^[").and_then(|p| p.strip_suffix("]+$")) else { return true };
    // Escapes (`\d`, `\w`, `\-`), negation (`[^…]`) and nested brackets are not read here: leave those to the provider
    // rather than refuse values that match.
    if class.is_empty() || class.starts_with('^') || class.contains(['\\', '[', ']']) {
        return true;
    }
    let chars: Vec<char> = class.chars().collect();
    let mut allowed: Vec<(char, char)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            allowed.push((chars[i], chars[i + 2]));
            i += 3;
        } else {
            allowed.push((chars[i], chars[i]));
            i += 1;
        }
    }
    !value.is_empty() && value.chars().all(|c| allowed.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)))
}

/// The `values` object: one entry per field; `Address` parts nest under the field's name, `Fullname`
/// parts are top-level (`givenName`, `familyName`, …), checkboxes are booleans, numbers are numbers.
pub fn values(fields: &[ProfileField], value_of: impl Fn(&str) -> String) -> Map<String, Value> {
    let mut out = Map::new();
    for field in fields {
        match field.kind {
            FieldType::Address if !field.config.parts.is_empty() => {
                let parts: Map<String, Value> = field
                    .config
                    .parts
                    .iter()
                    .filter_map(|p| Some((p.name.clone(), typed(p, value_of(&p.name))?)))
                    .collect();
                if !parts.is_empty() {
                    out.insert(field.name.clone(), Value::Object(parts));
                }
            }
            FieldType::Fullname if !field.config.parts.is_empty() => {
                for part in &field.config.parts {
                    if let Some(v) = typed(part, value_of(&part.name)) {
                        out.insert(part.name.clone(), v);
                    }
                }
            }
            _ => {
                if let Some(v) = typed(field, value_of(&field.name)) {
                    out.insert(field.name.clone(), v);
                }
            }
        }
    }
    out
}

fn typed(field: &ProfileField, raw: String) -> Option<Value> {
    let raw = raw.trim().to_owned();
    match field.kind {
        FieldType::Checkbox => Some(Value::Bool(raw == "true")),
        _ if raw.is_empty() => None,
        FieldType::Number => raw.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number),
        _ => Some(Value::String(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::english;
    use serde_json::json;

    fn fields() -> Vec<ProfileField> {
        ProfileField::list(&[
            json!({"name": "company", "type": "Text", "label": "Company", "required": true, "config": {"maxLength": 5}}),
            json!({"name": "website", "type": "Url", "label": "Website", "required": false, "config": {}}),
            json!({"name": "age", "type": "Number", "required": false, "config": {"minValue": 18}}),
            json!({"name": "terms", "type": "Checkbox", "required": true, "config": {}}),
            json!({"name": "plan", "type": "Select", "required": false, "config": {"options": [{"value": "a"}, {"value": "b"}]}}),
            json!({"name": "code", "type": "Regex", "required": false, "config": {"format": "^[A-Z0-9]+$"}}),
            json!({"name": "address", "type": "Address", "required": false, "config": {"parts": [
                {"name": "streetAddress", "type": "Text", "required": false}, {"name": "country", "type": "Text", "required": false}]}}),
            json!({"name": "fullname", "type": "Fullname", "required": false, "config": {"parts": [
                {"name": "givenName", "type": "Text", "required": false}, {"name": "familyName", "type": "Text", "required": false}]}}),
            json!({"name": "weird", "type": "Hologram"}),
        ])
    }

    #[test]
    fn fields_check_their_values() {
        let p = english();
        let f = fields();
        assert_eq!(f.len(), 8, "unknown types are skipped");
        assert!(f[0].problem("", &p).is_some());
        assert!(f[0].problem("toolong", &p).is_some());
        assert_eq!(f[0].problem("Acme", &p), None);
        assert!(f[1].problem("example.com", &p).is_some());
        assert_eq!(f[1].problem("", &p), None);
        assert!(f[2].problem("17", &p).is_some());
        assert!(f[3].problem("false", &p).is_some());
        assert!(f[4].problem("c", &p).is_some());
        assert!(f[5].problem("ab", &p).is_some());
        assert_eq!(f[5].problem("AB12", &p), None);
        assert_eq!(f[6].inputs().len(), 2);
    }

    /// Found by `tests/properties.rs` (`accepted_profile_values_are_sent`): these passed the check, then `values`
    /// silently dropped them.
    #[test]
    fn numbers_json_cannot_carry_are_refused() {
        let p = english();
        let age = &ProfileField::list(&[json!({"name": "age", "type": "Number", "required": true, "config": {}})])[0];
        for bad in ["NaN", "nan", "inf", "-inf", "Infinity", "1e400", "-1e999"] {
            assert!(age.problem(bad, &p).is_some(), "{bad}");
        }
        for good in ["42", "-0.5", "1e3", "+7"] {
            assert_eq!(age.problem(good, &p), None, "{good}");
            assert!(values(std::slice::from_ref(age), |_| good.into()).contains_key("age"), "{good}");
        }
    }

    /// Found by `tests/properties.rs` (`regex_fields_never_refuse_a_matching_value`): classes with escapes or a
    /// negation were read character by character, so `^[\d]+$` refused `123`.
    #[test]
    fn regex_classes_the_page_cannot_read_are_left_to_the_provider() {
        let p = english();
        let field = |format: &str| {
            ProfileField::list(&[json!({"name": "c", "type": "Regex", "required": true, "config": {"format": format}})])
                .remove(0)
        };
        assert_eq!(field(r"^[\d]+$").problem("123", &p), None);
        assert_eq!(field(r"^[\w.-]+$").problem("a_b.c", &p), None);
        assert_eq!(field("^[^a-z]+$").problem("ABC", &p), None);
        assert_eq!(field("^[a-z]+$").problem("abc", &p), None);
        assert!(field("^[a-z]+$").problem("ABC", &p).is_some(), "the plain form is still checked");
    }

    #[test]
    fn values_nest_addresses_and_flatten_names() {
        let f = fields();
        let filled = |name: &str| match name {
            "company" => "Acme".into(),
            "age" => "42".into(),
            "terms" => "true".into(),
            "streetAddress" => "1 Main St".into(),
            "givenName" => "Ada".into(),
            _ => String::new(),
        };
        assert_eq!(
            Value::Object(values(&f, filled)),
            json!({"company": "Acme", "age": 42.0, "terms": true, "address": {"streetAddress": "1 Main St"}, "givenName": "Ada"})
        );
    }
}
