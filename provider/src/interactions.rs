//! In-memory OIDC interactions and their Experience API state, plus the cookies that name them.

use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent};
use sign_in_core::mfa::MfaFactor;
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

/// oidc-provider keeps an interaction for an hour.
pub const INTERACTION_TTL: Duration = Duration::from_secs(3600);
pub const INTERACTION_COOKIE: &str = "_interaction";
pub const RESUME_COOKIE: &str = "_interaction_resume";
pub const LOGTO_COOKIE: &str = "_logto";

/// One `/oidc/auth` request waiting for the sign-in page to finish.
#[derive(Debug, Clone)]
pub struct Interaction {
    pub uid: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scope: String,
    /// The API resource the request names (`resource`, RFC 8707).
    pub resource: Option<String>,
    pub code_challenge: String,
    /// Where the page lands (and where an unfinished resume sends the browser back).
    pub landing: String,
    pub expires_at: Instant,
    /// `None` until `PUT /api/experience`.
    pub experience: Option<Experience>,
    /// The signed-in user id, set by a successful submit.
    pub result: Option<String>,
    /// The challenge of `preflight/sign-in-passkey/authentication` (discoverable passkey sign-in).
    pub passkey_challenge: Option<crate::webauthn::Challenge>,
    /// What the person granted on the consent screen (third-party applications only).
    pub grant: Option<Grant>,
    /// The device this sign-in is for (device flow): its sign-in ends on `/device/success`, not at a redirect URI.
    pub device_code: Option<String>,
}

/// A consent: the scopes and organizations a third-party application was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    pub scope: String,
    pub organizations: Vec<String>,
}

/// The Experience API state of one interaction (Logto's `interaction.result`).
#[derive(Debug, Clone)]
pub struct Experience {
    pub event: InteractionEvent,
    pub user_id: Option<String>,
    pub profile: serde_json::Map<String, serde_json::Value>,
    /// One record per kind; a new record of a kind replaces the old one.
    pub records: Vec<VerificationRecord>,
    /// MFA state of this interaction (Logto's `interaction.result.mfa`).
    pub mfa: MfaState,
    /// `PUT /api/experience` carried a good captcha token (Logto's `captcha.verified`).
    pub captcha_verified: bool,
}

/// Pending MFA bindings and choices, written to the account by a successful submit.
#[derive(Debug, Clone, Default)]
pub struct MfaState {
    pub enabled: Option<bool>,
    pub skipped: Option<bool>,
    pub passkey_skipped: Option<bool>,
    /// `mfa-suggestion-skipped`: lives only in this interaction.
    pub suggestion_skipped: bool,
    /// A TOTP secret bound in this interaction (base32).
    pub totp: Option<String>,
    /// WebAuthn credentials registered in this interaction (MFA or sign-in passkey).
    pub webauthn: Vec<crate::users::WebAuthnCredential>,
    pub backup_codes: Option<Vec<String>>,
    /// A factor of the account was verified in this interaction.
    pub verified: bool,
    /// The kind of record that identified the user (`SignInPasskey` and `EnterpriseSso` skip MFA).
    pub identified_via: Option<&'static str>,
}

impl Experience {
    pub fn new(event: InteractionEvent) -> Self {
        Self {
            event,
            user_id: None,
            profile: Default::default(),
            records: Vec::new(),
            mfa: MfaState::default(),
            captcha_verified: false,
        }
    }

    pub fn put_record(&mut self, record: VerificationRecord) {
        self.records.retain(|r| r.kind() != record.kind());
        self.records.push(record);
    }

    pub fn record(&self, id: &str) -> Option<&VerificationRecord> {
        self.records.iter().find(|r| r.id() == id)
    }
}

