//! The tenant's captcha (docs/experience-api.md, Captcha): which widget, where its script comes from, what the
//! page's CSP must allow for it, and what a failure says.

use serde::{Deserialize, Serialize};

/// The vendor of the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptchaKind {
    Turnstile,
    RecaptchaEnterprise,
}

/// How the widget asks: invisibly when the form is sent, or as a box the person ticks in the form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptchaMode {
    #[default]
    Invisible,
    Checkbox,
}

/// `captchaConfig` (sent only while the policy is on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptchaConfig {
    #[serde(rename = "type")]
    pub kind: CaptchaKind,
    pub site_key: String,
    /// reCAPTCHA's host when not `www.google.com` (e.g. `recaptcha.net` where Google is unreachable).
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub mode: CaptchaMode,
}

/// The `<meta name>` whose `content` replaces the vendor's script URL (a test double, a mirror). Query parameters
/// the page needs are appended to it.
pub const SCRIPT_META: &str = "sign-in-captcha-script";

/// Whether the settings (`SignInExperience::captcha`) ask for a box to tick, read without decoding them.
pub fn is_checkbox(config: &serde_json::Value) -> bool {
    config["mode"].as_str() == Some("checkbox")
}

impl CaptchaConfig {
    /// The settings as `SignInExperience::captcha` gives them; `None` for a widget this page does not know (the
    /// provider then says a captcha is required, which the page tells the person).
    pub fn from_value(config: &serde_json::Value) -> Option<Self> {
        serde_json::from_value(config.clone()).ok()
    }

    /// The vendor's script URL, or `script_override` (the page's configuration) when it is a safe URL; with the
    /// parameters the widget needs (explicit rendering, reCAPTCHA's language).
    pub fn script_url(&self, script_override: Option<&str>, language: &str) -> String {
        let base = match script_override.filter(|url| !url.is_empty() && crate::config::is_safe_url(url)) {
            Some(url) => url.to_owned(),
            None => match self.kind {
                CaptchaKind::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/api.js".to_owned(),
                CaptchaKind::RecaptchaEnterprise => {
                    format!("https://{}/recaptcha/enterprise.js", self.recaptcha_host())
                }
            },
        };
        let separator = if base.contains('?') { '&' } else { '?' };
        let query = match (self.kind, self.mode) {
            (CaptchaKind::Turnstile, _) => "render=explicit".to_owned(),
            (CaptchaKind::RecaptchaEnterprise, CaptchaMode::Invisible) => {
                crate::landing::query_of(&[("render", Some(&self.site_key))])[1..].to_owned()
            }
            (CaptchaKind::RecaptchaEnterprise, CaptchaMode::Checkbox) => {
                crate::landing::query_of(&[("render", Some("explicit")), ("hl", Some(language))])[1..].to_owned()
            }
        };
        format!("{base}{separator}{query}")
    }

    fn recaptcha_host(&self) -> &str {
        // Only a bare host name is taken; anything else falls back to Google's.
        match self.domain.as_deref() {
            Some(host)
                if !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') =>
            {
                host
            }
            _ => "www.google.com",
        }
    }

    /// What a strict CSP must add for the widget, as `(directive, sources)`: the script's origin, the frames the
    /// widget draws in, and (reCAPTCHA) the hosts its script talks to. `script_override` as for [`Self::script_url`].
    pub fn csp_sources(&self, script_override: Option<&str>) -> Vec<(&'static str, String)> {
        let script = self.script_url(script_override, "en");
        let script_origin = origin_of(&script);
        match (self.kind, script_origin) {
            // A same-origin script (a relative override) needs nothing beyond 'self'.
            (_, None) => Vec::new(),
            (CaptchaKind::Turnstile, Some(origin)) => {
                vec![("script-src", origin.clone()), ("frame-src", origin)]
            }
            (CaptchaKind::RecaptchaEnterprise, Some(origin)) if script_override.is_some() => {
                vec![("script-src", origin.clone()), ("frame-src", origin.clone()), ("connect-src", origin)]
            }
            (CaptchaKind::RecaptchaEnterprise, Some(origin)) => {
                let recaptcha = format!("{origin}/recaptcha/");
                vec![
                    ("script-src", recaptcha.clone()),
                    ("script-src", "https://www.gstatic.com/recaptcha/".to_owned()),
                    ("frame-src", recaptcha.clone()),
                    ("connect-src", recaptcha),
                ]
            }
        }
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL; `None` for a relative one.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some(format!("{scheme}://{host}"))
}

/// Why the page could not get a token from the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptchaProblem {
    /// The box was not ticked (or its tick expired).
    Unsolved,
    /// The challenge failed, or the widget could not be loaded.
    Failed,
}

