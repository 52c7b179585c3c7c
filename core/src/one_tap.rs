//! Google One Tap (docs/experience-api.md, Google One Tap): the settings, Google's client script and what a strict
//! CSP must allow for it, the prompt's `g_id_onload` attributes, and the check of the credential Google posts back.

use crate::config::SettingsPart;
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

/// The cookie an external One Tap landing leaves (an app passed `google_one_tap_credential` on its sign-in request):
/// the credential, for the callback to verify.
pub const LANDING_COOKIE: &str = "_logto_google_one_tap_credential";

/// `target` of the social connectors One Tap verifies with.
pub const GOOGLE_TARGET: &str = "google";

/// The part of the sign-in experience One Tap reads. The first screen's decoder leaves `googleOneTap` out (only a
/// tenant with a Google connector can use it), so One Tap's own code decodes it with this.
#[derive(Debug, Default)]
pub struct OneTapPart {
    pub google_one_tap: serde_json::Value,
}

impl SettingsPart for OneTapPart {
    fn read(settings: &serde_json::Value) -> Result<Self, String> {
        let settings = settings.as_object().ok_or("settings: expected an object")?;
        Ok(Self { google_one_tap: settings.get("googleOneTap").cloned().unwrap_or_default() })
    }
}

impl OneTapPart {
    pub fn settings(&self) -> Option<GoogleOneTap> {
        GoogleOneTap::from_value(&self.google_one_tap)
    }
}

/// Whether a callback to a connector of `target` answers One Tap, and if so whether it came from this browser:
/// a credential Google posted must repeat Google's CSRF cookie ([`csrf_matches`]); with no credential in the
/// address at all, an external One Tap landing's cookie (`cookies` as `document.cookie`) supplies it, added to
/// `params`.
/// `None` for an IdP's ordinary round-trip answer.
pub fn one_tap_answer(target: Option<&str>, params: &mut CallbackParams, cookies: &str) -> Option<bool> {
    if target != Some(GOOGLE_TARGET) {
        return None;
    }
    if params.data.iter().any(|(key, _)| key == "credential") {
        return Some(csrf_matches(params, cookies));
    }
    // Only a callback with nothing in its address: an IdP's answer is never taken for the landing's.
    if params.state.is_some() || !params.data.is_empty() {
        return None;
    }
    let landing = cookie(cookies, LANDING_COOKIE).filter(|credential| !credential.is_empty())?;
    params.data.push(("credential".to_owned(), landing.to_owned()));
    Some(true)
}

/// Google's CSRF check: the posted `g_csrf_token` equals the cookie of that name (`cookies` as `document.cookie`).
pub fn csrf_matches(params: &CallbackParams, cookies: &str) -> bool {
    let posted = params.data.iter().find(|(key, _)| key == CSRF_COOKIE).map(|(_, value)| value.as_str());
    matches!((posted, cookie(cookies, CSRF_COOKIE)), (Some(posted), Some(cookie)) if !posted.is_empty() && posted == cookie)
}

/// A cookie's value in `document.cookie` text.
fn cookie<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies.split(';').find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
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
    fn a_credential_counts_only_for_a_google_connector_and_a_matching_csrf_cookie() {
        let params = CallbackParams::parse("credential=abc&g_csrf_token=t1", "");
        let answer = |target, query, cookies| one_tap_answer(target, &mut CallbackParams::parse(query, ""), cookies);
        assert_eq!(answer(Some("google"), "credential=abc&g_csrf_token=t1", "g_csrf_token=t1"), Some(true));
        assert_eq!(answer(Some("google"), "credential=abc&g_csrf_token=t1", "g_csrf_token=t2"), Some(false));
        assert_eq!(answer(Some("github"), "credential=abc&g_csrf_token=t1", "g_csrf_token=t1"), None);
        assert_eq!(answer(None, "credential=abc&g_csrf_token=t1", "g_csrf_token=t1"), None);
        assert_eq!(answer(Some("google"), "code=1&state=s", "g_csrf_token=t1"), None);
        assert!(csrf_matches(&params, "a=1; g_csrf_token=t1; b=2"));
        assert!(!csrf_matches(&params, "a=1; g_csrf_token=t2"));
        assert!(!csrf_matches(&params, "xg_csrf_token=t1"));
        assert!(!csrf_matches(&CallbackParams::parse("credential=abc&g_csrf_token=", ""), "g_csrf_token="));
        assert!(!csrf_matches(&CallbackParams::parse("credential=abc", ""), "g_csrf_token=t1"));
    }

    #[test]
    fn an_external_landing_cookie_supplies_the_credential_without_a_csrf_pair() {
        let mut params = CallbackParams::parse("", "");
        let cookies = "a=1; _logto_google_one_tap_credential=jwt.from.app";
        assert_eq!(one_tap_answer(Some("google"), &mut params, cookies), Some(true));
        assert_eq!(params.data, vec![("credential".to_owned(), "jwt.from.app".to_owned())]);
        // A posted credential is Google's own: the landing cookie does not replace it nor excuse the CSRF pair.
        let mut posted = CallbackParams::parse("credential=abc", "");
        assert_eq!(one_tap_answer(Some("google"), &mut posted, cookies), Some(false));
        let mut round_trip = CallbackParams::parse("code=1&state=s", "");
        assert_eq!(one_tap_answer(Some("google"), &mut round_trip, cookies), None);
        let mut empty = CallbackParams::parse("", "");
        assert_eq!(one_tap_answer(Some("google"), &mut empty, "_logto_google_one_tap_credential="), None);
    }

    #[test]
    fn the_one_tap_part_reads_only_google_one_tap() {
        let part = OneTapPart::read(&json!({"googleOneTap": settings(), "signInMode": "SignIn"})).unwrap();
        assert_eq!(part.settings().map(|s| s.connector_id), Some("google-1".to_owned()));
        assert_eq!(OneTapPart::read(&json!({})).unwrap().settings(), None);
        assert!(OneTapPart::read(&json!([])).is_err());
    }
}