/// A proof collected during the interaction (Logto's verification records).
#[derive(Debug, Clone)]
pub enum VerificationRecord {
    Password {
        id: String,
        identifier: Identifier,
        user_id: String,
    },
    /// Created by `social/:id/authorization-uri`; `profile` is filled by `social/:id/verify`.
    Social {
        id: String,
        connector_id: String,
        target: String,
        profile: Option<IdpProfile>,
    },
    /// Created by `sso/:id/authorization-uri`; `profile` is filled by `sso/:id/verify`.
    EnterpriseSso {
        id: String,
        connector_id: String,
        profile: Option<IdpProfile>,
    },
    /// Created by `verification/verification-code` (a code sent to an e-mail address or phone number);
    /// `verified` is set by `…/verify`. Resending makes a new record (new id, new code) of the same kind.
    Code {
        id: String,
        identifier: Identifier,
        /// The message template (`SignIn`, `Register`, `ForgotPassword`, `BindMfa`…).
        template: String,
        code: String,
        created_at: Instant,
        /// Wrong codes entered so far.
        tries: u32,
        verified: bool,
    },
    /// Created by `verification/one-time-token/verify` (the token is consumed by then).
    OneTimeToken {
        id: String,
        email: String,
    },
    /// `verification/totp/secret` (binding: `secret` set) or `verification/totp/verify` without an id
    /// (the account's own TOTP: `secret` unset, verified).
    Totp {
        id: String,
        secret: Option<String>,
        verified: bool,
    },
    /// `verification/backup-code/generate` (`codes` set) or `…/verify` (verified).
    BackupCode {
        id: String,
        codes: Option<Vec<String>>,
        verified: bool,
    },
    /// `verification/web-authn/{registration,authentication}`.
    WebAuthn {
        id: String,
        challenge: crate::webauthn::Challenge,
        registration: bool,
        /// The verified new credential (registration only).
        credential: Option<crate::users::WebAuthnCredential>,
        verified: bool,
    },
    /// `verification/sign-in-passkey/authentication[/verify]`.
    SignInPasskey {
        id: String,
        challenge: Option<crate::webauthn::Challenge>,
        user_id: Option<String>,
        verified: bool,
    },
    /// `verification/mfa-verification-code`: a code sent to the identified account's own address.
    MfaCode {
        id: String,
        identifier: Identifier,
        code: String,
        created_at: Instant,
        tries: u32,
        verified: bool,
    },
}

/// What an identity provider says about the person (Logto's `SocialUserInfo`, reduced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpProfile {
    /// The provider's subject id.
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

impl IdpProfile {
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({ "id": self.id });
        if let Some(e) = &self.email {
            v["email"] = e.clone().into();
        }
        if let Some(n) = &self.name {
            v["name"] = n.clone().into();
        }
        v
    }
}

impl VerificationRecord {
    /// Logto's `VerificationType` name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Password { .. } => "Password",
            Self::Social { .. } => "Social",
            Self::EnterpriseSso { .. } => "EnterpriseSso",
            Self::Code { identifier, .. } => match identifier.kind {
                IdentifierType::Phone => MfaFactor::PhoneVerificationCode.segment(),
                _ => MfaFactor::EmailVerificationCode.segment(),
            },
            Self::OneTimeToken { .. } => "OneTimeToken",
            Self::Totp { .. } => MfaFactor::Totp.segment(),
            Self::BackupCode { .. } => MfaFactor::BackupCode.segment(),
            Self::WebAuthn { .. } => MfaFactor::WebAuthn.segment(),
            Self::SignInPasskey { .. } => "SignInPasskey",
            Self::MfaCode { identifier, .. } => match identifier.kind {
                IdentifierType::Phone => "MfaPhoneVerificationCode",
                _ => "MfaEmailVerificationCode",
            },
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Self::Password { id, .. }
            | Self::Social { id, .. }
            | Self::EnterpriseSso { id, .. }
            | Self::Code { id, .. }
            | Self::OneTimeToken { id, .. }
            | Self::Totp { id, .. }
            | Self::BackupCode { id, .. }
            | Self::WebAuthn { id, .. }
            | Self::SignInPasskey { id, .. }
            | Self::MfaCode { id, .. } => id,
        }
    }

    /// What `GET /api/experience/interaction` shows: no secrets.
    pub fn sanitized(&self) -> serde_json::Value {
        match self {
            Self::Password { id, identifier, .. } => serde_json::json!({
                "id": id, "type": self.kind(), "identifier": identifier, "verified": true,
            }),
            Self::Social { id, connector_id, profile, .. } => {
                let mut v = serde_json::json!({ "id": id, "type": self.kind(), "connectorId": connector_id });
                if let Some(p) = profile {
                    v["socialUserInfo"] = p.to_json();
                }
                v
            }
            Self::EnterpriseSso { id, connector_id, profile } => {
                let mut v = serde_json::json!({ "id": id, "type": self.kind(), "connectorId": connector_id });
                if let Some(p) = profile {
                    v["enterpriseSsoUserInfo"] = p.to_json();
                }
                v
            }
            Self::Code { id, identifier, template, verified, .. } => serde_json::json!({
                "id": id, "type": self.kind(), "identifier": identifier, "templateType": template, "verified": verified,
            }),
            Self::OneTimeToken { id, email } => serde_json::json!({
                "id": id, "type": self.kind(), "identifier": { "type": "email", "value": email }, "verified": true,
            }),
            Self::Totp { id, verified, .. }
            | Self::BackupCode { id, verified, .. }
            | Self::WebAuthn { id, verified, .. } => {
                serde_json::json!({ "id": id, "type": self.kind(), "verified": verified })
            }
            Self::SignInPasskey { id, user_id, verified, .. } => {
                serde_json::json!({ "id": id, "type": self.kind(), "userId": user_id, "verified": verified })
            }
            Self::MfaCode { id, identifier, verified, .. } => serde_json::json!({
                "id": id, "type": self.kind(), "identifier": identifier, "verified": verified,
            }),
        }
    }
}

