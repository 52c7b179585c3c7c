//! The language a request gets its error messages in. Logto localizes its error messages by the request's
//! `Accept-Language`; so does this double, from the table in `sign_in_core::error_messages` (the gallery's canned
//! failures read the same table).
//!
//! The language is chosen once per request by [`layer`] and kept for the handler's duration, so [`ApiError::new`]
//! (`crate::errors`) can fill in the message without every handler passing the language along.
//!
//! [`ApiError::new`]: crate::errors::ApiError::new

use crate::i18n::{accept_language, match_language};
use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
pub use sign_in_core::error_messages::{lookup, text, Lang, Message, FALLBACK, MESSAGES};

/// The first language of an `Accept-Language` header (by q-value, then order) that the table has, matching regional
/// tags to their base language (`fr-CA` → French); English when none fits or the header is unusable.
pub fn negotiate(accept: &str) -> Lang {
    let ours: Vec<String> = Lang::ALL.iter().map(|l| l.tag().to_owned()).collect();
    Lang::of_tag(&match_language(&accept_language(accept), &ours))
}

/// [`negotiate`] over a request's `Accept-Language` (all of its header lines, as one list).
pub fn of_request(headers: &HeaderMap) -> Lang {
    let values: Vec<&str> = headers.get_all(header::ACCEPT_LANGUAGE).iter().filter_map(|v| v.to_str().ok()).collect();
    negotiate(&values.join(","))
}

tokio::task_local! {
    static LANGUAGE: Lang;
}

/// The language of the request being handled ([`layer`]); English outside a request.
pub fn current() -> Lang {
    LANGUAGE.try_with(|l| *l).unwrap_or(Lang::En)
}

/// Middleware: runs the rest of the request with the language of its `Accept-Language`.
pub async fn layer(req: Request, next: Next) -> Response {
    let lang = of_request(req.headers());
    LANGUAGE.scope(lang, next.run(req)).await
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn accept_language_picks_the_best_language_we_have() {
        for (header, want) in [
            ("fr-CA,fr;q=0.9,en;q=0.5", Lang::Fr),
            ("fr", Lang::Fr),
            ("FR-be", Lang::Fr),
            ("ar", Lang::Ar),
            ("ar-EG,en;q=0.8", Lang::Ar),
            ("de", Lang::En),
            ("de-DE,de;q=0.9", Lang::En),
            // A language we lack is skipped for the next acceptable one, by q-value rather than by order.
            ("de, ar;q=0.4, fr;q=0.6", Lang::Fr),
            ("en;q=0.2, ar;q=0.9", Lang::Ar),
            ("en, fr", Lang::En),
            // q=0 means "not this one"; junk and wildcards are ignored.
            ("fr;q=0, ar;q=0.1", Lang::Ar),
            ("fr;q=0", Lang::En),
            ("*", Lang::En),
            ("fr;q=abc, ar", Lang::Ar),
            ("", Lang::En),
            (";;;,,,", Lang::En),
            // Logto's own page joins languages with spaces, which is not a list: English, as Logto answers.
            ("fr ar", Lang::En),
        ] {
            assert_eq!(negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn several_accept_language_lines_are_one_list() {
        let mut headers = HeaderMap::new();
        headers.append(header::ACCEPT_LANGUAGE, "de".parse().unwrap());
        headers.append(header::ACCEPT_LANGUAGE, "ar;q=0.5".parse().unwrap());
        assert_eq!(of_request(&headers), Lang::Ar);
        assert_eq!(of_request(&HeaderMap::new()), Lang::En);
    }

    /// Every Logto-looking code named as a string in the provider's sources has a row: a code added to a handler
    /// without its three sentences fails here instead of answering the fallback.
    #[test]
    fn every_code_in_the_sources_has_a_row() {
        const NAMESPACES: [&str; 10] = [
            "auth",
            "connector",
            "entity",
            "guard",
            "one_time_token",
            "password",
            "request",
            "session",
            "user",
            "verification_code",
        ];
        let mut missing = Vec::new();
        let mut seen = 0;
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("messages.rs") {
                    continue;
                }
                for code in quoted_codes(&std::fs::read_to_string(&path).unwrap()) {
                    if code.split_once('.').is_some_and(|(ns, _)| NAMESPACES.contains(&ns)) {
                        seen += 1;
                        if lookup(code).is_none() {
                            missing.push(format!("{code} ({})", path.display()));
                        }
                    }
                }
            }
        }
        // Codes the sources build with `format!`: `ApiError::exists_in_profile`.
        for what in ["username", "email", "phone", "password"] {
            let code = format!("user.{what}_exists_in_profile");
            if lookup(&code).is_none() {
                missing.push(code);
            }
        }
        assert!(seen > 40, "the scan found the codes ({seen})");
        assert!(missing.is_empty(), "codes without a message: {missing:#?}");
    }

    /// `"a.b_c"` literals: lowercase letters, digits, `_` and at least one `.` between two quotes.
    fn quoted_codes(source: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            let len = rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'));
            if let Some(len) = len {
                let s = &rest[..len];
                if rest[len..].starts_with('"') && s.contains('.') && !s.starts_with('.') && !s.ends_with('.') {
                    found.push(s);
                }
            }
        }
        found
    }
}
