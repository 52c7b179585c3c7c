//! Multi-factor steps (contract §6): which screen each MFA answer of `submit` leads to, and the state
//! those screens share (kept in sessionStorage so a reload resumes the step).

use crate::flow::ApiFailure;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Logto's factor names, which are also the (case-sensitive) path segments of the MFA screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaFactor {
    Totp,
    WebAuthn,
    BackupCode,
    EmailVerificationCode,
    PhoneVerificationCode,
}

impl MfaFactor {
    pub const ALL: [Self; 5] =
        [Self::Totp, Self::WebAuthn, Self::BackupCode, Self::EmailVerificationCode, Self::PhoneVerificationCode];

    pub fn segment(self) -> &'static str {
        match self {
            Self::Totp => "Totp",
            Self::WebAuthn => "WebAuthn",
            Self::BackupCode => "BackupCode",
            Self::EmailVerificationCode => "EmailVerificationCode",
            Self::PhoneVerificationCode => "PhoneVerificationCode",
        }
    }

    pub fn from_segment(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.segment() == segment)
    }

    /// `identifierType` of the email/phone factors.
    pub fn identifier_type(self) -> Option<&'static str> {
        match self {
            Self::EmailVerificationCode => Some("email"),
            Self::PhoneVerificationCode => Some("phone"),
            _ => None,
        }
    }

    /// Phrase keys of the factor's name and one-line description in choosers.
    pub fn phrase_keys(self) -> (&'static str, &'static str) {
        match self {
            Self::Totp => ("mfa.totp", "mfa.totp_description"),
            Self::WebAuthn => ("mfa.webauthn", "mfa.webauthn_description"),
            Self::BackupCode => ("mfa.backup_code", "mfa.backup_code_description"),
            Self::EmailVerificationCode => ("mfa.email_verification_code", "mfa.email_verification_code_description"),
            Self::PhoneVerificationCode => ("mfa.phone_verification_code", "mfa.phone_verification_code_description"),
        }
    }
}

/// Binding a new factor or verifying a bound one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaFlow {
    Binding,
    Verification,
}

impl MfaFlow {
    pub fn base(self) -> &'static str {
        match self {
            Self::Binding => "/mfa-binding",
            Self::Verification => "/mfa-verification",
        }
    }

    pub fn path(self, factor: MfaFactor) -> String {
        format!("{}/{}", self.base(), factor.segment())
    }
}

/// What the MFA screens know about the step (`data` of the provider's answer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MfaState {
    pub available_factors: Vec<MfaFactor>,
    pub skippable: bool,
    /// "Add another factor" after sign-up (`session.mfa.suggest_additional_mfa`): skip means `mfa-suggestion-skipped`.
    pub suggestion: bool,
    /// `{email?: "j***@example.com", phone?: "…"}` for the email/phone factors.
    pub masked_identifiers: Option<Value>,
}

impl MfaState {
    fn from_data(data: Option<&Value>) -> Self {
        data.and_then(|d| serde_json::from_value(d.clone()).ok()).unwrap_or_default()
    }

    /// The masked address a code factor sends to.
    pub fn masked(&self, factor: MfaFactor) -> Option<String> {
        let key = factor.identifier_type()?;
        self.masked_identifiers.as_ref()?.get(key)?.as_str().map(str::to_owned)
    }
}

/// The MFA-related "next step" answers of `submit`, in the order Logto checks them.
#[derive(Debug, Clone, PartialEq)]
pub enum MfaNext {
    /// `user.passkey_preferred`: offer to create a sign-in passkey (`/create-passkey`).
    PasskeyPreferred,
    /// `user.suggest_mfa`: ask whether to turn on 2-step verification (`/mfa-onboarding`).
    Onboarding,
    /// `user.missing_mfa`: bind a factor.
    Bind(MfaState),
    /// `session.mfa.suggest_additional_mfa`: offer another factor.
    Suggest(MfaState),
    /// `session.mfa.backup_code_required`: show backup codes.
    BackupCodeRequired,
    /// `session.mfa.require_mfa_verification` (403): verify a bound factor.
    Verify(MfaState),
}

