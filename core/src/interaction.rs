//! The identifier flows' screens and the state that carries a flow across them (and across reloads).

use crate::api::{Identifier, IdentifierType, InteractionEvent};
use crate::config::SignInExperience;
use crate::failures::ApiFailure;
use crate::mfa::MfaNext;
use crate::route::Page;
use serde::{Deserialize, Serialize};

/// Which flow a verification-code screen belongs to: its path segment and what follows the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeFlow {
    SignIn,
    Register,
    ForgotPassword,
    /// Filling a missing email/phone (`/continue/verification-code`).
    Continue,
}

impl CodeFlow {
    pub fn path(self) -> &'static str {
        match self {
            Self::SignIn => "/sign-in/verification-code",
            Self::Register => "/register/verification-code",
            Self::ForgotPassword => "/forgot-password/verification-code",
            Self::Continue => "/continue/verification-code",
        }
    }

    pub fn from_segment(segment: &str) -> Option<Self> {
        [Self::SignIn, Self::Register, Self::ForgotPassword, Self::Continue]
            .into_iter()
            .find(|flow| flow.path().split('/').nth(1) == Some(segment))
    }

    /// The screen where this flow's `kind` of identifier is typed: where the code screen's "change" link goes when
    /// the visit has no record of the screen it came from (a code screen opened in a new tab).
    pub fn identifier_page(self, kind: IdentifierType) -> Page {
        match (self, kind) {
            (Self::SignIn, _) => Page::SignIn,
            (Self::Register, _) => Page::Register,
            (Self::ForgotPassword, _) => Page::ForgotPassword,
            (Self::Continue, IdentifierType::Phone) => Page::Continue(MissingProfile::Phone),
            (Self::Continue, _) => Page::Continue(MissingProfile::Email),
        }
    }
}

/// A profile field the provider asks for (`user.missing_profile`), as `/continue/:method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MissingProfile {
    Username,
    Password,
    Email,
    Phone,
    EmailOrPhone,
    ExtraProfile,
}

impl MissingProfile {
    pub fn path(self) -> &'static str {
        match self {
            Self::Username => "/continue/username",
            Self::Password => "/continue/password",
            Self::Email => "/continue/email",
            Self::Phone => "/continue/phone",
            Self::EmailOrPhone => "/continue/emailOrPhone",
            Self::ExtraProfile => "/continue/extra-profile",
        }
    }

    /// From Logto's `missingProfile` entries (`username`, `email`, …, and custom profile field names).
    pub fn from_code(code: &str) -> Self {
        match code {
            "username" => Self::Username,
            "password" => Self::Password,
            "email" => Self::Email,
            "phone" => Self::Phone,
            "emailOrPhone" => Self::EmailOrPhone,
            _ => Self::ExtraProfile,
        }
    }

    /// The identifier kinds a `/continue/...` code form accepts.
    pub fn identifier_kinds(self) -> &'static [IdentifierType] {
        match self {
            Self::Email => &[IdentifierType::Email],
            Self::Phone => &[IdentifierType::Phone],
            Self::EmailOrPhone => &[IdentifierType::Email, IdentifierType::Phone],
            _ => &[],
        }
    }
}

/// Where a flow goes after `identification`/`submit` asked for more (docs/experience-api.md, Errors and reactions).
#[derive(Debug, Clone, PartialEq)]
pub enum NextStep {
    Continue(MissingProfile),
    ResetPassword,
    /// MFA and passkey steps, drawn by the MFA screens.
    Mfa(MfaNext),
}

impl NextStep {
    pub fn from_failure(failure: &ApiFailure) -> Option<Self> {
        let ApiFailure::Logto { body, .. } = failure else { return None };
        match body.code.as_str() {
            "user.missing_profile" => {
                let first = body.data.as_ref()?.get("missingProfile")?.get(0)?.as_str()?;
                Some(Self::Continue(MissingProfile::from_code(first)))
            }
            "user.new_password_required_in_profile" => Some(Self::ResetPassword),
            _ => MfaNext::from_failure(failure).map(Self::Mfa),
        }
    }
}

/// What the identifier flows carry between screens; kept in sessionStorage so a reload resumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowState {
    pub event: InteractionEvent,
    /// Who the flow is about (the code was sent there, the password is for it).
    #[serde(default)]
    pub identifier: Option<Identifier>,
    /// The current verification record (code, password, social).
    #[serde(default)]
    pub verification_id: Option<String>,
}

impl FlowState {
    pub fn new(event: InteractionEvent) -> Self {
        Self { event, identifier: None, verification_id: None }
    }

