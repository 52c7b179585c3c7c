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
    /// space-separated): the strict profile allows exactly those; Logto's allows any inline script anyway. `extra`
    /// are `(directive, source)` pairs the strict profile adds (the hosts of the captcha and of One Tap while they are on); Logto's
    /// header names the vendors already.
    pub fn header_value(self, origin: &str, inline_hashes: &str, extra: &[(&'static str, String)]) -> Option<String> {
        match self {
            Self::Strict => {
                let mut policy = STRICT.to_owned();
                if !inline_hashes.is_empty() {
                    policy = policy.replacen("script-src 'self'", &format!("script-src 'self' {inline_hashes}"), 1);
                }
                for (directive, source) in extra {
                    policy = add_source(&policy, directive, source);
                }
                Some(policy)
            }
            Self::Logto => Some(LOGTO_CAPTURED.replace("http://127.0.0.1:3001", origin)),
            Self::None => None,
        }
    }
}

/// `policy` with `source` added to `directive` (the directive made, from `'self'`, when missing).
fn add_source(policy: &str, directive: &str, source: &str) -> String {
    let mut found = false;
    let mut parts: Vec<String> = policy
        .split("; ")
        .map(|part| {
            if part == directive || part.starts_with(&format!("{directive} ")) {
                found = true;
                if part.split(' ').any(|s| s == source) {
                    return part.to_owned();
                }
                return format!("{part} {source}");
            }
            part.to_owned()
        })
        .collect();
    if !found {
        parts.push(format!("{directive} 'self' {source}"));
    }
    parts.join("; ")
}

/// Adds the profile's header to every response.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let value = state.csp.header_value(&state.origin, &state.inline_script_hashes, &state.widget_csp_sources());
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
        let header = CspProfile::Strict.header_value("http://x", "'sha256-abc='", &[]).unwrap();
        assert!(header.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval';"), "{header}");
        let script_src = header.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "no blanket inline scripts: {script_src}");
        assert_eq!(CspProfile::Strict.header_value("http://x", "", &[]).unwrap(), STRICT);
        let logto = CspProfile::Logto.header_value("http://x", "'sha256-abc='", &[]).unwrap();
        assert!(!logto.contains("sha256"), "Logto's header is Logto's: it allows inline scripts already");
        assert!(CspProfile::None.header_value("http://x", "'sha256-abc='", &[]).is_none());
    }

    #[test]
    fn the_strict_profile_adds_exactly_the_captcha_hosts() {
        let host = "https://challenges.cloudflare.com".to_owned();
        let extra = [("script-src", host.clone()), ("frame-src", host.clone())];
        let header = CspProfile::Strict.header_value("http://x", "", &extra).unwrap();
        assert!(header.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {host};")), "{header}");
        assert!(header.ends_with(&format!("; frame-src 'self' {host}")), "{header}");
        assert_eq!(header.len(), STRICT.len() + 2 * host.len() + " ; frame-src 'self' ".len());
        let logto = CspProfile::Logto.header_value("http://x", "", &extra).unwrap();
        assert!(!logto.contains("frame-src 'self' https://challenges"), "Logto's header is Logto's");
    }
}
