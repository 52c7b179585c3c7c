//! Phrase lookup under Logto's phrase keys: the provider's phrases first, the page's own English after.
//!
//! Our phrases come in two parts (docs/experience-api.md, "What the page carries itself"): `core/phrases/<tag>.json`
//! holds keys a Logto serves (the reference provider serves them as Logto would), `core/phrases/page/<tag>.json` the
//! keys Logto's phrases lack plus what the page needs when it has no provider phrases at all (the failure screens).
//! Only the page part of English is built into the page.

use serde_json::Value;

/// The page's own English phrases (`phrases/page/en.json`): keys a Logto does not serve, and the failure screens'
/// words. The page looks them up in [`PAGE_ENGLISH`], which the build script makes from the same file.
pub const PAGE_EN: &str = include_str!("../phrases/page/en.json");

include!(concat!(env!("OUT_DIR"), "/page_english.rs"));

fn page_english(key: &str) -> Option<&'static str> {
    PAGE_ENGLISH.binary_search_by_key(&key, |(k, _)| k).ok().map(|i| PAGE_ENGLISH[i].1)
}

/// One language's whole translation: the keys a Logto serves and the page's own, merged into one object.
pub fn whole_translation(mut logto_keys: Value, page_keys: Value) -> Value {
    merge(&mut logto_keys, page_keys);
    logto_keys
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                merge(into.entry(key).or_insert(Value::Null), value);
            }
        }
        (slot, value) => *slot = value,
    }
}

/// Our whole translation for `tag` (`en`, `fr`, `ar`), both parts: what the reference provider's phrases plus the
/// page's built-in part come to. For the gallery and tests; the page itself carries only [`PAGE_EN`].
pub fn ours(tag: &str) -> Option<Phrases> {
    let (logto_keys, page_keys) = match tag {
        "en" => (include_str!("../phrases/en.json"), PAGE_EN),
        "fr" => (include_str!("../phrases/fr.json"), include_str!("../phrases/page/fr.json")),
        "ar" => (include_str!("../phrases/ar.json"), include_str!("../phrases/page/ar.json")),
        _ => return None,
    };
    let parse = |text| serde_json::from_str(text).expect("our phrase files are valid JSON");
    Some(Phrases {
        language: tag.to_owned(),
        translation: Some(whole_translation(parse(logto_keys), parse(page_keys))),
    })
}

/// Our whole English ([`ours`]`("en")`).
pub fn english() -> Phrases {
    ours("en").expect("English is ours")
}

/// The phrases of one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Phrases {
    /// The resolved language tag (`Content-Language`), sent back as `Accept-Language`.
    pub language: String,
    /// The provider's `translation` object, if it gave one.
    translation: Option<Value>,
}

impl Phrases {
    /// The page's own English only: enough for the screens that show when the provider's phrases are missing.
    pub fn built_in() -> Self {
        Self { language: "en".into(), translation: None }
    }

    /// From a `{"translation": {…}}` body (`/api/.well-known/phrases` or SSR `phrases.data`).
    pub fn from_provider(language: &str, body: &Value) -> Self {
        Self { language: language.to_owned(), translation: body.get("translation").cloned() }
    }

    /// The phrase for `key` (dotted), or the key itself so a missing phrase shows up instead of vanishing.
    pub fn t(&self, key: &str) -> String {
        self.translation
            .as_ref()
            .and_then(|t| lookup(t, key))
            .or_else(|| page_english(key).filter(|s| !s.is_empty()))
            .unwrap_or(key)
            .to_owned()
    }

    /// `t` with `{{name}}` (and i18next's `{{name, formatter}}`) replaced by the given values.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        interpolate(&self.t(key), args)
    }

    /// The plural form of `key` for `count` (i18next suffixes `_zero`, `_one`, `_two`, `_few`, `_many`,
    /// `_other`, chosen by this language's rule), with `{{count}}` filled in.
    pub fn t_count(&self, key: &str, count: usize) -> String {
        let form = plural_form(&self.language, count);
        let value = count.to_string();
        let args = [("count", value.as_str())];
        [form, "other"]
            .iter()
            .map(|suffix| format!("{key}_{suffix}"))
            .find(|k| self.t(k) != *k)
            .map_or_else(|| self.t_with(key, &args), |k| self.t_with(&k, &args))
    }

    /// Joins items as a disjunction ("a, b or c") in this language.
    pub fn list_or(&self, items: &[String]) -> String {
        self.list(items, "list.or")
    }

    /// Joins items as a conjunction ("a, b and c") in this language (i18next's `{{x, list}}`).
    pub fn list_and(&self, items: &[String]) -> String {
        self.list(items, "list.and")
    }

    fn list(&self, items: &[String], conjunction: &str) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => {
                let sep = self.t("list.separator");
                format!("{}{}{last}", init.join(&format!("{sep} ")), self.joiner(conjunction))
            }
        }
    }

    /// The text between the last two items of a list joined by the conjunction phrase `key` ("and", "و"), spaces
    /// included: a one-letter conjunction (Arabic "و") is written onto the next word, so it never ends a line alone.
    pub fn joiner(&self, key: &str) -> String {
        let word = self.t(key);
        if word.chars().count() == 1 {
            format!(" {word}")
        } else {
            format!(" {word} ")
        }
    }

    /// Two clauses of one sentence ("1 to 20 characters; letters and numbers"), with this language's semicolon.
    pub fn clauses(&self, first: &str, second: &str) -> String {
        format!("{first}{} {second}", self.t("list.clause_separator"))
    }

    /// Writing direction of the language (RTL for Arabic and Persian, as Logto).
    pub fn is_rtl(&self) -> bool {
        let base = self.language.split(['-', '_']).next().unwrap_or("");
        matches!(base.to_ascii_lowercase().as_str(), "ar" | "fa" | "he" | "ur")
    }
}

