//! The tenant's password policy (`passwordPolicy`), checked the way Logto's policy checker does, for both
//! sides: the page runs [`PasswordPolicy::fast_check`] (length, character types, unsupported characters)
//! before sending anything; the reference provider runs [`PasswordPolicy::check`], which adds the
//! "restricted" rules (repetition, sequences, personal information, custom words). Those only reject a
//! password when they cover all but a few of its characters, so the page must not guess them: their
//! verdict comes back as `password.rejected`. `pwned` is never checked here (it needs a breach database).

use crate::i18n::Phrases;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Symbols that count as the fourth character type; anything else outside `[a-zA-Z0-9]` is unsupported.
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
pub struct Length {
    pub min: usize,
    pub max: usize,
}

impl Default for Length {
    fn default() -> Self {
        Self { min: 8, max: 256 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharacterTypes {
    /// 1 to 4 (lowercase, uppercase, digits, symbols).
    pub min: usize,
}

impl Default for CharacterTypes {
    fn default() -> Self {
        Self { min: 1 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejects {
    pub pwned: bool,
    pub repetition_and_sequence: bool,
    pub user_info: bool,
    pub words: Vec<String>,
}

/// Logto's defaults: everything on except custom words.
impl Default for Rejects {
    fn default() -> Self {
        Self { pwned: true, repetition_and_sequence: true, user_info: true, words: Vec::new() }
    }
}

/// Decoded through [`Raw`], so whatever the tenant left out (or set to `null`) gets Logto's default;
/// `passwordPolicy: {}` is the seed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "Raw")]
pub struct PasswordPolicy {
    pub length: Length,
    pub character_types: CharacterTypes,
    pub rejects: Rejects,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Raw {
    length: Option<RawLength>,
    character_types: Option<RawCharacterTypes>,
    rejects: Option<RawRejects>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLength {
    min: Option<usize>,
    max: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawCharacterTypes {
    min: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawRejects {
    pwned: Option<bool>,
    repetition_and_sequence: Option<bool>,
    user_info: Option<bool>,
    words: Option<Vec<String>>,
}

impl From<Raw> for PasswordPolicy {
    fn from(raw: Raw) -> Self {
        let (length, types, rejects) =
            (raw.length.unwrap_or_default(), raw.character_types.unwrap_or_default(), raw.rejects.unwrap_or_default());
        let (d_length, d_rejects) = (Length::default(), Rejects::default());
        Self {
            length: Length { min: length.min.unwrap_or(d_length.min), max: length.max.unwrap_or(d_length.max) },
            character_types: CharacterTypes { min: types.min.unwrap_or(1).clamp(1, 4) },
            rejects: Rejects {
                pwned: rejects.pwned.unwrap_or(d_rejects.pwned),
                repetition_and_sequence: rejects.repetition_and_sequence.unwrap_or(d_rejects.repetition_and_sequence),
                user_info: rejects.user_info.unwrap_or(d_rejects.user_info),
                words: rejects.words.unwrap_or_default().into_iter().filter(|w| !w.is_empty()).collect(),
            },
        }
    }
}

/// What the account (or the profile being built) says about the person, for the `userInfo` rule.
#[derive(Debug, Clone, Default)]
pub struct UserInfo {
    pub name: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl PasswordPolicy {
    /// A (partial) `passwordPolicy` object with Logto's defaults filled in; a malformed one is the default.
    pub fn from_config(value: &Value) -> Self {
        Self::deserialize(value).unwrap_or_default()
    }

    /// Length, character types and unsupported characters: all a page can check without the server.
    pub fn fast_check(&self, password: &str) -> Vec<Rejection> {
        let mut issues = Vec::new();
        let len = password.chars().count();
        if len < self.length.min {
            issues.push(Rejection::new("too_short", &[("min", self.length.min)]));
        } else if len > self.length.max {
            issues.push(Rejection::new("too_long", &[("max", self.length.max)]));
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
            issues.push(Rejection::new("unsupported_characters", &[]));
        } else if kinds.iter().filter(|k| **k).count() < self.character_types.min {
            issues.push(Rejection::new("character_types", &[("min", self.character_types.min)]));
        }
        issues
    }

    /// Every rule the password breaks, in Logto's order: the fast check, then the restricted rules.
    pub fn check(&self, password: &str, info: &UserInfo) -> Vec<Rejection> {
        let mut issues = self.fast_check(password);
        let chars: Vec<char> = password.chars().map(|c| c.to_ascii_lowercase()).collect();
        let mut covered = vec![false; chars.len()];
        let mut codes: Vec<&'static str> = Vec::new();
        let mut mark = |start: usize, len: usize, code: &'static str| {
            if len == 0 {
                return;
            }
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
            if !codes.contains(&code) {
                codes.push(code);
            }
        };
        let personal = if self.rejects.user_info { personal_words(info) } else { Vec::new() };
        let words: Vec<Vec<char>> = self.rejects.words.iter().map(|w| lowered(w)).collect();
        for i in 0..chars.len() {
            let rest = &chars[i..];
            if self.rejects.repetition_and_sequence {
                mark(i, repetition_len(rest), "restricted.repetition");
                mark(i, sequence_len(rest), "restricted.sequence");
            }
            mark(i, longest_prefix(rest, &words), "restricted.words");
            mark(i, longest_prefix(rest, &personal), "restricted.user_info");
        }
        let restricted = covered.iter().filter(|c| **c).count();
        if restricted > chars.len().saturating_sub(RESTRICTED_TOLERANCE).max(1) {
            issues.extend(codes.iter().map(|code| Rejection::new(code, &[])));
        }
        issues
    }
}

/// ASCII-only case folding: supported passwords are ASCII, and full Unicode lowercasing would pull its
/// tables into the page's wasm. Other characters are compared as they are.
fn lowered(text: &str) -> Vec<char> {
    text.chars().map(|c| c.to_ascii_lowercase()).collect()
}

/// The length of the longest of `candidates` that `rest` starts with (0 if none).
fn longest_prefix(rest: &[char], candidates: &[Vec<char>]) -> usize {
    candidates.iter().filter(|c| !c.is_empty() && rest.starts_with(c)).map(Vec::len).max().unwrap_or(0)
}

/// Length of the run of the first character at the start (0 below the threshold).
fn repetition_len(rest: &[char]) -> usize {
    let Some(first) = rest.first() else { return 0 };
    let n = rest.iter().take_while(|c| *c == first).count();
    if n >= RUN_THRESHOLD {
        n
    } else {
        0
    }
}

fn is_sequential(value: &str) -> bool {
    let reversed: String = value.chars().rev().collect();
    SEQUENCES.iter().any(|s| s.contains(value) || s.contains(&reversed))
}

/// Length of the keyboard/alphabet/digit sequence at the start (0 below the threshold).
fn sequence_len(rest: &[char]) -> usize {
    let mut value = String::new();
    for c in rest {
        value.push(*c);
        if value.chars().count() > 1 && !is_sequential(&value) {
            value.pop();
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

/// The pieces of personal information a password should not be made of (already case-folded).
fn personal_words(info: &UserInfo) -> Vec<Vec<char>> {
    let mut words: Vec<String> = Vec::new();
    if let Some(name) = info.name.as_deref().filter(|n| !n.is_empty()) {
        words.push(name.to_owned());
        words.push(name.split_whitespace().collect());
        words.extend(name.split(' ').filter(|w| !w.is_empty()).map(str::to_owned));
    }
    words.extend(info.username.clone());
    if let Some(email) = &info.email {
        words.extend(email.split('@').next().filter(|p| !p.is_empty()).map(str::to_owned));
    }
    words.extend(info.phone.clone());
    words.iter().map(|w| lowered(w)).collect()
}

/// One reason a password is refused: Logto's code (`password_rejected.too_short`) and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: String,
    /// As on the wire (numbers stay numbers).
    pub interpolation: Vec<(String, Value)>,
}

impl Rejection {
    fn new(code: &str, values: &[(&str, usize)]) -> Self {
        let interpolation = values.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect();
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
                    .map(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
                Some(Self { code, interpolation })
            })
            .collect()
    }

    /// One `password.rejected` data item: `{"code": …, "interpolation"?: {…}}`.
    pub fn to_json(&self) -> Value {
        let mut item = Map::new();
        item.insert("code".into(), Value::from(self.code.as_str()));
        if !self.interpolation.is_empty() {
            let values = self.interpolation.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            item.insert("interpolation".into(), Value::Object(values));
        }
        Value::Object(item)
    }

    /// The `data` of a `password.rejected` error.
    pub fn to_data(list: &[Self]) -> Vec<Value> {
        list.iter().map(Self::to_json).collect()
    }

    pub fn is_restricted(&self) -> bool {
        self.code.starts_with("password_rejected.restricted.")
    }

    /// This reason's own phrase (`error.password_rejected.*`).
    pub fn message(&self, phrases: &Phrases) -> String {
        let values: Vec<(&str, String)> = self.interpolation.iter().map(|(k, v)| (k.as_str(), plain(v))).collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
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

/// Reasons shown on their own, most important first (as Logto's page picks them).
const SHOWN_ALONE: &[&str] = &[
    "password_rejected.unsupported_characters",
    "password_rejected.too_short",
    "password_rejected.character_types",
    "password_rejected.too_long",
    "password_rejected.pwned",
];

/// Whether [`message`] has something to say about these reasons; when it hasn't, the provider's own
/// `message` is the best text (Logto's page falls back to it too).
pub fn has_message(rejections: &[Rejection]) -> bool {
    rejections.iter().any(|r| r.is_restricted() || SHOWN_ALONE.contains(&r.code.as_str()))
}

/// The one sentence a page shows for a list of reasons (local or from `password.rejected`): the most
/// important reason that stands alone, else every restricted reason in one `restricted_found` sentence.
pub fn message(rejections: &[Rejection], phrases: &Phrases) -> Option<String> {
    let alone = SHOWN_ALONE.iter().find_map(|code| rejections.iter().find(|r| r.code == *code));
    if let Some(rejection) = alone {
        return Some(rejection.message(phrases));
    }
    let restricted: Vec<String> = rejections.iter().filter(|r| r.is_restricted()).map(|r| r.message(phrases)).collect();
    if restricted.is_empty() {
        return None;
    }
    let list = phrases.list_and(&restricted);
    Some(phrases.t_with("error.password_rejected.restricted_found", &[("list", &list)]))
}

/// The requirement line under a new-password field ("At least 8 characters and 2 kinds of characters").
pub fn requirements(policy: &PasswordPolicy, phrases: &Phrases) -> String {
    let mut items = vec![phrases.t_count("description.password_requirement.length", policy.length.min)];
    if policy.character_types.min > 1 {
        items.push(phrases.t_count("description.password_requirement.character_types", policy.character_types.min));
    }
    phrases.t_with("description.password_requirements", &[("items", &phrases.list_and(&items))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::english;
    use serde_json::json;

    fn codes(v: &[Rejection]) -> Vec<&str> {
        v.iter().map(|r| r.code.as_str()).collect()
    }

    fn none() -> UserInfo {
        UserInfo::default()
    }

    #[test]
    fn defaults_fill_an_empty_policy() {
        let policy = PasswordPolicy::from_config(&json!({}));
        assert_eq!(policy, PasswordPolicy::default());
        assert_eq!(policy.length, Length { min: 8, max: 256 });
        assert_eq!(policy.character_types.min, 1);
        assert!(policy.rejects.pwned && policy.rejects.repetition_and_sequence && policy.rejects.user_info);
        assert!(policy.rejects.words.is_empty());
        let rich = PasswordPolicy::from_config(
            &json!({"length": {"max": null}, "rejects": {"pwned": false, "userInfo": false, "words": ["acme", ""]}}),
        );
        assert!(!rich.rejects.pwned && !rich.rejects.user_info && rich.rejects.repetition_and_sequence);
        assert_eq!(rich.rejects.words, ["acme"]);
        assert_eq!(rich.length, Length { min: 8, max: 256 });
        assert_eq!(PasswordPolicy::from_config(&json!({"characterTypes": {"min": 9}})).character_types.min, 4);
        assert_eq!(PasswordPolicy::from_config(&json!({"characterTypes": {"min": 0}})).character_types.min, 1);
        assert_eq!(PasswordPolicy::from_config(&Value::Null), PasswordPolicy::default());
        assert_eq!(PasswordPolicy::from_config(&json!({"length": "long"})), PasswordPolicy::default());
    }

    #[test]
    fn defaults_and_fast_rules() {
        let p = PasswordPolicy::from_config(&json!({}));
        assert_eq!(
            Rejection::to_data(&p.check("short", &none())),
            vec![json!({"code": "password_rejected.too_short", "interpolation": {"min": 8}})]
        );
        let strict =
            PasswordPolicy::from_config(&json!({"length": {"min": 4, "max": 10}, "characterTypes": {"min": 3}}));
        assert_eq!(
            codes(&strict.check("abcdefghijkl", &none())),
            [
                "password_rejected.too_long",
                "password_rejected.character_types",
                "password_rejected.restricted.sequence"
            ]
        );
        assert_eq!(codes(&strict.check("Ab1€xyz", &none())), ["password_rejected.unsupported_characters"]);
        assert!(p.check("Um4-Passw0rd!x", &none()).is_empty());
    }

    #[test]
    fn fast_check_leaves_restricted_rules_to_the_server() {
        let policy =
            PasswordPolicy::from_config(&json!({"characterTypes": {"min": 3}, "rejects": {"words": ["acme"]}}));
        let fast = |p: &str| policy.fast_check(p).into_iter().map(|r| r.code).collect::<Vec<_>>();
        assert_eq!(fast("short"), ["password_rejected.too_short", "password_rejected.character_types"]);
        assert!(fast("Aaaa-Passw0rd").is_empty());
        assert!(fast("Abc-Passw0rd").is_empty());
        assert!(fast("123456aA").is_empty());
        assert!(fast("My-Acme-Pa55").is_empty());
        assert!(fast("Um4-Passw0rd!x").is_empty());
        assert_eq!(fast("Pässw0rd-Zz!"), ["password_rejected.unsupported_characters"]);
    }

    #[test]
    fn restricted_rules_need_to_cover_most_of_the_password() {
        let p = PasswordPolicy::from_config(&json!({"rejects": {"words": ["logto"]}}));
        assert_eq!(codes(&p.check("aaaaaaaa", &none())), ["password_rejected.restricted.repetition"]);
        assert_eq!(codes(&p.check("LogtoLogto", &none())), ["password_rejected.restricted.words"]);
        // Four unrelated characters are enough to accept it.
        assert!(p.check("12345678xQ!z", &none()).is_empty());
        assert_eq!(codes(&p.check("123456aA", &none())), ["password_rejected.restricted.sequence"]);
        let info =
            UserInfo { username: Some("maya".into()), email: Some("maya.k@example.com".into()), ..Default::default() };
        assert_eq!(codes(&p.check("mayamaya1", &info)), ["password_rejected.restricted.user_info"]);
        assert_eq!(codes(&p.check("MAYAMAYA1", &info)), ["password_rejected.restricted.user_info"]);
        let off = PasswordPolicy::from_config(&json!({"rejects": {"userInfo": false, "repetitionAndSequence": false}}));
        assert!(off.check("mayamaya1", &info).is_empty());
        assert!(off.check("aaaaaaaa", &none()).is_empty());
    }

    #[test]
    fn keyboard_rows_and_reverse_runs_are_sequences() {
        let p = PasswordPolicy::default();
        assert_eq!(codes(&p.check("qwertyui", &none())), ["password_rejected.restricted.sequence"]);
        assert_eq!(codes(&p.check("98765432", &none())), ["password_rejected.restricted.sequence"]);
        assert_eq!(codes(&p.check("1qaz2wsx", &none())), ["password_rejected.restricted.sequence"]);
    }

    #[test]
    fn non_ascii_user_info_is_compared_as_is() {
        let p = PasswordPolicy::default();
        let info = UserInfo { name: Some("Zoë Öz".into()), ..Default::default() };
        assert_eq!(
            codes(&p.check("ZoëZoë1", &info)),
            [
                "password_rejected.too_short",
                "password_rejected.unsupported_characters",
                "password_rejected.restricted.user_info"
            ]
        );
    }

    #[test]
    fn wire_items_keep_numbers_and_omit_empty_interpolation() {
        let p = PasswordPolicy::from_config(&json!({"length": {"min": 10}, "characterTypes": {"min": 3}}));
        assert_eq!(
            Rejection::to_data(&p.check("aaaaa", &none())),
            vec![
                json!({"code": "password_rejected.too_short", "interpolation": {"min": 10}}),
                json!({"code": "password_rejected.character_types", "interpolation": {"min": 3}}),
                json!({"code": "password_rejected.restricted.repetition"}),
            ]
        );
    }

    #[test]
    fn provider_rejections_read_and_phrase() {
        let data = json!([{"code": "password_rejected.too_short", "interpolation": {"min": 8}}]);
        let list = Rejection::list_from(Some(&data));
        assert_eq!(
            list,
            vec![Rejection {
                code: "password_rejected.too_short".into(),
                interpolation: vec![("min".into(), json!(8))]
            }]
        );
        assert_eq!(Rejection::to_data(&list), data.as_array().unwrap().clone());
        assert!(list[0].message(&english()).contains('8'));
    }

    #[test]
    fn one_message_for_a_list_of_reasons() {
        let en = english();
        let read = |data: Value| Rejection::list_from(Some(&data));
        let show = |data: Value| message(&read(data), &en);
        let phrase = |key: &str| en.t(&format!("error.password_rejected.{key}"));
        let found = |list: &str| en.t_with("error.password_rejected.restricted_found", &[("list", list)]);

        assert_eq!(show(json!([])), None);
        assert_eq!(show(json!([{"code": "password_rejected.something_new"}])), None);
        assert!(!has_message(&read(json!([{"code": "password_rejected.something_new"}]))));
        // A reason that stands alone wins, the most important one first.
        assert_eq!(
            show(json!([{"code": "password_rejected.too_short", "interpolation": {"min": 8}},
                         {"code": "password_rejected.unsupported_characters"}])),
            Some(phrase("unsupported_characters"))
        );
        assert_eq!(
            show(json!([{"code": "password_rejected.restricted.sequence"}, {"code": "password_rejected.pwned"}])),
            Some(phrase("pwned"))
        );
        // Restricted reasons are listed together in one sentence.
        let one = show(json!([{"code": "password_rejected.restricted.user_info"}])).unwrap();
        assert_eq!(one, found(&phrase("restricted.user_info")));
        let two = show(json!([{"code": "password_rejected.restricted.repetition"},
                              {"code": "password_rejected.restricted.sequence"}]))
        .unwrap();
        assert_eq!(two, found(&format!("{} and {}", phrase("restricted.repetition"), phrase("restricted.sequence"))));
        assert!(!two.contains("{{") && !two.contains("password_rejected"), "{two}");
        assert!(has_message(&read(json!([{"code": "password_rejected.restricted.words"}]))));
    }

    #[test]
    fn requirement_line_uses_plurals() {
        let p = english();
        let policy = PasswordPolicy { character_types: CharacterTypes { min: 2 }, ..Default::default() };
        let line = requirements(&policy, &p);
        assert!(line.contains("8 characters") && line.contains("2 kinds"), "{line}");
    }
}