/// A code the mock identity provider handed out (single use, 10 minutes).
#[derive(Debug, Clone)]
pub struct IdpGrant {
    pub connector_id: String,
    pub redirect_uri: String,
    pub profile: IdpProfile,
    pub expires_at: Instant,
}

/// An issued authorization code (single use, 60 s).
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scope: String,
    /// Organizations granted on the consent screen (in the id token's `organizations`).
    pub organizations: Option<Vec<String>>,
    pub user_id: String,
    pub expires_at: Instant,
}

/// Failed checks of one sentinel target (see `sentinel`), for the lockout.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    pub failures: Vec<Instant>,
    pub locked_until: Option<Instant>,
    /// Checks reserved and still running; they count against the limit until they settle.
    pub in_flight: usize,
}

#[derive(Debug, Default)]
pub struct Store {
    pub interactions: HashMap<String, Interaction>,
    pub codes: HashMap<String, AuthCode>,
    pub attempts: HashMap<String, Attempts>,
    /// Mock IdP code → what it vouches for.
    pub idp_codes: HashMap<String, IdpGrant>,
    /// Every verification code "sent", oldest first (`GET /outbox`).
    pub outbox: Vec<OutboxMessage>,
    /// Send times per normalized address, for the per-minute send limit.
    pub code_sends: HashMap<String, Vec<Instant>>,
    /// Normalized addresses the connector refuses as over its usage limit (`POST /admin/connector-usage-limit`).
    pub over_usage_limit: std::collections::HashSet<String>,
    /// Magic-link tokens by token value.
    pub one_time_tokens: HashMap<String, OneTimeToken>,
    /// Remembered sign-ins (`_session` cookie value → who), see `crate::consent`.
    pub sessions: HashMap<String, crate::consent::RememberedSession>,
    /// Captcha tokens the stand-in issued and not yet used → whether it made them expired.
    pub captcha_tokens: HashMap<String, bool>,
    /// What the stand-in's next challenge does (`POST /admin/captcha`).
    pub captcha_next: Option<crate::captcha::NextChallenge>,
    /// One Tap credentials the stand-in issued and not yet used, see `crate::one_tap`.
    pub one_tap_credentials: HashMap<String, crate::one_tap::OneTapGrant>,
    /// Device authorizations by device code, see `crate::device`.
    pub device_grants: HashMap<String, crate::device::DeviceGrant>,
}

/// One message in the outbox: what a real connector would have delivered.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    /// E-mail address or phone number, as the sign-in page sent it.
    pub to: String,
    /// `email` or `sms`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub template: String,
    pub code: String,
    /// RFC 3339, UTC.
    pub sent_at: String,
}

/// A one-time token minted by `POST /admin/one-time-tokens`.
#[derive(Debug, Clone)]
pub struct OneTimeToken {
    pub id: String,
    pub token: String,
    pub email: String,
    pub expires_at: Instant,
    /// Milliseconds since the epoch (what the admin endpoint reports).
    pub expires_at_ms: u64,
    pub created_at_ms: u64,
    pub consumed: bool,
}

impl Store {
    /// The live interaction named by `uid`, dropping it if it has expired.
    pub fn interaction_mut(&mut self, uid: &str) -> Option<&mut Interaction> {
        let now = Instant::now();
        if self.interactions.get(uid).is_some_and(|i| i.expires_at <= now) {
            self.interactions.remove(uid);
        }
        self.interactions.get_mut(uid)
    }
}

/// Reads one cookie out of the request's `Cookie` headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value in oidc-provider's attribute style.
pub fn set_cookie(name: &str, value: &str, path: &str, max_age: Option<Duration>, http_only: bool) -> String {
    let mut s = format!("{name}={value}; path={path}");
    if let Some(age) = max_age {
        s.push_str(&format!("; expires={}", httpdate::fmt_http_date(SystemTime::now() + age)));
    }
    s.push_str("; samesite=lax");
    if http_only {
        s.push_str("; httponly");
    }
    s
}

/// A `Set-Cookie` that removes a cookie (expires in 1970, as oidc-provider does).
pub fn clear_cookie(name: &str, path: &str) -> String {
    format!("{name}=; path={path}; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly")
}
