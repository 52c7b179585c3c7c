//! Every phrase file in `core/phrases/` and `core/phrases/page/` must have exactly the keys of its folder's `en.json`,
//! and each phrase the same `{{placeholders}}` and `<tags>` as its English original, so a key added to English fails
//! here until the translators add it too. The two folders share no key (see `sign_in_core::i18n`).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The keys a Logto serves, and the page's own.
fn phrase_dirs() -> [PathBuf; 2] {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("phrases");
    [dir.clone(), dir.join("page")]
}

fn flat_file(path: &Path) -> BTreeMap<String, String> {
    let (mut out, mut errors) = (BTreeMap::new(), Vec::new());
    flatten(&load(path), "", &mut out, &mut errors);
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    out
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Dotted key → phrase. A non-string, non-object leaf is recorded as an error.
fn flatten(value: &Value, prefix: &str, out: &mut BTreeMap<String, String>, errors: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(v, &key, out, errors);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        other => errors.push(format!("{prefix}: not a string or object: {other}")),
    }
}

/// `{{…}}` placeholders (verbatim, formatter included) and `<…>` tags, sorted.
fn markers(phrase: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [("{{", "}}"), ("<", ">")] {
        let mut rest = phrase;
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start..].find(close) else { break };
            found.push(rest[start..start + len + close.len()].to_owned());
            rest = &rest[start + len + close.len()..];
        }
    }
    found.sort();
    found
}

#[test]
fn every_language_matches_english() {
    for dir in phrase_dirs() {
        matches_english(&dir);
    }
}

#[test]
fn the_two_parts_share_no_key() {
    let [logto, page] = phrase_dirs();
    let logto = flat_file(&logto.join("en.json"));
    let shared: Vec<String> = flat_file(&page.join("en.json")).into_keys().filter(|k| logto.contains_key(k)).collect();
    assert!(shared.is_empty(), "in both core/phrases/en.json and core/phrases/page/en.json: {shared:?}");
}

fn matches_english(dir: &Path) {
    let mut en = BTreeMap::new();
    let mut errors = Vec::new();
    flatten(&load(&dir.join("en.json")), "", &mut en, &mut errors);
    assert!(errors.is_empty(), "en.json: {errors:#?}");
    assert!(en.len() > 50, "{}/en.json looks truncated: {} phrases", dir.display(), en.len());

    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.file_stem().is_some_and(|s| s != "en"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no translations in {}", dir.display());

    let mut report = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut phrases = BTreeMap::new();
        let mut problems = Vec::new();
        flatten(&load(path), "", &mut phrases, &mut problems);

        let missing: Vec<&str> = en.keys().filter(|k| !phrases.contains_key(*k)).map(String::as_str).collect();
        let extra: Vec<&str> = phrases.keys().filter(|k| !en.contains_key(*k)).map(String::as_str).collect();
        if !missing.is_empty() {
            problems.push(format!("missing keys: {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            problems.push(format!("keys not in en.json: {}", extra.join(", ")));
        }
        for (key, english) in &en {
            let Some(phrase) = phrases.get(key) else { continue };
            if phrase.trim().is_empty() {
                problems.push(format!("{key}: empty"));
            }
            let (want, got) = (markers(english), markers(phrase));
            if want != got {
                problems.push(format!("{key}: placeholders {got:?}, English has {want:?}"));
            }
        }
        if !problems.is_empty() {
            report.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(report.is_empty(), "phrase files out of step with en.json:\n{}", report.join("\n"));
}

#[test]
fn markers_are_found_verbatim() {
    assert_eq!(
        markers("Enter your {{types, list(type: disjunction;)}} or <link></link> {{name}}"),
        ["</link>", "<link>", "{{name}}", "{{types, list(type: disjunction;)}}"]
    );
    assert!(markers("plain 5 > 3").is_empty());
}

/// Each language's own typography, which a literal translation gets wrong: French writes "cet" before a vowel
/// ("cet e-mail", never "ce e-mail") and does not put a word that elides before a value; Arabic uses its own comma and semicolon (، ؛), and writes "و" onto the word it
/// joins, so it never stands alone at the end of a line.
#[test]
fn each_language_keeps_its_typography() {
    let phrases = |file: &str| phrase_dirs().iter().flat_map(|dir| flat_file(&dir.join(file))).collect::<Vec<_>>();
    let mut problems = Vec::new();
    for (key, phrase) in phrases("fr.json") {
        let lower = phrase.to_lowercase();
        if lower
            .split(|c: char| !c.is_alphabetic() && c != '-')
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] == "ce" && w[1].starts_with(['a', 'e', 'i', 'o', 'u', 'é', 'è', 'ê', 'â', 'î', 'ô', 'û']))
        {
            problems.push(format!("fr {key}: \"ce\" before a vowel: {phrase}"));
        }
        // Before a placeholder, these words would need eliding whenever the value starts with a vowel ("de alice",
        // "le e-mail"): such phrases are worded so that nothing depends on the value. Numbers never elide here.
        for (at, _) in lower.match_indices("{{") {
            let word = lower[..at].split_whitespace().last().unwrap_or("");
            let name = lower[at + 2..].split(['}', ',']).next().unwrap_or("").trim();
            if ["ce", "de", "que", "le", "la"].contains(&word) && !["count", "min", "max"].contains(&name) {
                problems.push(format!("fr {key}: \"{word}\" before {{{{{name}}}}}: {phrase}"));
            }
        }
    }
    for (key, phrase) in phrases("ar.json") {
        // Outside `{{…}}` placeholders (i18next's formatter syntax is not text).
        let text: String =
            phrase.split("{{").map(|part| part.split_once("}}").map_or(part, |(_, after)| after)).collect();
        if text.contains([',', ';']) {
            problems.push(format!("ar {key}: a Latin comma or semicolon: {phrase}"));
        }
        if text.split_whitespace().any(|word| word == "و") && key != "description.and" && key != "list.and" {
            problems.push(format!("ar {key}: \"و\" standing alone: {phrase}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