    /// The code step of `flow` that the provider's interaction (`GET /api/experience/interaction`) is waiting
    /// on: its newest unverified email/phone code record. Lets the code screen resume when sessionStorage is
    /// gone (a copied URL, a new tab); `None` when the interaction holds no such step.
    pub fn pending_code(flow: CodeFlow, interaction: &serde_json::Value) -> Option<Self> {
        let event: InteractionEvent = serde_json::from_value(interaction.get("interactionEvent")?.clone()).ok()?;
        let expected = match flow {
            CodeFlow::SignIn => Some(InteractionEvent::SignIn),
            CodeFlow::Register => Some(InteractionEvent::Register),
            CodeFlow::ForgotPassword => Some(InteractionEvent::ForgotPassword),
            CodeFlow::Continue => None,
        };
        if expected.is_some_and(|expected| expected != event) {
            return None;
        }
        let record = interaction.get("verificationRecords")?.as_array()?.iter().rev().find(|record| {
            matches!(
                record.get("type").and_then(|t| t.as_str()),
                Some("EmailVerificationCode" | "PhoneVerificationCode")
            ) && record.get("verified").and_then(|v| v.as_bool()) == Some(false)
        })?;
        Some(Self {
            event,
            identifier: Some(serde_json::from_value(record.get("identifier")?.clone()).ok()?),
            verification_id: Some(record.get("id")?.as_str()?.to_owned()),
        })
    }
}

/// Whether sign-up accepts this identifier kind (to offer "create account?" after an unknown user).
pub fn can_register_with(config: &SignInExperience, kind: IdentifierType) -> bool {
    config.can_register() && config.sign_up.identifiers.contains(&kind)
}

/// Whether sign-in by verification code accepts this kind (to offer "sign in instead?" on register).
pub fn can_sign_in_by_code(config: &SignInExperience, kind: IdentifierType) -> bool {
    config.sign_in_mode.allows_sign_in()
        && config.usable_sign_in_methods().any(|m| m.identifier == kind && m.verification_code)
}

/// The identifier kinds of the registration form (`signUp.identifiers`).
pub fn register_kinds(config: &SignInExperience) -> Vec<IdentifierType> {
    config.sign_up.identifiers.clone()
}

/// The kinds the forgot-password form accepts.
pub fn forgot_password_kinds(config: &SignInExperience) -> Vec<IdentifierType> {
    let fp = &config.forgot_password;
    [(fp.email, IdentifierType::Email), (fp.phone, IdentifierType::Phone)]
        .into_iter()
        .filter_map(|(on, kind)| on.then_some(kind))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorBody;
    use serde_json::json;

    fn failure(code: &str, data: serde_json::Value) -> ApiFailure {
        let body: ErrorBody = serde_json::from_value(json!({"code": code, "message": "m", "data": data})).unwrap();
        ApiFailure::Logto { status: 422, body }
    }

    #[test]
    fn a_code_screen_without_a_record_changes_the_identifier_on_its_flow_s_screen() {
        assert_eq!(CodeFlow::SignIn.identifier_page(IdentifierType::Phone), Page::SignIn);
        assert_eq!(CodeFlow::ForgotPassword.identifier_page(IdentifierType::Email), Page::ForgotPassword);
        assert_eq!(CodeFlow::Continue.identifier_page(IdentifierType::Phone).path(), "/continue/phone");
        assert_eq!(CodeFlow::Continue.identifier_page(IdentifierType::Email).path(), "/continue/email");
    }

    #[test]
    fn next_steps_from_captured_codes() {
        assert_eq!(
            NextStep::from_failure(&failure(
                "user.missing_profile",
                json!({"missingProfile": ["username", "password"]})
            )),
            Some(NextStep::Continue(MissingProfile::Username))
        );
        assert_eq!(
            NextStep::from_failure(&failure("user.missing_profile", json!({"missingProfile": ["company"]}))),
            Some(NextStep::Continue(MissingProfile::ExtraProfile))
        );
        assert_eq!(
            NextStep::from_failure(&failure("user.new_password_required_in_profile", json!(null))),
            Some(NextStep::ResetPassword)
        );
        assert!(matches!(
            NextStep::from_failure(&failure("user.missing_mfa", json!({}))),
            Some(NextStep::Mfa(MfaNext::Bind(_)))
        ));
        assert_eq!(NextStep::from_failure(&failure("session.invalid_credentials", json!(null))), None);
    }

    #[test]
    fn code_flow_paths_round_trip() {
        for flow in [CodeFlow::SignIn, CodeFlow::Register, CodeFlow::ForgotPassword, CodeFlow::Continue] {
            let segment = flow.path().split('/').nth(1).unwrap();
            assert_eq!(CodeFlow::from_segment(segment), Some(flow));
        }
        assert_eq!(CodeFlow::from_segment("mfa"), None);
    }

    #[test]
    fn flow_state_survives_json() {
        let state = FlowState {
            event: InteractionEvent::Register,
            identifier: Some(Identifier { kind: IdentifierType::Email, value: "a@b.co".into() }),
            verification_id: Some("v".into()),
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<FlowState>(&json).unwrap(), state);
    }
}

/// A question the code screen asks when the provider says the identifier is on the other side
/// (docs/experience-api.md, Verification codes): unknown at sign-in → "create an account?"; taken at registration →
/// "sign in instead?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchOffer {
    Register,
    SignIn,
    /// The address belongs to an account: sign in to it and link the social identity being registered
    /// ("bind and continue", docs/experience-api.md, Missing profile (continue)).
    BindSocial,
}

