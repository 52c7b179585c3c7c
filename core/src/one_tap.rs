//! Google One Tap (docs/experience-api.md, Google One Tap): the settings, Google's client script and what a strict
//! CSP must allow for it, the prompt's `g_id_onload` attributes, and the check of the credential Google posts back.

use crate::social::CallbackParams;
use serde::{Deserialize, Serialize};

/// `googleOneTap` of the sign-in experience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoogleOneTap {
    #[serde(default)]
    pub is_enabled: bool,
    #[serde(default)]
    pub auto_select: bool,
    #[serde(default)]
    pub close_on_tap_outside: bool,
    #[serde(default)]
    pub itp_support: bool,
    pub client_id: String,
    /// The Google social connector the credential is verified with.
    pub connector_id: String,
}

/// The `<meta name>` whose `content` replaces Google's script URL (a test double, a mirror).
pub const SCRIPT_META: &str = "sign-in-one-tap-script";

/// Google's client script.
const GOOGLE_SCRIPT: &str = "https://accounts.google.com/gsi/client";

/// The cookie Google sets next to the credential it posts, whose value the post repeats (double-submit CSRF check).
pub const CSRF_COOKIE: &str = "g_csrf_token";

/// Which screen offers One Tap, in Google's words (`data-context`): the prompt's title follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTapContext {
    SignIn,
    SignUp,
}

impl GoogleOneTap {
    /// The settings when One Tap is on and names a client and a connector.
    pub fn from_value(config: &serde_json::Value) -> Option<Self> {
        serde_json::from_value::<Self>(config.clone())
            .ok()
            .filter(|one_tap| one_tap.is_enabled && !one_tap.client_id.is_empty() && !one_tap.connector_id.is_empty())
    }

    /// Google's script, or `script_override` (the page's configuration) when it is a safe URL; in the page's
    /// language (`hl`).
    pub fn script_url(script_override: Option<&str>, language: &str) -> String {
        let base =
            script_override.filter(|url| !url.is_empty() && crate::config::is_safe_url(url)).unwrap_or(GOOGLE_SCRIPT);
        let separator = if base.contains('?') { "&" } else { "?" };
        let query = crate::landing::query_of(&[("hl", Some(language))]);
        format!("{base}{separator}{}", &query[1..])
    }

    /// What a strict CSP must add for One Tap, as `(directive, source)`: the script, and the frames, calls and styles
    /// of its prompt (all under `/gsi/` of the script's origin). Nothing for a same-origin script.
    pub fn csp_sources(script_override: Option<&str>) -> Vec<(&'static str, String)> {
        let Some(origin) = crate::captcha::origin_of(&Self::script_url(script_override, "en")) else {
            return Vec::new();
        };
        let gsi = format!("{origin}/gsi/");
        vec![
            ("script-src", format!("{gsi}client")),
            ("frame-src", gsi.clone()),
            ("connect-src", gsi.clone()),
            ("style-src", format!("{gsi}style")),
        ]
    }

    /// The attributes of the `g_id_onload` element Google's script reads: Google posts the credential to
    /// `<origin>/callback/<connectorId>`.
    pub fn onload_attributes(&self, origin: &str, context: OneTapContext) -> Vec<(&'static str, String)> {
        let flag = |on: bool| if on { "true" } else { "false" }.to_owned();
        vec![
            ("data-client_id", self.client_id.clone()),
            ("data-login_uri", crate::social::redirect_uri(origin, &self.connector_id)),
            ("data-auto_select", flag(self.auto_select)),
            ("data-cancel_on_tap_outside", flag(self.close_on_tap_outside)),
            ("data-itp_support", flag(self.itp_support)),
            (
                "data-context",
                match context {
                    OneTapContext::SignIn => "signin",
                    OneTapContext::SignUp => "signup",
                }
                .to_owned(),
            ),
        ]
    }
}

/// Whether a callback carries a One Tap credential for `connector_id` (rather than an IdP's round-trip answer).
pub fn is_one_tap_answer(config: &serde_json::Value, connector_id: &str, params: &CallbackParams) -> bool {
    GoogleOneTap::from_value(config).is_some_and(|one_tap| one_tap.connector_id == connector_id)
        && params.data.iter().any(|(key, _)| key == "credential")
}

