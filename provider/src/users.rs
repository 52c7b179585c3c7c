//! The user directory: seeded from a JSON file, passwords stored as argon2 PHC hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::OsRng;
use serde::{Deserialize, Serialize};
use sign_in_core::api::{Identifier, IdentifierType};
use sign_in_core::mfa::MfaFactor;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

#[derive(Default, Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// 12-character id, like Logto's.
    pub id: String,
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub primary_email: Option<String>,
    #[serde(default)]
    pub primary_phone: Option<String>,
    /// argon2 PHC string; `None` for password-less accounts.
    #[serde(default)]
    pub password_hash: Option<String>,
    /// When the password was last set, in milliseconds since the epoch (Logto's `passwordUpdatedAt`);
    /// `passwordExpiration` counts from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_updated_at: Option<u64>,
    /// Only printed at startup so people can try the demo; never used for verification.
    #[serde(default)]
    pub demo_password: Option<String>,
    /// Social identities by connector target (Logto's `users.identities`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identities: BTreeMap<String, SocialIdentity>,
    /// Enterprise SSO identities (Logto's `user_sso_identities` rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sso_identities: Vec<SsoIdentity>,
    /// Extra profile fields Logto keeps in `users.profile` (givenName, website, address…).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub profile: serde_json::Map<String, serde_json::Value>,
    /// Custom profile fields (Logto's `users.customData`).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub custom_data: serde_json::Map<String, serde_json::Value>,
    /// Bound MFA factors (Logto's `users.mfaVerifications`); WebAuthn entries double as sign-in passkeys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mfa_verifications: Vec<MfaVerification>,
    /// `logtoConfig.mfa.enabled` (`None`: never answered the optional prompt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enabled: Option<bool>,
    /// `logtoConfig.mfa.skipped`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mfa_skipped: bool,
    /// `logtoConfig.passkeySignIn.skipped`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub passkey_skipped: bool,
}

/// One bound MFA factor. `lastUsedAt` is milliseconds since the epoch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum MfaVerification {
    Totp {
        id: String,
        /// Base32 secret.
        key: String,
        #[serde(default)]
        last_used_at: Option<u64>,
    },
    WebAuthn(WebAuthnCredential),
    BackupCode {
        id: String,
        codes: Vec<BackupCode>,
        #[serde(default)]
        last_used_at: Option<u64>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupCode {
    pub code: String,
    #[serde(default)]
    pub used_at: Option<u64>,
}

/// A registered WebAuthn credential (ES256 only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnCredential {
    pub id: String,
    /// base64url credential id.
    pub credential_id: String,
    /// base64url SEC1 uncompressed P-256 point.
    pub public_key: String,
    pub counter: u32,
    #[serde(default)]
    pub transports: Vec<String>,
    pub rp_id: String,
    #[serde(default)]
    pub last_used_at: Option<u64>,
}

impl MfaVerification {
    /// Logto's `MfaFactor` name.
    pub fn factor(&self) -> MfaFactor {
        match self {
            Self::Totp { .. } => MfaFactor::Totp,
            Self::WebAuthn(_) => MfaFactor::WebAuthn,
            Self::BackupCode { .. } => MfaFactor::BackupCode,
        }
    }

    pub fn last_used_at(&self) -> Option<u64> {
        match self {
            Self::Totp { last_used_at, .. } | Self::BackupCode { last_used_at, .. } => *last_used_at,
            Self::WebAuthn(c) => c.last_used_at,
        }
    }
}

impl User {
    pub fn totp_secret(&self) -> Option<&str> {
        self.mfa_verifications.iter().find_map(|v| match v {
            MfaVerification::Totp { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    pub fn webauthn(&self) -> impl Iterator<Item = &WebAuthnCredential> {
        self.mfa_verifications.iter().filter_map(|v| match v {
            MfaVerification::WebAuthn(c) => Some(c),
            _ => None,
        })
    }

    pub fn has_unused_backup_code(&self) -> bool {
        self.mfa_verifications.iter().any(
            |v| matches!(v, MfaVerification::BackupCode { codes, .. } if codes.iter().any(|c| c.used_at.is_none())),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialIdentity {
    pub user_id: String,
    #[serde(default)]
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoIdentity {
    pub sso_connector_id: String,
    pub identity_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Users {
    pub users: Vec<User>,
}

impl Users {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not a users file: {e}", path.display()))
    }

    pub fn by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Finds the account an identifier names. Usernames are case-sensitive (Logto's default
    /// `usernamePolicy.caseSensitive`), e-mail addresses are not, phone numbers compare as digits.
    pub fn find(&self, identifier: &Identifier) -> Option<&User> {
        let value = identifier.value.trim();
        self.users.iter().find(|u| match identifier.kind {
            IdentifierType::Username => u.username.as_deref() == Some(value),
            IdentifierType::Email => u.primary_email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(value)),
            IdentifierType::Phone => {
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                u.primary_phone.as_deref().is_some_and(|p| !value.is_empty() && digits(p) == digits(value))
            }
        })
    }
}

impl Users {
    pub fn by_social_identity(&self, target: &str, identity_id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.identities.get(target).is_some_and(|i| i.user_id == identity_id))
    }

    pub fn by_sso_identity(&self, connector_id: &str, identity_id: &str) -> Option<&User> {
        self.users.iter().find(|u| {
            u.sso_identities.iter().any(|i| i.sso_connector_id == connector_id && i.identity_id == identity_id)
        })
    }

    pub fn by_email(&self, email: &str) -> Option<&User> {
        self.find(&Identifier { kind: IdentifierType::Email, value: email.to_owned() })
    }

    pub fn by_id_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// The account holding a WebAuthn credential (base64url id).
    pub fn by_credential_id(&self, credential_id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.webauthn().any(|c| c.credential_id == credential_id))
    }

    pub fn by_phone(&self, phone: &str) -> Option<&User> {
        self.find(&Identifier { kind: IdentifierType::Phone, value: phone.to_owned() })
    }

    pub fn username_taken(&self, username: &str) -> bool {
        self.find(&Identifier { kind: IdentifierType::Username, value: username.to_owned() }).is_some()
    }

    /// A fresh 12-character id of `[0-9a-z]`, like Logto's user ids.
    pub fn new_id(&self) -> String {
        loop {
            let id: String = crate::random::verification_id().chars().take(12).collect();
            if self.by_id(&id).is_none() {
                return id;
            }
        }
    }
}

pub fn verify_password(user: &User, password: &str) -> bool {
    let Some(hash) = user.password_hash.as_deref() else { return false };
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Like [`verify_password`], but always pays for one argon2 verification: without an account (or without a usable
/// hash) it checks against a stand-in hash made like every stored one, and answers `false`. So a sign-in attempt
/// takes as long for an identifier without an account as for a wrong password, and its timing does not tell which
/// accounts exist.
pub fn verify_password_evenly(user: Option<&User>, password: &str) -> bool {
    let stored = user.and_then(|u| u.password_hash.as_deref()).and_then(|h| PasswordHash::new(h).ok());
    if let Some(parsed) = stored {
        return Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
    }
    if let Ok(parsed) = PasswordHash::new(stand_in_hash()) {
        let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
    }
    false
}

/// The stand-in hash of [`verify_password_evenly`], made once per process (at start, so that the first unknown
/// identifier does not take longer than the others).
pub fn stand_in_hash() -> &'static str {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    STAND_IN.get_or_init(|| hash_password(&crate::random::token43()))
}

/// Makes a PHC hash for the seed file (`reference-provider --hash-password <pw>`).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashing").to_string()
}
