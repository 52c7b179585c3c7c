//! The sign-in experience as `GET /api/.well-known/sign-in-exp` (and the SSR object) carries it.
//! Only what the page reads is typed; unknown fields are ignored so newer providers still decode.

use crate::api::IdentifierType;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod read;

/// Strings by key (a connector's names by language, custom content by path): a JSON object whose values were checked to
/// be strings when it was read. Kept in JSON's own map type: a map type of its own would be a second copy of the map
/// code in the first screen's module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Strings(Map<String, Value>);

impl Strings {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
impl<const N: usize> From<[(&str, &str); N]> for Strings {
    fn from(pairs: [(&str, &str); N]) -> Self {
        Self(pairs.into_iter().map(|(key, text)| (key.to_owned(), Value::from(text))).collect())
    }
}

/// Decoded by [`read`] (its first lines say why not by serde's derive); written by serde.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInExperience {
    pub color: Color,
    pub branding: Branding,
    pub hide_logto_branding: bool,
    pub language_info: LanguageInfo,
    pub terms_of_use_url: Option<String>,
    pub privacy_policy_url: Option<String>,
    pub agree_to_terms_policy: AgreeToTermsPolicy,
    pub sign_in: SignIn,
    pub sign_up: SignUp,
    pub social_sign_in: SocialSignIn,
    pub sign_in_mode: SignInMode,
    pub custom_css: Option<String>,
    pub custom_content: Strings,
    pub password_policy: serde_json::Value,
    pub username_policy: serde_json::Value,
    pub mfa: serde_json::Value,
    pub single_sign_on_enabled: bool,
    pub support_email: Option<String>,
    pub support_website_url: Option<String>,
    pub passkey_sign_in: PasskeySignIn,
    pub social_connectors: Vec<SocialConnector>,
    pub sso_connectors: Vec<SsoConnector>,
    pub forgot_password: ForgotPassword,
    pub is_development_tenant: bool,
    pub custom_profile_fields: Vec<serde_json::Value>,
    /// `{enabled}`. This and `captcha_config` stay untyped here: the first screen only asks whether the policy is on
    /// and whether the widget is a box; the widget's split group decodes the rest (`CaptchaConfig::from_value`), so its
    /// decoder is not part of the main module.
    pub captcha_policy: serde_json::Value,
    pub captcha_config: serde_json::Value,
    // `googleOneTap` is left out: One Tap's own code decodes it (`crate::one_tap::OneTapPart`).
}

impl<'de> Deserialize<'de> for SignInExperience {
    /// From a JSON object only (`[]` or `null` are errors, not a tenant with nothing turned on).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        read::sign_in_experience(&value).map_err(serde::de::Error::custom)
    }
}

/// What a screen reads of the sign-in experience JSON (the SSR block's `data`, or the answer of
/// `/api/.well-known/sign-in-exp`): all of [`SignInExperience`], or the part a later chunk reads. Read only from a JSON
/// object: `[]` or `null` are no provider's settings, and the page must say it could not read them instead of drawing a
/// tenant with nothing turned on (docs/experience-api.md, Boot data). By hand from a `Value`, as [`read`] says why.
pub trait SettingsPart: Sized {
    fn read(settings: &serde_json::Value) -> Result<Self, String>;
}