impl MfaNext {
    pub fn from_failure(failure: &ApiFailure) -> Option<Self> {
        let ApiFailure::Logto { body, .. } = failure else { return None };
        let data = body.data.as_ref();
        Some(match body.code.as_str() {
            "user.passkey_preferred" => Self::PasskeyPreferred,
            "user.suggest_mfa" => Self::Onboarding,
            "user.missing_mfa" => Self::Bind(MfaState::from_data(data)),
            "session.mfa.suggest_additional_mfa" => {
                Self::Suggest(MfaState { suggestion: true, skippable: true, ..MfaState::from_data(data) })
            }
            "session.mfa.backup_code_required" => Self::BackupCodeRequired,
            "session.mfa.require_mfa_verification" => Self::Verify(MfaState::from_data(data)),
            _ => return None,
        })
    }

    /// The screen to open, and the state it needs. Verification opens the first factor (the last one used)
    /// directly, with "try another method" leading to the chooser; binding one factor opens it directly.
    pub fn entry(&self) -> (String, Option<MfaState>) {
        match self {
            Self::PasskeyPreferred => ("/create-passkey".into(), None),
            Self::Onboarding => ("/mfa-onboarding".into(), None),
            Self::BackupCodeRequired => (MfaFlow::Binding.path(MfaFactor::BackupCode), None),
            Self::Verify(state) => match state.available_factors.first() {
                Some(first) => (MfaFlow::Verification.path(*first), Some(state.clone())),
                None => (MfaFlow::Verification.base().into(), Some(state.clone())),
            },
            Self::Bind(state) | Self::Suggest(state) => match state.available_factors.as_slice() {
                [only] if !state.suggestion => (MfaFlow::Binding.path(*only), Some(state.clone())),
                _ => (MfaFlow::Binding.base().into(), Some(state.clone())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorBody;
    use serde_json::json;

    fn failure(code: &str, data: Value) -> ApiFailure {
        let body: ErrorBody = serde_json::from_value(json!({"code": code, "message": "m", "data": data})).unwrap();
        ApiFailure::Logto { status: 422, body }
    }

    #[test]
    fn captured_answers_lead_to_their_screens() {
        let bind = MfaNext::from_failure(&failure("user.missing_mfa", json!({"availableFactors": ["WebAuthn", "Totp"]}))).unwrap();
        assert_eq!(bind.entry().0, "/mfa-binding");
        let one = MfaNext::from_failure(&failure("user.missing_mfa", json!({"availableFactors": ["Totp"], "skippable": true}))).unwrap();
        let (path, state) = one.entry();
        assert_eq!(path, "/mfa-binding/Totp");
        assert!(state.unwrap().skippable);
        let verify = MfaNext::from_failure(&failure(
            "session.mfa.require_mfa_verification",
            json!({"availableFactors": ["Totp", "BackupCode"], "maskedIdentifiers": {"email": "e***@example.com"}}),
        ))
        .unwrap();
        assert_eq!(verify.entry().0, "/mfa-verification/Totp");
        assert_eq!(MfaNext::from_failure(&failure("user.passkey_preferred", Value::Null)).unwrap().entry().0, "/create-passkey");
        assert_eq!(MfaNext::from_failure(&failure("user.suggest_mfa", Value::Null)).unwrap().entry().0, "/mfa-onboarding");
        assert_eq!(
            MfaNext::from_failure(&failure("session.mfa.backup_code_required", Value::Null)).unwrap().entry().0,
            "/mfa-binding/BackupCode"
        );
        let suggest = MfaNext::from_failure(&failure("session.mfa.suggest_additional_mfa", json!({"availableFactors": ["Totp"]}))).unwrap();
        let (path, state) = suggest.entry();
        assert_eq!(path, "/mfa-binding");
        assert!(state.unwrap().suggestion);
        assert_eq!(MfaNext::from_failure(&failure("session.invalid_credentials", Value::Null)), None);
    }

    #[test]
    fn masked_identifiers_and_segments() {
        let state = MfaState { masked_identifiers: Some(json!({"email": "e***@x.io"})), ..Default::default() };
        assert_eq!(state.masked(MfaFactor::EmailVerificationCode).as_deref(), Some("e***@x.io"));
        assert_eq!(state.masked(MfaFactor::Totp), None);
        for f in MfaFactor::ALL {
            assert_eq!(MfaFactor::from_segment(f.segment()), Some(f));
        }
        assert_eq!(MfaFactor::from_segment("totp"), None);
    }
}