impl SwitchOffer {
    pub fn event(self) -> InteractionEvent {
        match self {
            Self::Register => InteractionEvent::Register,
            Self::SignIn | Self::BindSocial => InteractionEvent::SignIn,
        }
    }

    /// The question asked before switching (`{{value}}`: the address).
    pub fn question_key(self) -> &'static str {
        match self {
            Self::Register => "description.sign_in_id_does_not_exist",
            Self::SignIn => "description.create_account_id_exists",
            Self::BindSocial => "description.link_account_id_exists",
        }
    }

    /// The button that accepts the offer.
    pub fn confirm_key(self) -> &'static str {
        match self {
            Self::BindSocial => "action.link_account",
            Self::Register | Self::SignIn => "action.confirm",
        }
    }
}

/// What the code screen offers after a failure: register instead, sign in instead, or — when a social
/// identity is being registered (`linking_social`) and the address proven here belongs to an account —
/// link the identity to that account.
pub fn switch_offer(
    flow: CodeFlow,
    failure: &ApiFailure,
    config: &SignInExperience,
    kind: IdentifierType,
    linking_social: bool,
) -> Option<SwitchOffer> {
    match (flow, failure.code()?) {
        (CodeFlow::Continue, "user.email_already_in_use" | "user.phone_already_in_use") if linking_social => {
            Some(SwitchOffer::BindSocial)
        }
        (CodeFlow::SignIn, "user.user_not_exist") if can_register_with(config, kind) => Some(SwitchOffer::Register),
        (CodeFlow::Register, "user.email_already_in_use" | "user.phone_already_in_use")
            if can_sign_in_by_code(config, kind) =>
        {
            Some(SwitchOffer::SignIn)
        }
        _ => None,
    }
}

#[cfg(test)]
mod offer_tests {
    use super::*;
    use crate::api::ErrorBody;

    #[test]
    fn offers_follow_the_config() {
        let config: SignInExperience = serde_json::from_value(serde_json::json!({
            "signIn": {"methods": [{"identifier": "email", "password": true, "verificationCode": true, "isPasswordPrimary": true}]},
            "signUp": {"identifiers": ["email"], "password": true, "verify": true}
        }))
        .unwrap();
        let fail = |code: &str| ApiFailure::Logto {
            status: 404,
            body: ErrorBody {
                code: code.into(),
                message: String::new(),
                data: None,
                details: None,
                error: None,
                error_description: None,
            },
        };
        let email = IdentifierType::Email;
        assert_eq!(
            switch_offer(CodeFlow::SignIn, &fail("user.user_not_exist"), &config, email, false),
            Some(SwitchOffer::Register)
        );
        assert_eq!(
            switch_offer(CodeFlow::Register, &fail("user.email_already_in_use"), &config, email, false),
            Some(SwitchOffer::SignIn)
        );
        assert_eq!(
            switch_offer(CodeFlow::SignIn, &fail("user.user_not_exist"), &config, IdentifierType::Phone, false),
            None
        );
        assert_eq!(switch_offer(CodeFlow::ForgotPassword, &fail("user.user_not_exist"), &config, email, false), None);
        // Filling a missing email while a social identity registers: link it to the address's account.
        let taken = fail("user.email_already_in_use");
        assert_eq!(switch_offer(CodeFlow::Continue, &taken, &config, email, true), Some(SwitchOffer::BindSocial));
        assert_eq!(switch_offer(CodeFlow::Continue, &taken, &config, email, false), None);
        assert_eq!(SwitchOffer::BindSocial.event(), InteractionEvent::SignIn);
    }
}

#[cfg(test)]
mod resume_tests {
    use super::*;
    use crate::api::IdentifierType;
    use serde_json::json;

    #[test]
    fn pending_code_is_the_newest_unverified_code_of_the_same_event() {
        let interaction = json!({
            "interactionEvent": "SignIn",
            "profile": {},
            "verificationRecords": [
                {"id": "old", "type": "EmailVerificationCode", "identifier": {"type": "email", "value": "a@example.com"}, "verified": false},
                {"id": "new", "type": "PhoneVerificationCode", "identifier": {"type": "phone", "value": "14155550123"}, "verified": false},
                {"id": "pw", "type": "Password", "identifier": {"type": "username", "value": "a"}, "verified": true}
            ]
        });
        let state = FlowState::pending_code(CodeFlow::SignIn, &interaction).unwrap();
        assert_eq!(state.verification_id.as_deref(), Some("new"));
        assert_eq!(state.identifier.unwrap().kind, IdentifierType::Phone);
        assert_eq!(FlowState::pending_code(CodeFlow::Register, &interaction), None);
        assert!(FlowState::pending_code(CodeFlow::Continue, &interaction).is_some());
        let verified = json!({"interactionEvent": "SignIn", "verificationRecords": [
            {"id": "x", "type": "EmailVerificationCode", "identifier": {"type": "email", "value": "a@example.com"}, "verified": true}
        ]});
        assert_eq!(FlowState::pending_code(CodeFlow::SignIn, &verified), None);
        assert_eq!(FlowState::pending_code(CodeFlow::SignIn, &json!({"interactionEvent": "SignIn"})), None);
    }
}
