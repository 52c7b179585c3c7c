//! The sign-in experience as stored (a Logto `sign_in_experiences` row) and its public form
//! (`GET /api/.well-known/sign-in-exp`), plus the provider's fixed connector catalogue.

use crate::cli::ConfigOverride;
use serde_json::{json, Map, Value};
use sign_in_core::config::SettingsPart;
use sign_in_core::config::SignInExperience;
use sign_in_core::one_tap::{GoogleOneTap, OneTapPart};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SieConfig {
    /// The public body, computed once (the config does not change while serving).
    public: Value,
    /// The same, typed, for decisions.
    pub typed: SignInExperience,
    /// `googleOneTap` when it is on (`SignInExperience` leaves it out, see `sign_in_core::one_tap::OneTapPart`).
    pub google_one_tap: Option<GoogleOneTap>,
    /// Every installed social connector (enabled or not: Logto answers for any installed one).
    pub social: Vec<SocialConnectorDef>,
    /// Every configured enterprise SSO connector, with its e-mail domains.
    pub sso: Vec<SsoConnectorDef>,
    /// `emailBlocklistPolicy` (server-only: not in the public body).
    pub email_blocklist: EmailBlocklist,
}

/// Logto's `emailBlocklistPolicy`: `{blockSubaddressing?, customBlocklist?: ["someone@x.com" | "@domain.com"]}`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EmailBlocklist {
    pub block_subaddressing: bool,
    pub custom_blocklist: Vec<String>,
}

impl EmailBlocklist {
    /// The refusal code for `email`, if the policy refuses it (case-insensitive, like Logto).
    pub fn refusal(&self, email: &str) -> Option<&'static str> {
        let email = email.to_ascii_lowercase();
        let domain = email.rsplit_once('@').map(|(_, d)| format!("@{d}")).unwrap_or_default();
        let listed = self.custom_blocklist.iter().map(|e| e.to_ascii_lowercase()).any(|e| e == email || e == domain);
        if listed {
            return Some("session.email_blocklist.email_not_allowed");
        }
        let local = email.split_once('@').map_or("", |(l, _)| l);
        (self.block_subaddressing && local.contains('+'))
            .then_some("session.email_blocklist.email_subaddressing_not_allowed")
    }
}

/// An installed social connector (server side).
#[derive(Debug, Clone)]
pub struct SocialConnectorDef {
    pub id: String,
    pub target: String,
    /// English display name (for the mock IdP page).
    pub name: String,
    /// The public `socialConnectors[]` entry.
    pub public: Value,
}

/// An enterprise SSO connector as stored: the public fields plus `domains`.
#[derive(Debug, Clone)]
pub struct SsoConnectorDef {
    pub id: String,
    pub connector_name: String,
    pub domains: Vec<String>,
    /// The public `ssoConnectors[]` entry (`{id, connectorName, logo, darkLogo?}`).
    pub public: Value,
}

/// Logto's default sentinel: 100 failures within the lockout window lock the account for 60 minutes.
#[derive(Debug, Clone, Copy)]
pub struct Sentinel {
    pub max_attempts: usize,
    pub lockout: Duration,
}

impl SieConfig {
    /// Reads the config file and applies the command line's `--set` overrides to it.
    pub fn load(path: &Path, overrides: &[ConfigOverride]) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut row: Value = serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        for change in overrides {
            change.apply(&mut row);
        }
        Self::from_row(row).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_row(row: Value) -> Result<Self, String> {
        let Value::Object(mut row) = row else { return Err("the sign-in experience must be a JSON object".into()) };
        let social = match row.remove("socialConnectors") {
            None | Some(Value::Null) => builtin_social_connectors(),
            Some(v) => parse_social(v)?,
        };
        let sso = match row.remove("ssoConnectors") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => parse_sso(v)?,
        };
        let email_blocklist = match row.get("emailBlocklistPolicy") {
            None | Some(Value::Null) => EmailBlocklist::default(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("emailBlocklistPolicy: {e}"))?,
        };
        let public = Value::Object(public_body(row, &social, &sso));
        let typed = serde_json::from_value(public.clone()).map_err(|e| format!("not a sign-in experience: {e}"))?;
        let google_one_tap = OneTapPart::read(&public).ok().and_then(|p| p.settings());
        Ok(Self { public, typed, google_one_tap, social, sso, email_blocklist })
    }

    pub fn social_connector(&self, id: &str) -> Option<&SocialConnectorDef> {
        self.social.iter().find(|c| c.id == id)
    }

    pub fn sso_connector(&self, id: &str) -> Option<&SsoConnectorDef> {
        self.sso.iter().find(|c| c.id == id)
    }

    /// The SSO connectors that claim the domain of `email` (none while SSO is off).
    pub fn sso_connectors_for_email(&self, email: &str) -> Vec<&SsoConnectorDef> {
        let Some((_, domain)) = email.rsplit_once('@') else { return Vec::new() };
        if !self.typed.single_sign_on_enabled {
            return Vec::new();
        }
        self.sso.iter().filter(|c| c.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))).collect()
    }

    /// The `/api/.well-known/sign-in-exp` body (and SSR `signInExperience.data`).
    pub fn public(&self) -> &Value {
        &self.public
    }

    /// `passwordExpiration`: how long a password stays valid, when the policy is on.
    pub fn password_valid_for(&self) -> Option<Duration> {
        let policy = &self.public["passwordExpiration"];
        let days = policy["validPeriodDays"].as_u64().filter(|_| policy["enabled"].as_bool() == Some(true))?;
        Some(Duration::from_secs(days * 24 * 60 * 60))
    }

    pub fn sentinel(&self) -> Sentinel {
        let policy = &self.public["sentinelPolicy"];
        Sentinel {
            max_attempts: policy["maxAttempts"].as_u64().unwrap_or(100).max(1) as usize,
            lockout: Duration::from_secs(policy["lockoutDuration"].as_u64().unwrap_or(60) * 60),
        }
    }
}

