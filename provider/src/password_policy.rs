//! The sign-in experience's `passwordPolicy`, checked the way Logto's policy checker does: length, character
//! types, then the "restricted" rules (repetition, sequences, personal information, custom words), which only
//! reject a password when they cover all but a few of its characters. `pwned` is not checked (offline double).

use serde_json::{json, Value};

/// Symbols that count as the fourth character type.
const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// Runs of characters that count as a sequence (either direction).
const SEQUENCES: &[&str] = &[
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik",
    "9ol",
];

/// Repetitions and sequences shorter than this are fine.
const RUN_THRESHOLD: usize = 3;
/// A password with more than this many characters outside restricted phrases is accepted.
const RESTRICTED_TOLERANCE: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub max_length: usize,
    pub min_character_types: usize,
    pub reject_repetition_and_sequence: bool,
    pub reject_user_info: bool,
    pub reject_words: Vec<String>,
}

/// What the account (or the profile being built) says about the person.
#[derive(Debug, Clone, Default)]
pub struct UserInfo {
    pub name: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl PasswordPolicy {
    /// Reads a (partial) `passwordPolicy` object, filling Logto's defaults.
    pub fn from_json(v: &Value) -> Self {
        let num = |v: &Value, d: usize| v.as_u64().map(|n| n as usize).unwrap_or(d);
        let flag = |v: &Value| v.as_bool().unwrap_or(true);
        Self {
            min_length: num(&v["length"]["min"], 8),
            max_length: num(&v["length"]["max"], 256),
            min_character_types: num(&v["characterTypes"]["min"], 1).clamp(1, 4),
            reject_repetition_and_sequence: flag(&v["rejects"]["repetitionAndSequence"]),
            reject_user_info: flag(&v["rejects"]["userInfo"]),
            reject_words: v["rejects"]["words"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).filter(|w| !w.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
        }
    }

    /// Every rule the password breaks, as `password.rejected` data items.
    pub fn check(&self, password: &str, info: &UserInfo) -> Vec<Value> {
        let mut issues = self.fast_check(password);
        let chars: Vec<char> = password.chars().collect();
        let mut covered = vec![false; chars.len()];
        let mut codes: Vec<&'static str> = Vec::new();
        let mut mark = |start: usize, len: usize, code: &'static str, covered: &mut Vec<bool>| {
            if len == 0 {
                return;
            }
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
            if !codes.contains(&code) {
                codes.push(code);
            }
        };
        for i in 0..chars.len() {
            let rest = &chars[i..];
            if self.reject_repetition_and_sequence {
                mark(i, repetition_len(rest), "restricted.repetition", &mut covered);
                mark(i, sequence_len(rest), "restricted.sequence", &mut covered);
            }
            if !self.reject_words.is_empty() {
                mark(i, self.word_len(rest), "restricted.words", &mut covered);
            }
            if self.reject_user_info {
                mark(i, user_info_len(rest, info), "restricted.user_info", &mut covered);
            }
        }
        let restricted = covered.iter().filter(|c| **c).count();
        if restricted > chars.len().saturating_sub(RESTRICTED_TOLERANCE).max(1) {
            issues.extend(codes.iter().map(|c| json!({ "code": format!("password_rejected.{c}") })));
        }
        issues
    }

    /// Length and character types only (what a page can check as the person types).
    pub fn fast_check(&self, password: &str) -> Vec<Value> {
        let mut issues = Vec::new();
        let len = password.chars().count();
        if len < self.min_length {
            issues.push(json!({ "code": "password_rejected.too_short", "interpolation": { "min": self.min_length } }));
        } else if len > self.max_length {
            issues.push(json!({ "code": "password_rejected.too_long", "interpolation": { "max": self.max_length } }));
        }
        let mut kinds = [false; 4];
        let mut unsupported = false;
        for c in password.chars() {
            match c {
                'a'..='z' => kinds[0] = true,
                'A'..='Z' => kinds[1] = true,
                '0'..='9' => kinds[2] = true,
                c if SYMBOLS.contains(c) => kinds[3] = true,
                _ => unsupported = true,
            }
        }
        if unsupported {
            issues.push(json!({ "code": "password_rejected.unsupported_characters" }));
        } else if kinds.iter().filter(|k| **k).count() < self.min_character_types {
            issues.push(json!({ "code": "password_rejected.character_types", "interpolation": { "min": self.min_character_types } }));
        }
        issues
    }

    /// The longest custom word the text starts with (case-insensitive).
    fn word_len(&self, rest: &[char]) -> usize {
        self.reject_words.iter().filter(|w| starts_with_ci(rest, w)).map(|w| w.chars().count()).max().unwrap_or(0)
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn starts_with_ci(rest: &[char], prefix: &str) -> bool {
    let p: Vec<char> = prefix.chars().collect();
    !p.is_empty() && rest.len() >= p.len() && rest.iter().zip(&p).all(|(a, b)| lower(*a) == lower(*b))
}

/// Length of the run of the first character at the start (0 below the threshold).
fn repetition_len(rest: &[char]) -> usize {
    let Some(first) = rest.first().map(|c| lower(*c)) else { return 0 };
    let n = rest.iter().take_while(|c| lower(**c) == first).count();
    if n >= RUN_THRESHOLD {
        n
    } else {
        0
    }
}

fn is_sequential(value: &str) -> bool {
    SEQUENCES.iter().any(|s| s.contains(value) || s.chars().rev().collect::<String>().contains(value))
}

/// Length of the keyboard/alphabet/digit sequence at the start (0 below the threshold).
fn sequence_len(rest: &[char]) -> usize {
    let mut value = String::new();
    for c in rest {
        let next = format!("{value}{}", lower(*c));
        if value.is_empty() || is_sequential(&next) {
            value = next;
        } else {
            break;
        }
    }
    let n = value.chars().count();
    if n >= RUN_THRESHOLD {
        n
    } else {
        0
    }
}

/// Length of the longest piece of personal information the text starts with.
fn user_info_len(rest: &[char], info: &UserInfo) -> usize {
    let mut candidates: Vec<String> = Vec::new();
    if let Some(name) = info.name.as_deref().filter(|n| !n.is_empty()) {
        candidates.push(name.to_owned());
        candidates.push(name.split_whitespace().collect());
        candidates.extend(name.split(' ').filter(|w| !w.is_empty()).map(str::to_owned));
    }
    candidates.extend(info.username.clone());
    if let Some(email) = &info.email {
        candidates.extend(email.split('@').next().filter(|p| !p.is_empty()).map(str::to_owned));
    }
    candidates.extend(info.phone.clone());
    candidates.iter().filter(|c| starts_with_ci(rest, c)).map(|c| c.chars().count()).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[Value]) -> Vec<&str> {
        v.iter().map(|i| i["code"].as_str().unwrap()).collect()
    }

    #[test]
    fn defaults_and_fast_rules() {
        let p = PasswordPolicy::from_json(&json!({}));
        assert_eq!(
            p.check("short", &UserInfo::default()),
            vec![json!({"code": "password_rejected.too_short", "interpolation": {"min": 8}})]
        );
        let strict = PasswordPolicy::from_json(&json!({"length": {"min": 4, "max": 10}, "characterTypes": {"min": 3}}));
        assert_eq!(
            codes(&strict.check("abcdefghijkl", &UserInfo::default())),
            [
                "password_rejected.too_long",
                "password_rejected.character_types",
                "password_rejected.restricted.sequence"
            ]
        );
        assert_eq!(codes(&strict.check("Ab1€xyz", &UserInfo::default())), ["password_rejected.unsupported_characters"]);
        assert!(p.check("Um4-Passw0rd!x", &UserInfo::default()).is_empty());
    }

    #[test]
    fn restricted_rules_need_to_cover_most_of_the_password() {
        let p = PasswordPolicy::from_json(&json!({"rejects": {"words": ["logto"]}}));
        assert_eq!(codes(&p.check("aaaaaaaa", &UserInfo::default())), ["password_rejected.restricted.repetition"]);
        assert_eq!(codes(&p.check("LogtoLogto", &UserInfo::default())), ["password_rejected.restricted.words"]);
        // Four unrelated characters are enough to accept it.
        assert!(p.check("12345678xQ!z", &UserInfo::default()).is_empty());
        let info =
            UserInfo { username: Some("maya".into()), email: Some("maya.k@example.com".into()), ..Default::default() };
        assert_eq!(codes(&p.check("mayamaya1", &info)), ["password_rejected.restricted.user_info"]);
        let off = PasswordPolicy::from_json(&json!({"rejects": {"userInfo": false, "repetitionAndSequence": false}}));
        assert!(off.check("mayamaya1", &info).is_empty());
    }
}