/// The phrase a captcha problem is told with: the page's own, and the provider's `session.captcha_required` /
/// `session.captcha_failed` (the widget gives a fresh challenge after either).
pub fn problem_phrase(problem: CaptchaProblem) -> &'static str {
    match problem {
        CaptchaProblem::Unsolved => "error.captcha_required",
        CaptchaProblem::Failed => "error.captcha_verification_failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: CaptchaKind, mode: CaptchaMode) -> CaptchaConfig {
        CaptchaConfig { kind, site_key: "key 1".into(), domain: None, mode }
    }

    #[test]
    fn script_urls_of_each_vendor_and_mode() {
        use CaptchaKind::*;
        use CaptchaMode::*;
        assert_eq!(
            config(Turnstile, Checkbox).script_url(None, "fr"),
            "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"
        );
        assert_eq!(
            config(RecaptchaEnterprise, Invisible).script_url(None, "fr"),
            "https://www.google.com/recaptcha/enterprise.js?render=key+1"
        );
        let mut net = config(RecaptchaEnterprise, Checkbox);
        net.domain = Some("recaptcha.net".into());
        assert_eq!(net.script_url(None, "ar"), "https://recaptcha.net/recaptcha/enterprise.js?render=explicit&hl=ar");
        net.domain = Some("evil.test/x?".into());
        assert!(net.script_url(None, "ar").starts_with("https://www.google.com/"));
        assert_eq!(
            config(Turnstile, Invisible).script_url(Some("/captcha/turnstile.js?v=1"), "en"),
            "/captcha/turnstile.js?v=1&render=explicit"
        );
        // The override goes through the page's URL check.
        assert!(config(Turnstile, Invisible).script_url(Some("javascript:alert(1)"), "en").starts_with("https://"));
    }

    #[test]
    fn csp_sources_name_exactly_the_widget_hosts() {
        use CaptchaKind::*;
        let turnstile = config(Turnstile, CaptchaMode::Invisible).csp_sources(None);
        assert_eq!(
            turnstile,
            [
                ("script-src", "https://challenges.cloudflare.com".to_owned()),
                ("frame-src", "https://challenges.cloudflare.com".to_owned())
            ]
        );
        let recaptcha = config(RecaptchaEnterprise, CaptchaMode::Checkbox).csp_sources(None);
        assert!(recaptcha.contains(&("connect-src", "https://www.google.com/recaptcha/".to_owned())));
        let stand_in = config(Turnstile, CaptchaMode::Checkbox).csp_sources(Some("http://localhost:9/t.js"));
        assert_eq!(stand_in[0], ("script-src", "http://localhost:9".to_owned()));
        assert!(config(Turnstile, CaptchaMode::Checkbox).csp_sources(Some("/t.js")).is_empty());
    }

    #[test]
    fn the_settings_decode_as_logto_sends_them() {
        let c: CaptchaConfig =
            serde_json::from_str(r#"{"type":"RecaptchaEnterprise","siteKey":"k","mode":"checkbox"}"#).unwrap();
        assert_eq!((c.kind, c.mode), (CaptchaKind::RecaptchaEnterprise, CaptchaMode::Checkbox));
        let c: CaptchaConfig = serde_json::from_str(r#"{"type":"Turnstile","siteKey":"k"}"#).unwrap();
        assert_eq!(c.mode, CaptchaMode::Invisible);
        assert!(is_checkbox(&serde_json::json!({"type":"Turnstile","siteKey":"k","mode":"checkbox"})));
        assert!(!is_checkbox(&serde_json::json!({"type":"Turnstile","siteKey":"k"})));
        assert_eq!(CaptchaConfig::from_value(&serde_json::json!({"type":"Friendly","siteKey":"k"})), None);
        let config = crate::config::SignInExperience {
            captcha_policy: serde_json::json!({"enabled": true}),
            captcha_config: serde_json::json!({"type":"Turnstile","siteKey":"k"}),
            ..Default::default()
        };
        assert!(config.captcha().is_some());
        let off = crate::config::SignInExperience { captcha_policy: serde_json::json!({}), ..config };
        assert!(off.captcha().is_none());
    }
}