/// Derives the public body from the stored row the way `getFullSignInExperience` does:
/// drops the server-only keys and adds the computed ones.
fn public_body(
    mut row: Map<String, Value>,
    social: &[SocialConnectorDef],
    sso: &[SsoConnectorDef],
) -> Map<String, Value> {
    let forgot_methods: Vec<String> =
        row.remove("forgotPasswordMethods").and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    row.remove("emailBlocklistPolicy");
    row.remove("trustedDevice");
    let targets: Vec<String> = row
        .get("socialSignInConnectorTargets")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let social: Vec<Value> = social.iter().filter(|c| targets.contains(&c.target)).map(|c| c.public.clone()).collect();
    row.insert("socialConnectors".into(), Value::Array(social));
    let sso_enabled = row.get("singleSignOnEnabled").and_then(Value::as_bool).unwrap_or(false);
    let sso: Vec<Value> = if sso_enabled { sso.iter().map(|c| c.public.clone()).collect() } else { Vec::new() };
    row.insert("ssoConnectors".into(), Value::Array(sso));
    row.insert(
        "forgotPassword".into(),
        json!({
            "phone": forgot_methods.iter().any(|m| m == "PhoneVerificationCode"),
            "email": forgot_methods.iter().any(|m| m == "EmailVerificationCode"),
        }),
    );
    // Logto sends the widget's settings only while the policy is on.
    if row.get("captchaPolicy").and_then(|p| p.get("enabled")).and_then(Value::as_bool) != Some(true) {
        row.remove("captchaConfig");
    }
    if !row.contains_key("isDevelopmentTenant") {
        row.insert("isDevelopmentTenant".into(), json!(false));
    }
    // A config may describe custom profile fields (the continue/extra-profile screen); none by default.
    if !row.get("customProfileFields").is_some_and(Value::is_array) {
        row.insert("customProfileFields".into(), json!([]));
    }
    row.insert("customProfileFieldCatalog".into(), json!([]));
    row
}

/// Our own small mark for the mock social connector (no external host).
const MOCK_SOCIAL_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Ccircle cx='12' cy='12' r='10' fill='%230F766E'/%3E%3Cpath d='M7 12h10M12 7v10' stroke='white' stroke-width='2'/%3E%3C/svg%3E";

/// The id of the built-in mock social connector (Logto's factory id for it; stable across runs).
pub const MOCK_SOCIAL_ID: &str = "mock-social-connector";

/// The installed social connectors when the config names none: the mock social connector (target
/// `mock-social`). A config enables connectors by `target` in `socialSignInConnectorTargets`.
pub fn builtin_social_connectors() -> Vec<SocialConnectorDef> {
    parse_social(json!([{
        "id": MOCK_SOCIAL_ID,
        "target": "mock-social",
        "name": { "en": "Mock Social" },
        "logo": MOCK_SOCIAL_LOGO,
        "logoDark": null,
        "platform": "Universal",
        "isTokenStorageSupported": true,
    }]))
    .expect("the built-in connector is well formed")
}

/// The stored `socialConnectors` list (server-only key): `[{id, target, name:{en,…}, logo, logoDark?, platform?}]`.
fn parse_social(v: Value) -> Result<Vec<SocialConnectorDef>, String> {
    let Value::Array(items) = v else { return Err("socialConnectors must be an array".into()) };
    items
        .into_iter()
        .map(|c| {
            let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            let id = text("id").ok_or("a social connector needs an id")?;
            let target = text("target").ok_or("a social connector needs a target")?;
            let name = c["name"]["en"].as_str().or(c["name"].as_str()).unwrap_or(&target).to_owned();
            let public = json!({
                "id": id,
                "target": target,
                "name": if c["name"].is_object() { c["name"].clone() } else { json!({ "en": name }) },
                "logo": text("logo").unwrap_or_else(|| MOCK_SOCIAL_LOGO.into()),
                "logoDark": c.get("logoDark").cloned().unwrap_or(Value::Null),
                "platform": c.get("platform").cloned().unwrap_or(json!("Universal")),
                "isTokenStorageSupported": c.get("isTokenStorageSupported").cloned().unwrap_or(json!(true)),
            });
            Ok(SocialConnectorDef { id, target, name, public })
        })
        .collect()
}

/// The stored `ssoConnectors` list: `[{id, connectorName, logo, darkLogo?, domains:[…]}]`.
fn parse_sso(v: Value) -> Result<Vec<SsoConnectorDef>, String> {
    let Value::Array(items) = v else { return Err("ssoConnectors must be an array".into()) };
    items
        .into_iter()
        .map(|c| {
            let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            let id = text("id").ok_or("an SSO connector needs an id")?;
            let connector_name = text("connectorName").ok_or("an SSO connector needs a connectorName")?;
            let domains: Vec<String> = serde_json::from_value(c.get("domains").cloned().unwrap_or(json!([])))
                .map_err(|e| format!("SSO connector {id}: domains: {e}"))?;
            let mut public =
                json!({ "id": id, "connectorName": connector_name, "logo": text("logo").unwrap_or_default() });
            if let Some(dark) = text("darkLogo") {
                public["darkLogo"] = json!(dark);
            }
            Ok(SsoConnectorDef { id, connector_name, domains, public })
        })
        .collect()
}
