//! Language resolution (Logto's `getExperienceLanguage`) over the phrase files we have.

use axum::http::HeaderMap;
use serde_json::{json, Value};
use sign_in_core::config::LanguageInfo;
use sign_in_core::i18n::whole_translation;
use std::path::{Path, PathBuf};

/// Phrase files `<dir>/<tag>.json` (keys a Logto serves), each completed by `<dir>/page/<tag>.json` (the page's own
/// keys, which a tenant would add as custom phrases: see `sign_in_core::i18n`).
#[derive(Debug, Clone)]
pub struct Phrases {
    dir: PathBuf,
}

impl Phrases {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Tags with a phrase file, read fresh each time so edits show without a restart.
    pub fn available(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut tags: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(str::to_owned))
            .collect();
        tags.sort();
        tags
    }

    /// `{"translation": <both files, merged>}`; a missing or broken file adds nothing.
    pub fn locale_phrase(&self, tag: &str) -> Value {
        let file = format!("{tag}.json");
        let read = |path: PathBuf| read_json(&path).unwrap_or_else(|| json!({}));
        let translation = whole_translation(read(self.dir.join(&file)), read(self.dir.join("page").join(&file)));
        json!({ "translation": translation })
    }

    /// Candidates: `lng` tokens, `?locale=`, then (with auto-detect) `Accept-Language` by q, then the fallback.
    pub fn resolve(&self, lng: Option<&str>, locale: Option<&str>, headers: &HeaderMap, info: &LanguageInfo) -> String {
        let mut candidates: Vec<String> = lng.unwrap_or("").split_whitespace().map(str::to_owned).collect();
        candidates.extend(locale.map(str::to_owned));
        if info.auto_detect {
            let header = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            candidates.extend(accept_language(header));
        }
        candidates.push(info.fallback_language.clone());
        match_language(&candidates, &self.available())
    }
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Tags from an `Accept-Language` header, best q first. Malformed entries (such as the SPA's
/// space-joined `ja en`) are skipped, which is why Logto answers `en` for them.
pub fn accept_language(header: &str) -> Vec<String> {
    let mut entries: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            if !is_language_tag(tag) {
                return None;
            }
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .unwrap_or(1.0);
            (q > 0.0).then(|| (q, i, tag.to_owned()))
        })
        .collect();
    entries.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, t)| t).collect()
}

fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.split('-').enumerate().all(|(i, p)| {
            (1..=8).contains(&p.len())
                && if i == 0 {
                    p.chars().all(|c| c.is_ascii_alphabetic())
                } else {
                    p.chars().all(|c| c.is_ascii_alphanumeric())
                }
        })
}

/// First candidate with an exact (case-insensitive) tag, else its base language (`fr-CA` → `fr`,
/// or `pt` → the first `pt-*`); `en` when nothing matches.
pub fn match_language(candidates: &[String], available: &[String]) -> String {
    for c in candidates {
        if let Some(tag) = available.iter().find(|a| a.eq_ignore_ascii_case(c)) {
            return tag.clone();
        }
        let base = c.split('-').next().unwrap_or(c);
        if let Some(tag) = available.iter().find(|a| a.eq_ignore_ascii_case(base)) {
            return tag.clone();
        }
        let prefix = format!("{}-", base.to_ascii_lowercase());
        if let Some(tag) = available.iter().find(|a| a.to_ascii_lowercase().starts_with(&prefix)) {
            return tag.clone();
        }
    }
    "en".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn avail() -> Vec<String> {
        ["ar", "en", "fr", "ko", "zh-TW", "pt-BR"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resolution_cases_from_the_captures() {
        let m = |c: &[&str]| match_language(&c.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &avail());
        assert_eq!(m(&["fr-CA", "en"]), "fr");
        assert_eq!(m(&["zh-TW", "en"]), "zh-TW");
        assert_eq!(m(&["xx", "en"]), "en");
        assert_eq!(m(&["pt"]), "pt-BR");
        assert_eq!(accept_language("ja en"), Vec::<String>::new());
        assert_eq!(accept_language("de-DE,de;q=0.9,fr;q=0.95"), vec!["de-DE", "fr", "de"]);
    }
}