impl SettingsPart for SignInExperience {
    fn read(settings: &serde_json::Value) -> Result<Self, String> {
        read::sign_in_experience(settings)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Color {
    pub primary_color: String,
    pub is_dark_mode_enabled: bool,
    pub dark_primary_color: Option<String>,
}

impl Default for Color {
    fn default() -> Self {
        Self { primary_color: "#6139F6".into(), is_dark_mode_enabled: false, dark_primary_color: None }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    pub logo_url: Option<String>,
    pub dark_logo_url: Option<String>,
    pub favicon: Option<String>,
    pub dark_favicon: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageInfo {
    pub auto_detect: bool,
    pub fallback_language: String,
}

impl Default for LanguageInfo {
    fn default() -> Self {
        Self { auto_detect: true, fallback_language: "en".into() }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum AgreeToTermsPolicy {
    #[default]
    Automatic,
    ManualRegistrationOnly,
    Manual,
}

impl AgreeToTermsPolicy {
    pub const ALL: [Self; 3] = [Self::Automatic, Self::ManualRegistrationOnly, Self::Manual];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "Automatic",
            Self::ManualRegistrationOnly => "ManualRegistrationOnly",
            Self::Manual => "Manual",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum SignInMode {
    SignIn,
    Register,
    #[default]
    SignInAndRegister,
}

impl SignInMode {
    pub const ALL: [Self; 3] = [Self::SignIn, Self::Register, Self::SignInAndRegister];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "SignIn",
            Self::Register => "Register",
            Self::SignInAndRegister => "SignInAndRegister",
        }
    }

    pub fn allows_sign_in(self) -> bool {
        self != Self::Register
    }
    pub fn allows_register(self) -> bool {
        self != Self::SignIn
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignIn {
    pub methods: Vec<SignInMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInMethod {
    pub identifier: IdentifierType,
    pub password: bool,
    pub verification_code: bool,
    pub is_password_primary: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUp {
    pub identifiers: Vec<IdentifierType>,
    pub password: bool,
    pub verify: bool,
    pub secondary_identifiers: Vec<SecondaryIdentifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecondaryIdentifier {
    /// `username`, `email`, `phone` or `emailOrPhone`.
    pub identifier: String,
    pub verify: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialSignIn {
    pub automatic_account_linking: bool,
    pub skip_required_identifiers: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeySignIn {
    pub enabled: bool,
    pub show_passkey_button: bool,
    pub allow_autofill: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ForgotPassword {
    pub email: bool,
    pub phone: bool,
}

impl ForgotPassword {
    pub fn any(&self) -> bool {
        self.email || self.phone
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConnectorPlatform {
    Web,
    Native,
    Universal,
}

impl ConnectorPlatform {
    pub const ALL: [Self; 3] = [Self::Web, Self::Native, Self::Universal];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "Web",
            Self::Native => "Native",
            Self::Universal => "Universal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialConnector {
    pub id: String,
    pub target: String,
    /// Localized names keyed by language tag (`en`, `zh-CN`, …).
    pub name: Strings,
    pub logo: String,
    pub logo_dark: Option<String>,
    pub platform: Option<ConnectorPlatform>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoConnector {
    pub id: String,
    pub connector_name: String,
    pub logo: String,
    pub dark_logo: Option<String>,
}

/// The scheme `url` names as a browser reads it, lower-cased: tabs and newlines inside are dropped and controls or
/// spaces around it trimmed, so `" java\tscript:…"` names `javascript`. `None` for a relative URL.
pub fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => Some(cleaned[..i].to_ascii_lowercase()),
        _ => None,
    }
}

/// Whether a configured URL may go into an `href` or `src`: `http:`, `https:` or relative.
pub fn is_safe_url(url: &str) -> bool {
    scheme_of(url).is_none_or(|scheme| scheme == "http" || scheme == "https")
}

/// Whether opening `url` would run or draw something the URL itself carries (`javascript:`, `data:`, `vbscript:`)
/// instead of loading a page from somewhere. Other schemes (an app's own, `com.example:/callback`) are not.
pub fn is_script_url(url: &str) -> bool {
    matches!(scheme_of(url).as_deref(), Some("javascript" | "data" | "vbscript"))
}

/// Whether `url` is an absolute `http(s)://host…` URL, written plainly (no space or control character anywhere, which
/// a browser would strip or read differently): the only kind of address the page leaves for when a provider's answer
/// names where to go next. Relative paths, `javascript:`, `data:` and other schemes are not.
pub fn is_absolute_http_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else { return false };
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !rest.is_empty()
        && !rest.starts_with(['/', '\\', '?', '#'])
}

/// Empties `url` unless [`is_safe_url`]; notes `name` in `dropped` when it did.
fn keep_safe(url: &mut Option<String>, name: &'static str, dropped: &mut Vec<&'static str>) {
    if url.as_deref().is_some_and(|u| !is_safe_url(u)) {
        *url = None;
        dropped.push(name);
    }
}

impl SignInExperience {
    /// Drops every URL of the settings that the page would write into an `href` or `src` and that is neither http(s)
    /// nor relative (`javascript:`, `data:`, …): terms, privacy, support, logos, favicons, connector logos. Returns
    /// the names of what it dropped.
    pub fn drop_unsafe_urls(&mut self) -> Vec<&'static str> {
        let mut dropped = Vec::new();
        keep_safe(&mut self.terms_of_use_url, "termsOfUseUrl", &mut dropped);
        keep_safe(&mut self.privacy_policy_url, "privacyPolicyUrl", &mut dropped);
        keep_safe(&mut self.support_website_url, "supportWebsiteUrl", &mut dropped);
        let branding = &mut self.branding;
        keep_safe(&mut branding.logo_url, "branding.logoUrl", &mut dropped);
        keep_safe(&mut branding.dark_logo_url, "branding.darkLogoUrl", &mut dropped);
        keep_safe(&mut branding.favicon, "branding.favicon", &mut dropped);
        keep_safe(&mut branding.dark_favicon, "branding.darkFavicon", &mut dropped);
        for connector in &mut self.social_connectors {
            let mut logo = Some(std::mem::take(&mut connector.logo));
            keep_safe(&mut logo, "socialConnectors[].logo", &mut dropped);
            connector.logo = logo.unwrap_or_default();
            keep_safe(&mut connector.logo_dark, "socialConnectors[].logoDark", &mut dropped);
        }
        for connector in &mut self.sso_connectors {
            let mut logo = Some(std::mem::take(&mut connector.logo));
            keep_safe(&mut logo, "ssoConnectors[].logo", &mut dropped);
            connector.logo = logo.unwrap_or_default();
            keep_safe(&mut connector.dark_logo, "ssoConnectors[].darkLogo", &mut dropped);
        }
        dropped
    }

    /// The captcha's settings (`captchaConfig`, see `crate::captcha`) when the interactions need one.
    pub fn captcha(&self) -> Option<&serde_json::Value> {
        let enabled = self.captcha_policy["enabled"].as_bool() == Some(true);
        Some(&self.captcha_config).filter(|config| enabled && config.is_object())
    }

    /// Whether Google One Tap could be on: it verifies with a Google connector (`crate::one_tap`).
    pub fn has_google_connector(&self) -> bool {
        self.social_connectors.iter().any(|c| c.target == crate::one_tap::GOOGLE_TARGET)
    }

    /// Sign-in methods the page can offer: entries with neither password nor code are dropped (as Logto does).
    pub fn usable_sign_in_methods(&self) -> impl Iterator<Item = &SignInMethod> {
        self.sign_in.methods.iter().filter(|m| m.password || m.verification_code)
    }

    /// Registration is offered when the mode allows it and sign-up has at least one identifier.
    pub fn can_register(&self) -> bool {
        self.sign_in_mode.allows_register() && !self.sign_up.identifiers.is_empty()
    }

    /// Whether `/register` shows (else it leaves for `/sign-in`): whenever the mode allows registration, even with no
    /// sign-up identifier (social-only registration shows its social buttons, as Logto's page does); the `focused`
    /// `/identifier-register` only when there is an identifier to ask for.
    pub fn shows_register_screen(&self, focused: bool) -> bool {
        if focused {
            self.can_register()
        } else {
            self.sign_in_mode.allows_register()
        }
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    #[test]
    fn settings_are_read_from_an_object_only() {
        let read = |text: &str| SignInExperience::read(&serde_json::from_str(text).unwrap());
        assert_eq!(read("{}").unwrap(), SignInExperience::default());
        assert!(read(r#"{"signInMode": "SignIn"}"#).unwrap().sign_in_mode == SignInMode::SignIn);
        for wrong in ["[]", "[1, 2]", "null", "5", "\"settings\"", r#"{"signIn": 5}"#, r#"{"signIn": {"methods": {}}}"#]
        {
            assert!(read(wrong).is_err(), "{wrong}");
        }
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn only_http_https_and_relative_urls_are_safe() {
        for safe in [
            "https://example.com/terms",
            "http://x.test",
            "/terms",
            "terms.html",
            "//cdn.test/a.png",
            "?q=1",
            "#top",
            "HTTPS://X",
        ] {
            assert!(is_safe_url(safe), "{safe}");
        }
        for unsafe_url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "jav\nascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(unsafe_url), "{unsafe_url:?}");
        }
    }

    #[test]
    fn script_urls_are_told_apart_from_app_schemes() {
        for script in ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,x", "VBScript:x"] {
            assert!(is_script_url(script), "{script:?}");
        }
        for other in ["https://app.test/cb", "com.example.app:/callback", "io.logto://callback", "/relative", ""] {
            assert!(!is_script_url(other), "{other:?}");
        }
    }

    #[test]
    fn only_plain_absolute_http_urls_are_destinations() {
        for good in ["https://id.example.com/oidc/auth/abc", "http://127.0.0.1:3001/oidc/auth/x?y=1", "HTTPS://X"] {
            assert!(is_absolute_http_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "javascript://%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/oidc/auth/x",
            "//evil.test/x",
            "oidc/auth",
            "https:/x",
            "https://",
            "https:///x",
            " https://x.test",
            "https://x.test/\nx",
            "https://x.test/a b",
            "ftp://x.test",
            "",
        ] {
            assert!(!is_absolute_http_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn unsafe_urls_are_dropped_from_the_settings() {
        let mut config = SignInExperience {
            terms_of_use_url: Some("javascript:alert(1)".into()),
            privacy_policy_url: Some("https://example.com/privacy".into()),
            ..Default::default()
        };
        config.branding.logo_url = Some("data:text/html,x".into());
        assert_eq!(config.drop_unsafe_urls(), ["termsOfUseUrl", "branding.logoUrl"]);
        assert_eq!(config.terms_of_use_url, None);
        assert_eq!(config.privacy_policy_url.as_deref(), Some("https://example.com/privacy"));
        assert_eq!(config.branding.logo_url, None);
    }
}

#[cfg(test)]
mod register_screen_tests {
    use super::*;

    #[test]
    fn social_only_registration_still_shows_the_register_screen() {
        let mut config = SignInExperience { sign_in_mode: SignInMode::SignInAndRegister, ..Default::default() };
        assert!(config.sign_up.identifiers.is_empty());
        assert!(config.shows_register_screen(false), "the social buttons are worth showing");
        assert!(!config.shows_register_screen(true), "nothing to type on /identifier-register");
        config.sign_up.identifiers = vec![crate::api::IdentifierType::Email];
        assert!(config.shows_register_screen(true));
        config.sign_in_mode = SignInMode::SignIn;
        assert!(!config.shows_register_screen(false) && !config.shows_register_screen(true));
    }
}
