//! Multi-factor steps (docs/experience-api.md, MFA verification, MFA binding): which screen each MFA answer of
//! `submit` leads to, and the state those screens share (kept in sessionStorage so a reload resumes the step).

use crate::failures::ApiFailure;
use crate::route::Page;
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
    /// Suggestion mode: the account's sign-in passkey already serves as its WebAuthn factor.
    pub is_web_authn_used_as_sign_in_passkey: bool,
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

    /// The state of the screen `flow`/`factor` (`None`: the chooser) when this answer is the step it shows: used
    /// when a screen lost its stored step and asked the provider again. `None` means the answer belongs to
    /// another screen, which [`MfaNext::entry`] names.
    pub fn resumes(&self, flow: MfaFlow, factor: Option<MfaFactor>) -> Option<MfaState> {
        let state = match (self, flow) {
            (Self::Verify(state), MfaFlow::Verification) => state,
            (Self::Bind(state) | Self::Suggest(state), MfaFlow::Binding) => state,
            _ => return None,
        };
        let fits = match factor {
            None => !state.available_factors.is_empty(),
            Some(factor) => state.available_factors.contains(&factor) && !state.already_added(factor),
        };
        fits.then(|| state.clone())
    }

    /// The screen to open, and the state it needs. Verification opens the first factor (the last one used)
    /// directly, with "try another method" leading to the chooser; binding one factor opens it directly.
    pub fn entry(&self) -> (Page, Option<MfaState>) {
        use MfaFlow::{Binding, Verification};
        match self {
            Self::PasskeyPreferred => (Page::CreatePasskey, None),
            Self::Onboarding => (Page::MfaOnboarding, None),
            Self::BackupCodeRequired => (Page::Mfa(Binding, Some(MfaFactor::BackupCode)), None),
            Self::Verify(state) => {
                (Page::Mfa(Verification, state.available_factors.first().copied()), Some(state.clone()))
            }
            Self::Bind(state) | Self::Suggest(state) => match state.available_factors.as_slice() {
                [only] if !state.suggestion => (Page::Mfa(Binding, Some(*only)), Some(state.clone())),
                _ => (Page::Mfa(Binding, None), Some(state.clone())),
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
        let bind =
            MfaNext::from_failure(&failure("user.missing_mfa", json!({"availableFactors": ["WebAuthn", "Totp"]})))
                .unwrap();
        assert_eq!(bind.entry().0.path(), "/mfa-binding");
        let one = MfaNext::from_failure(&failure(
            "user.missing_mfa",
            json!({"availableFactors": ["Totp"], "skippable": true}),
        ))
        .unwrap();
        let (page, state) = one.entry();
        let path = page.path();
        assert_eq!(path, "/mfa-binding/Totp");
        assert!(state.unwrap().skippable);
        let verify = MfaNext::from_failure(&failure(
            "session.mfa.require_mfa_verification",
            json!({"availableFactors": ["Totp", "BackupCode"], "maskedIdentifiers": {"email": "e***@example.com"}}),
        ))
        .unwrap();
        assert_eq!(verify.entry().0.path(), "/mfa-verification/Totp");
        assert_eq!(
            MfaNext::from_failure(&failure("user.passkey_preferred", Value::Null)).unwrap().entry().0.path(),
            "/create-passkey"
        );
        assert_eq!(
            MfaNext::from_failure(&failure("user.suggest_mfa", Value::Null)).unwrap().entry().0.path(),
            "/mfa-onboarding"
        );
        assert_eq!(
            MfaNext::from_failure(&failure("session.mfa.backup_code_required", Value::Null)).unwrap().entry().0.path(),
            "/mfa-binding/BackupCode"
        );
        let suggest = MfaNext::from_failure(&failure(
            "session.mfa.suggest_additional_mfa",
            json!({"availableFactors": ["Totp"]}),
        ))
        .unwrap();
        let (page, state) = suggest.entry();
        let path = page.path();
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

impl MfaState {
    /// The masked address of an email/phone factor. Logto keys `maskedIdentifiers` by factor
    /// (`EmailVerificationCode`); `email`/`phone` keys are accepted too.
    pub fn masked_address(&self, factor: MfaFactor) -> Option<String> {
        let masked = self.masked_identifiers.as_ref()?;
        masked.get(factor.segment()).and_then(Value::as_str).map(str::to_owned).or_else(|| self.masked(factor))
    }

    /// Whether a factor screen offers "try another method" (the chooser lists at least two factors).
    pub fn can_switch(&self) -> bool {
        self.available_factors.len() >= 2
    }

    /// The `profile/mfa/…` action of Skip: `mfa-suggestion-skipped` in suggestion mode, else `mfa-skipped`.
    pub fn skip_action(&self) -> &'static str {
        if self.suggestion {
            "mfa-suggestion-skipped"
        } else {
            "mfa-skipped"
        }
    }

    /// Whether the step has nothing to show (a reload that lost sessionStorage): the screen asks the provider again.
    pub fn is_unknown(&self) -> bool {
        self.available_factors.is_empty()
    }

    /// Suggestion mode ("add another factor"): a factor the account already has is listed but cannot be
    /// chosen — an email/phone factor whose masked address the provider sent, or WebAuthn when the sign-in
    /// passkey already counts as one (as Logto's factor list decides).
    pub fn already_added(&self, factor: MfaFactor) -> bool {
        self.suggestion
            && match factor {
                MfaFactor::EmailVerificationCode | MfaFactor::PhoneVerificationCode => {
                    self.masked_address(factor).is_some()
                }
                MfaFactor::WebAuthn => self.is_web_authn_used_as_sign_in_passkey,
                MfaFactor::Totp | MfaFactor::BackupCode => false,
            }
    }

    /// The chooser's entries, in the provider's order.
    pub fn choices(&self) -> Vec<FactorChoice> {
        self.available_factors
            .iter()
            .map(|&factor| FactorChoice {
                factor,
                masked: self.masked_address(factor),
                already_added: self.already_added(factor),
            })
            .collect()
    }

    /// Phrase keys of a chooser's title and description.
    pub fn chooser_phrases(&self, flow: MfaFlow) -> (&'static str, &'static str) {
        match flow {
            MfaFlow::Verification => ("mfa.verification_title", "mfa.verification_description"),
            MfaFlow::Binding if self.suggestion => ("mfa.suggestion_title", "mfa.suggestion_description"),
            MfaFlow::Binding => ("mfa.binding_title", "mfa.binding_description"),
        }
    }
}

/// The code flow of an email/phone factor being bound (`/mfa-binding/…` → `/continue/verification-code`): the code
/// is sent with event `Register` (the provider picks its binding template), but the continue screen must finish as
/// inside a sign-in — `profile {email|phone}` → submit, never a second `identification` — even when the interaction
/// registers, as Logto's continue flow does when no event is passed to it.
pub fn binding_code_flow(flow: crate::interaction::FlowState) -> crate::interaction::FlowState {
    crate::interaction::FlowState { event: crate::api::InteractionEvent::SignIn, ..flow }
}

/// One entry of an MFA chooser.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorChoice {
    pub factor: MfaFactor,
    /// The masked address an email/phone factor uses, shown under its name.
    pub masked: Option<String>,
    /// Shown as already added (suggestion mode), not choosable.
    pub already_added: bool,
}

/// Backup codes as the downloaded `backup_code.txt` (and the clipboard) hold them: one per line.
pub fn backup_codes_text(codes: &[String]) -> String {
    let mut text = codes.join("\n");
    text.push('\n');
    text
}

/// How a WebAuthn ceremony (`navigator.credentials.create/get`) failed, from the DOMException name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebAuthnFailure {
    /// The request was aborted (`AbortError`: the page ended it, e.g. passkey autofill when another flow starts):
    /// nothing to say.
    Cancelled,
    /// The person refused or closed the prompt, or it timed out (`NotAllowedError`; browsers don't tell which): the
    /// passkey wasn't confirmed, and pressing again asks again.
    NotConfirmed,
    /// The browser has no WebAuthn (or no JSON helpers for it).
    Unsupported,
    /// Registration with an authenticator that already holds a credential for this account.
    AlreadyRegistered,
    /// Anything else (security error, bad options…).
    Failed,
}