/// Google's CSRF check: the posted `g_csrf_token` equals the cookie of that name (`cookies` as `document.cookie`).
pub fn csrf_matches(params: &CallbackParams, cookies: &str) -> bool {
    let posted = params.data.iter().find(|(key, _)| key == CSRF_COOKIE).map(|(_, value)| value.as_str());
    let cookie = cookies.split(';').find_map(|pair| pair.trim().strip_prefix(CSRF_COOKIE)?.strip_prefix('='));
    matches!((posted, cookie), (Some(posted), Some(cookie)) if !posted.is_empty() && posted == cookie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> serde_json::Value {
        json!({"isEnabled": true, "autoSelect": true, "closeOnTapOutside": false, "itpSupport": true,
               "clientId": "client 1", "connectorId": "google-1"})
    }

    #[test]
    fn settings_count_only_when_on_and_complete() {
        assert!(GoogleOneTap::from_value(&settings()).is_some());
        for off in [
            json!({"isEnabled": false, "clientId": "c", "connectorId": "g"}),
            json!({"isEnabled": true, "clientId": "", "connectorId": "g"}),
            json!({"isEnabled": true, "clientId": "c"}),
            json!(null),
        ] {
            assert_eq!(GoogleOneTap::from_value(&off), None, "{off}");
        }
    }

    #[test]
    fn script_url_and_csp_sources() {
        assert_eq!(GoogleOneTap::script_url(None, "pt-BR"), "https://accounts.google.com/gsi/client?hl=pt-BR");
        assert_eq!(GoogleOneTap::script_url(Some("javascript:alert(1)"), "en"), GoogleOneTap::script_url(None, "en"));
        assert_eq!(
            GoogleOneTap::script_url(Some("http://localhost:3001/gsi/client?x=1"), "fr"),
            "http://localhost:3001/gsi/client?x=1&hl=fr"
        );
        assert_eq!(
            GoogleOneTap::csp_sources(None),
            vec![
                ("script-src", "https://accounts.google.com/gsi/client".to_owned()),
                ("frame-src", "https://accounts.google.com/gsi/".to_owned()),
                ("connect-src", "https://accounts.google.com/gsi/".to_owned()),
                ("style-src", "https://accounts.google.com/gsi/style".to_owned()),
            ]
        );
        assert!(GoogleOneTap::csp_sources(Some("/gsi/client")).is_empty());
    }

    #[test]
    fn onload_attributes_carry_the_settings() {
        let one_tap = GoogleOneTap::from_value(&settings()).unwrap();
        let attributes = one_tap.onload_attributes("https://auth.example", OneTapContext::SignUp);
        let get = |name: &str| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("data-client_id"), Some("client 1"));
        assert_eq!(get("data-login_uri"), Some("https://auth.example/callback/google-1"));
        assert_eq!(get("data-auto_select"), Some("true"));
        assert_eq!(get("data-cancel_on_tap_outside"), Some("false"));
        assert_eq!(get("data-itp_support"), Some("true"));
        assert_eq!(get("data-context"), Some("signup"));
    }

    #[test]
    fn a_credential_counts_only_for_the_one_tap_connector_and_a_matching_csrf_cookie() {
        let params = CallbackParams::parse("credential=abc&g_csrf_token=t1", "");
        assert!(is_one_tap_answer(&settings(), "google-1", &params));
        assert!(!is_one_tap_answer(&settings(), "other", &params));
        assert!(!is_one_tap_answer(&settings(), "google-1", &CallbackParams::parse("code=1&state=s", "")));
        assert!(csrf_matches(&params, "a=1; g_csrf_token=t1; b=2"));
        assert!(!csrf_matches(&params, "a=1; g_csrf_token=t2"));
        assert!(!csrf_matches(&params, "xg_csrf_token=t1"));
        assert!(!csrf_matches(&CallbackParams::parse("credential=abc&g_csrf_token=", ""), "g_csrf_token="));
        assert!(!csrf_matches(&CallbackParams::parse("credential=abc", ""), "g_csrf_token=t1"));
    }
}
