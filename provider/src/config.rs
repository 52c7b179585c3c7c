//! The sign-in experience as stored (a Logto `sign_in_experiences` row) and its public form
//! (`GET /api/.well-known/sign-in-exp`), plus the provider's fixed connector catalogue.

use serde_json::{json, Map, Value};
use sign_in_core::config::SignInExperience;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SieConfig {
    /// The public body, computed once (the config does not change while serving).
    public: Value,
    /// The same, typed, for decisions.
    pub typed: SignInExperience,
}

/// Logto's default sentinel: 100 failures within the lockout window lock the account for 60 minutes.
#[derive(Debug, Clone, Copy)]
pub struct Sentinel {
    pub max_attempts: usize,
    pub lockout: Duration,
}

impl SieConfig {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let row: Value = serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        Self::from_row(row).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_row(row: Value) -> Result<Self, String> {
        let Value::Object(row) = row else { return Err("the sign-in experience must be a JSON object".into()) };
        let public = Value::Object(public_body(row));
        let typed = serde_json::from_value(public.clone()).map_err(|e| format!("not a sign-in experience: {e}"))?;
        Ok(Self { public, typed })
    }

    /// The `/api/.well-known/sign-in-exp` body (and SSR `signInExperience.data`).
    pub fn public(&self) -> &Value {
        &self.public
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
fn public_body(mut row: Map<String, Value>) -> Map<String, Value> {
    let forgot_methods: Vec<String> = row
        .remove("forgotPasswordMethods")
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    row.remove("emailBlocklistPolicy");
    row.remove("trustedDevice");
    let targets: Vec<String> = row
        .get("socialSignInConnectorTargets")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let social: Vec<Value> =
        social_connectors().into_iter().filter(|c| targets.iter().any(|t| c["target"] == t.as_str())).collect();
    row.insert("socialConnectors".into(), Value::Array(social));
    row.insert("ssoConnectors".into(), json!([]));
    row.insert(
        "forgotPassword".into(),
        json!({
            "phone": forgot_methods.iter().any(|m| m == "PhoneVerificationCode"),
            "email": forgot_methods.iter().any(|m| m == "EmailVerificationCode"),
        }),
    );
    row.insert("isDevelopmentTenant".into(), json!(false));
    row.insert("customProfileFields".into(), json!([]));
    row.insert("customProfileFieldCatalog".into(), json!([]));
    row
}

/// Our own small mark for the mock social connector (no external host).
const MOCK_SOCIAL_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Ccircle cx='12' cy='12' r='10' fill='%230F766E'/%3E%3Cpath d='M7 12h10M12 7v10' stroke='white' stroke-width='2'/%3E%3C/svg%3E";

/// The installed social connectors; a config enables them by `target` in `socialSignInConnectorTargets`.
pub fn social_connectors() -> Vec<Value> {
    vec![json!({
        "id": "mocksocial01",
        "target": "mock-social",
        "name": { "en": "Mock Social" },
        "logo": MOCK_SOCIAL_LOGO,
        "logoDark": null,
        "platform": "Universal",
        "isTokenStorageSupported": true,
    })]
}