impl WebAuthnFailure {
    pub fn from_error_name(name: &str) -> Self {
        match name {
            "AbortError" => Self::Cancelled,
            "NotAllowedError" => Self::NotConfirmed,
            "NotSupportedError" => Self::Unsupported,
            "InvalidStateError" => Self::AlreadyRegistered,
            _ => Self::Failed,
        }
    }

    /// The message to show; `None` when the failure is silent.
    pub fn phrase_key(self) -> Option<&'static str> {
        match self {
            Self::Cancelled => None,
            Self::NotConfirmed => Some("mfa.webauthn_not_confirmed"),
            Self::Unsupported => Some("mfa.webauthn_unsupported"),
            Self::AlreadyRegistered => Some("mfa.webauthn_already_registered"),
            Self::Failed => Some("mfa.webauthn_failed"),
        }
    }
}

/// The credential JSON (`toJSON()`) as Logto's verify endpoints take it: `type` is the factor name.
pub fn webauthn_payload(mut credential: Value) -> Value {
    if let Some(object) = credential.as_object_mut() {
        object.insert("type".into(), Value::String(MfaFactor::WebAuthn.segment().into()));
    }
    credential
}

#[cfg(test)]
mod screen_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masked_address_takes_logto_factor_keys() {
        let state = MfaState {
            masked_identifiers: Some(json!({"EmailVerificationCode": "maya****@example.com", "phone": "****1234"})),
            ..Default::default()
        };
        assert_eq!(state.masked_address(MfaFactor::EmailVerificationCode).as_deref(), Some("maya****@example.com"));
        assert_eq!(state.masked_address(MfaFactor::PhoneVerificationCode).as_deref(), Some("****1234"));
        assert_eq!(state.masked_address(MfaFactor::Totp), None);
    }

    #[test]
    fn skip_and_switch_follow_the_state() {
        let mut state = MfaState { available_factors: vec![MfaFactor::Totp], skippable: true, ..Default::default() };
        assert!(!state.can_switch());
        assert_eq!(state.skip_action(), "mfa-skipped");
        assert_eq!(state.chooser_phrases(MfaFlow::Binding).0, "mfa.binding_title");
        state.suggestion = true;
        state.available_factors.push(MfaFactor::WebAuthn);
        assert!(state.can_switch());
        assert_eq!(state.skip_action(), "mfa-suggestion-skipped");
        assert_eq!(state.chooser_phrases(MfaFlow::Binding).0, "mfa.suggestion_title");
        assert_eq!(state.chooser_phrases(MfaFlow::Verification).0, "mfa.verification_title");
    }

    #[test]
    fn suggestion_marks_factors_already_added() {
        // `session.mfa.suggest_additional_mfa` after registering with an email (Logto's data shape).
        let suggest = MfaNext::from_failure(&failure_of(
            "session.mfa.suggest_additional_mfa",
            json!({
                "availableFactors": ["WebAuthn", "Totp", "PhoneVerificationCode", "EmailVerificationCode"],
                "maskedIdentifiers": {"EmailVerificationCode": "maya****@example.com"},
                "skippable": true,
                "suggestion": true,
            }),
        ))
        .unwrap();
        let (page, state) = suggest.entry();
        let path = page.path();
        assert_eq!(path, "/mfa-binding");
        let state = state.unwrap();
        let choices = state.choices();
        let added: Vec<_> = choices.iter().filter(|c| c.already_added).map(|c| c.factor).collect();
        assert_eq!(added, vec![MfaFactor::EmailVerificationCode]);
        assert_eq!(choices[3].masked.as_deref(), Some("maya****@example.com"));
        assert_eq!(choices[2].masked, None);
        assert_eq!(state.skip_action(), "mfa-suggestion-skipped");

        // A sign-in passkey counts as the WebAuthn factor.
        let passkey = MfaState { is_web_authn_used_as_sign_in_passkey: true, ..state.clone() };
        assert!(passkey.already_added(MfaFactor::WebAuthn));
        assert!(!passkey.already_added(MfaFactor::Totp));
        let parsed: MfaState = serde_json::from_value(json!({
            "availableFactors": ["WebAuthn"], "isWebAuthnUsedAsSignInPasskey": true, "suggestion": true
        }))
        .unwrap();
        assert!(parsed.already_added(MfaFactor::WebAuthn));

        // Outside suggestion mode nothing is disabled, even with masked addresses (verification lists them).
        let verify = MfaState { suggestion: false, ..state };
        assert!(verify.choices().iter().all(|c| !c.already_added));
    }

    #[test]
    fn a_screen_without_its_step_resumes_from_the_providers_answer() {
        let verify = MfaNext::from_failure(&failure_of(
            "session.mfa.require_mfa_verification",
            json!({"availableFactors": ["EmailVerificationCode", "BackupCode"],
                   "maskedIdentifiers": {"EmailVerificationCode": "erin****@example.com"}}),
        ))
        .unwrap();
        let state = verify.resumes(MfaFlow::Verification, Some(MfaFactor::EmailVerificationCode)).unwrap();
        assert!(!state.is_unknown());
        assert!(state.can_switch());
        assert!(verify.resumes(MfaFlow::Verification, None).is_some());
        assert!(verify.resumes(MfaFlow::Verification, Some(MfaFactor::BackupCode)).is_some());
        // Another factor or the binding screens: go where the answer leads instead.
        assert_eq!(verify.resumes(MfaFlow::Verification, Some(MfaFactor::Totp)), None);
        assert_eq!(verify.resumes(MfaFlow::Binding, None), None);

        let suggest = MfaNext::from_failure(&failure_of(
            "session.mfa.suggest_additional_mfa",
            json!({"availableFactors": ["Totp", "EmailVerificationCode"],
                   "maskedIdentifiers": {"EmailVerificationCode": "a****@b.io"}}),
        ))
        .unwrap();
        assert!(suggest.resumes(MfaFlow::Binding, None).unwrap().suggestion);
        assert!(suggest.resumes(MfaFlow::Binding, Some(MfaFactor::Totp)).is_some());
        assert_eq!(suggest.resumes(MfaFlow::Binding, Some(MfaFactor::EmailVerificationCode)), None);
        assert_eq!(MfaNext::BackupCodeRequired.resumes(MfaFlow::Binding, None), None);
        assert!(MfaState::default().is_unknown());
    }

    #[test]
    fn binding_an_address_finishes_as_a_sign_in() {
        use crate::api::{Identifier, IdentifierType, InteractionEvent};
        use crate::interaction::FlowState;
        let identifier = Identifier { kind: IdentifierType::Phone, value: "14155550199".into() };
        let sent = FlowState {
            identifier: Some(identifier.clone()),
            verification_id: Some("v1".into()),
            ..FlowState::new(InteractionEvent::Register)
        };
        let flow = binding_code_flow(sent);
        assert_eq!(flow.event, InteractionEvent::SignIn);
        assert_eq!(flow.identifier, Some(identifier));
        assert_eq!(flow.verification_id.as_deref(), Some("v1"));
    }

    fn failure_of(code: &str, data: Value) -> crate::failures::ApiFailure {
        let body: crate::api::ErrorBody =
            serde_json::from_value(json!({"code": code, "message": "m", "data": data})).unwrap();
        crate::failures::ApiFailure::Logto { status: 422, body }
    }

    #[test]
    fn webauthn_failures_and_payload() {
        assert_eq!(WebAuthnFailure::from_error_name("AbortError").phrase_key(), None);
        assert_eq!(
            WebAuthnFailure::from_error_name("NotAllowedError").phrase_key(),
            Some("mfa.webauthn_not_confirmed")
        );
        assert_eq!(WebAuthnFailure::from_error_name("InvalidStateError"), WebAuthnFailure::AlreadyRegistered);
        assert_eq!(WebAuthnFailure::from_error_name("SecurityError").phrase_key(), Some("mfa.webauthn_failed"));
        let payload = webauthn_payload(json!({"id": "abc", "type": "public-key", "response": {}}));
        assert_eq!(payload["type"], "WebAuthn");
        assert_eq!(payload["id"], "abc");
        assert_eq!(backup_codes_text(&["a".into(), "b".into()]), "a\nb\n");
    }
}
