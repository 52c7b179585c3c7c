//! Content-Security-Policy profiles: our strict one (allows wasm), Logto's production header, or none.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CspProfile {
    Strict,
    Logto,
    None,
}

impl std::str::FromStr for CspProfile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "strict" => Ok(Self::Strict),
            "logto" => Ok(Self::Logto),
            "none" => Ok(Self::None),
            other => Err(format!("unknown CSP profile `{other}` (strict, logto or none)")),
        }
    }
}

pub const STRICT: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'self'";

/// Logto 1.42's production experience header as captured on `http://127.0.0.1:3001`
/// (note: no `'wasm-unsafe-eval'`, which is the point of offering this profile).
const LOGTO_CAPTURED: &str = "img-src 'self' data: https: blob:;script-src 'self' 'unsafe-inline' 'unsafe-hashes' https://accounts.google.com/gsi/client https://static.cloudflareinsights.com/ https://challenges.cloudflare.com/turnstile/v0/api.js https://www.google.com/recaptcha/enterprise.js https://recaptcha.net/recaptcha/enterprise.js https://www.gstatic.com/recaptcha/ https://www.gstatic.cn/recaptcha/;script-src-attr 'unsafe-inline';connect-src 'self' https://accounts.google.com/gsi/ http://127.0.0.1:3001 https://www.google.com/recaptcha/ https://recaptcha.net/recaptcha/ https://www.gstatic.com/recaptcha/ https://www.gstatic.cn/recaptcha/;frame-src 'self' https: https://accounts.google.com/gsi/;frame-ancestors 'self' http://localhost:3002 http://127.0.0.1:3002;default-src 'self' https://accounts.google.com/gsi/;base-uri 'self';font-src 'self' https: data:;form-action 'self';object-src 'none';style-src 'self' https: 'unsafe-inline'";

impl CspProfile {
    /// Whether the profile lets the page compile WebAssembly (`'wasm-unsafe-eval'`, or no policy at all).
    pub fn allows_wasm(self) -> bool {
        !matches!(self, Self::Logto)
    }

    /// The header for a server at `origin` whose page has the inline scripts `inline_hashes` (`'sha256-…'` sources,
    /// space-separated): the strict profile allows exactly those; Logto's allows any inline script anyway.
    pub fn header_value(self, origin: &str, inline_hashes: &str) -> Option<String> {
        match self {
            Self::Strict if inline_hashes.is_empty() => Some(STRICT.to_owned()),
            Self::Strict => {
                Some(STRICT.replacen("script-src 'self'", &format!("script-src 'self' {inline_hashes}"), 1))
            }
            Self::Logto => Some(LOGTO_CAPTURED.replace("http://127.0.0.1:3001", origin)),
            Self::None => None,
        }
    }
}

/// Adds the profile's header to every response.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let value = state.csp.header_value(&state.origin, &state.inline_script_hashes);
    if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strict_profile_allows_exactly_the_page_inline_scripts() {
        let header = CspProfile::Strict.header_value("http://x", "'sha256-abc='").unwrap();
        assert!(header.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval';"), "{header}");
        let script_src = header.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "no blanket inline scripts: {script_src}");
        assert_eq!(CspProfile::Strict.header_value("http://x", "").unwrap(), STRICT);
        let logto = CspProfile::Logto.header_value("http://x", "'sha256-abc='").unwrap();
        assert!(!logto.contains("sha256"), "Logto's header is Logto's: it allows inline scripts already");
        assert!(CspProfile::None.header_value("http://x", "'sha256-abc='").is_none());
    }
}