/// CLDR cardinal categories for the languages we ship; others use English's.
fn plural_form(language: &str, n: usize) -> &'static str {
    match language.split(['-', '_']).next().unwrap_or("") {
        "ar" => match (n, n % 100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        "fr" if n <= 1 => "one",
        "fr" => "other",
        _ if n == 1 => "one",
        _ => "other",
    }
}

fn lookup<'a>(root: &'a Value, key: &str) -> Option<&'a str> {
    // Logto's nested keys can themselves contain dots (`password_rejected.too_short` under `error`).
    fn walk<'a>(node: &'a Value, rest: &str) -> Option<&'a str> {
        if let Some(s) = node.get(rest).and_then(Value::as_str) {
            return Some(s);
        }
        rest.match_indices('.').find_map(|(i, _)| walk(node.get(&rest[..i])?, &rest[i + 1..]))
    }
    walk(root, key).filter(|s| !s.is_empty())
}

pub(crate) fn interpolate(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        let name = inner.split(',').next().unwrap_or("").trim();
        match args.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_phrases_override_built_in_and_missing_fall_back() {
        let p = Phrases::from_provider("fr", &json!({"translation": {"action": {"sign_in": "Connexion"}}}));
        assert_eq!(p.t("action.sign_in"), "Connexion");
        assert_eq!(p.t("input.new_password"), "New password");
        assert_eq!(p.t("no.such.key"), "no.such.key");
    }

    /// The boot-failure and crash screens show before (or without) the provider's phrases.
    #[test]
    fn the_failure_screens_are_worded_without_the_provider() {
        use crate::failures::{boot_failure_phrase, ApiFailure};
        let p = Phrases::built_in();
        let causes = [ApiFailure::Network, ApiFailure::Timeout, ApiFailure::Malformed].map(|f| boot_failure_phrase(&f));
        for key in ["error.something_went_wrong", "error.crashed", "action.try_again"].into_iter().chain(causes) {
            assert_ne!(p.t(key), key, "{key} is not in core/phrases/page/en.json");
        }
    }

    #[test]
    fn the_built_in_table_holds_every_phrase_of_the_file() {
        let file: Value = serde_json::from_str(PAGE_EN).unwrap();
        let mut count = 0;
        for (group, phrases) in file.as_object().unwrap() {
            for (name, phrase) in phrases.as_object().unwrap() {
                assert_eq!(page_english(&format!("{group}.{name}")), phrase.as_str(), "{group}.{name}");
                count += 1;
            }
        }
        assert_eq!(count, PAGE_ENGLISH.len());
        assert_eq!(page_english("error"), None);
    }

    #[test]
    fn nested_keys_with_dots() {
        let p = Phrases::from_provider(
            "en",
            &json!({"translation": {"error": {"password_rejected": {"too_short": "short"}, "a.b": "flat"}}}),
        );
        assert_eq!(p.t("error.password_rejected.too_short"), "short");
        assert_eq!(p.t("error.a.b"), "flat");
    }

    #[test]
    fn interpolation_handles_formatters_and_unknown_names() {
        let p = english();
        assert_eq!(p.t_with("action.sign_in_with", &[("name", "GitHub")]), "Continue with GitHub");
        assert_eq!(interpolate("{{types, list(type: disjunction;)}}!", &[("types", "email")]), "email!");
        assert_eq!(interpolate("keep {{x}}", &[]), "keep {{x}}");
    }

    #[test]
    fn plurals_pick_the_form_and_fall_back_to_other() {
        let en = Phrases::from_provider(
            "en",
            &json!({"translation": {"x": {"n_one": "{{count}} item", "n_other": "{{count}} items"}}}),
        );
        assert_eq!(en.t_count("x.n", 1), "1 item");
        assert_eq!(en.t_count("x.n", 3), "3 items");
        let ar =
            Phrases::from_provider("ar", &json!({"translation": {"x": {"n_two": "اثنان", "n_other": "{{count}}"}}}));
        assert_eq!(ar.t_count("x.n", 2), "اثنان");
        assert_eq!(ar.t_count("x.n", 5), "5");
    }

    #[test]
    fn lists_and_direction() {
        let p = english();
        let items = ["username".to_owned(), "email".to_owned(), "phone".to_owned()];
        assert_eq!(p.list_or(&items), "username, email or phone");
        assert_eq!(p.list_and(&items[..2]), "username and email");
        assert_eq!(p.clauses("a", "b"), "a; b");
        // Arabic: its own comma and semicolon, and "و" written onto the word it joins.
        let ar = ours("ar").unwrap();
        let items = ["أ".to_owned(), "ب".to_owned(), "ج".to_owned()];
        assert_eq!(ar.list_and(&items), "أ، ب وج");
        assert_eq!(ar.list_or(&items), "أ، ب أو ج");
        assert_eq!(ar.clauses("أ", "ب"), "أ؛ ب");
        assert!(!p.is_rtl());
        assert!(Phrases::from_provider("fa-IR", &json!({})).is_rtl());
    }
}
