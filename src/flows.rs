//! Call sequences of the Experience API (docs/experience-api.md, Interaction basics), each ending where the browser
//! goes next.

use crate::api::ExperienceApi;
use crate::captcha;
use crate::session;
use crate::webauthn;
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent, ProfileBody};
use sign_in_core::config::SignInExperience;
use sign_in_core::flow::{self, ApiFailure, Reaction, SocialNext};
use sign_in_core::mfa::{MfaFactor, WebAuthnFailure};
use sign_in_core::social::{RoundTrip, SsoChoice};
use sign_in_core::steps::{CodeFlow, FlowState};

/// Starts (or restarts) the interaction and records the flow, so later screens and a reload know it. For the
/// verifications that need no captcha (social, SSO, passkey, magic link; see [`begin_checked`]).
pub async fn begin(api: &ExperienceApi, state: FlowState) -> Result<(), ApiFailure> {
    start(api, state, None).await
}

/// [`begin`] with the captcha's token: a password, a code or a new account starts here (docs/experience-api.md,
/// Captcha).
pub async fn begin_checked(api: &ExperienceApi, state: FlowState) -> Result<(), ApiFailure> {
    let token = captcha::token().await?;
    start(api, state, token).await
}

async fn start(api: &ExperienceApi, state: FlowState, captcha_token: Option<String>) -> Result<(), ApiFailure> {
    api.start(state.event, captcha_token).await?;
    session::save_flow(&state);
    // A new interaction holds no social identity of an earlier one.
    session::remember_social_link(None);
    Ok(())
}

/// Switches the interaction's event (SignIn ↔ Register) and records it.
pub async fn switch(api: &ExperienceApi, event: InteractionEvent) -> Result<(), ApiFailure> {
    api.switch_event(event).await?;
    let mut state = session::flow().unwrap_or_else(|| FlowState::new(event));
    state.event = event;
    session::save_flow(&state);
    Ok(())
}

/// `identification` (with the verification, or none when the profile identifies a new user) → `submit`.
pub async fn identify_and_submit(api: &ExperienceApi, verification_id: Option<String>) -> Result<String, ApiFailure> {
    api.identify(verification_id).await?;
    api.submit().await
}

/// Password sign-in: `PUT {SignIn}` → `verification/password` → `identification` → `submit`.
pub async fn password_sign_in(
    api: &ExperienceApi,
    identifier: Identifier,
    password: String,
) -> Result<String, ApiFailure> {
    let state = FlowState { identifier: Some(identifier.clone()), ..FlowState::new(InteractionEvent::SignIn) };
    begin_checked(api, state).await?;
    let verification_id = api.verify_password(identifier, password).await?;
    api.identify(Some(verification_id)).await?;
    api.submit().await
}

/// For an email identifier when the tenant has SSO connectors: the connectors serving its domain, if any.
/// A failed lookup doesn't block password sign-in (the provider still refuses SSO-only domains).
pub async fn sso_for(api: &ExperienceApi, config: &SignInExperience, identifier: &Identifier) -> Option<SsoChoice> {
    if identifier.kind != IdentifierType::Email || config.sso_connectors.is_empty() {
        return None;
    }
    let ids = api.sso_connectors(&identifier.value).await.ok()?;
    Some(SsoChoice::from_ids(ids)).filter(|choice| *choice != SsoChoice::None)
}

/// How a social/SSO callback ends: the provider's next URL, a question for the person, or a failure.
pub enum SocialOutcome {
    Done(String),
    AskToLink {
        verification_id: String,
        value: String,
    },
    /// A new account from this identity must wait for the terms.
    AskTerms {
        verification_id: String,
    },
    Failed(Reaction),
}

/// After the IdP: `verify` → `identification` → `submit`, registering or linking a new identity as the config and the
/// provider's answer decide (docs/experience-api.md, Social sign-in); registering only when `may_register` (the terms
/// are settled), else the page asks first.
pub async fn social_callback(
    api: &ExperienceApi,
    config: &SignInExperience,
    round_trip: RoundTrip,
    connector_id: &str,
    verification_id: String,
    connector_data: serde_json::Map<String, serde_json::Value>,
    may_register: bool,
) -> SocialOutcome {
    let verified = match api.verify_round_trip(round_trip, connector_id, verification_id, connector_data).await {
        Ok(id) => id,
        Err(failure) => return SocialOutcome::Failed(flow::react(&failure)),
    };
    // The direct path started a sign-in about this identity: nothing typed earlier in the visit belongs to it.
    session::save_flow(&FlowState::new(InteractionEvent::SignIn));
    // Should sign-up ask for an address that turns out to be someone's, this identity can be linked to it.
    session::remember_social_link((round_trip == RoundTrip::Social).then_some(verified.as_str()));
    let finished = match api.identify(Some(verified.clone())).await {
        Ok(()) => api.submit().await,
        Err(failure) => match flow::social_identification(&failure, config) {
            SocialNext::Register if !may_register => return SocialOutcome::AskTerms { verification_id: verified },
            SocialNext::Register => register_identity(api, verified).await,
            SocialNext::LinkAutomatically => link_identity(api, verified).await,
            SocialNext::AskToLink { value, .. } => {
                return SocialOutcome::AskToLink { verification_id: verified, value }
            }
            SocialNext::BackToSignIn(reaction) => return SocialOutcome::Failed(reaction),
        },
    };
    match finished {
        Ok(redirect_to) => SocialOutcome::Done(redirect_to),
        Err(failure) => SocialOutcome::Failed(flow::react(&failure)),
    }
}

/// "Bind and continue" (docs/experience-api.md, Missing profile (continue)): the address proven by `code_verification`
/// belongs to an account, so sign in to it and link the social identity being registered: `interaction-event {SignIn}`
/// → identification → `profile {social}` → submit.
pub async fn bind_social(
    api: &ExperienceApi,
    code_verification: Option<String>,
    social_verification: String,
) -> Result<String, ApiFailure> {
    switch(api, InteractionEvent::SignIn).await?;
    api.identify(code_verification).await?;
    api.add_profile(ProfileBody::Social { verification_id: social_verification }).await?;
    let redirect_to = api.submit().await?;
    session::remember_social_link(None);
    Ok(redirect_to)
}

/// A new account from the verified identity: `interaction-event {Register}` → identification → submit.
pub async fn register_identity(api: &ExperienceApi, verification_id: String) -> Result<String, ApiFailure> {
    switch(api, InteractionEvent::Register).await?;
    identify_and_submit(api, Some(verification_id)).await
}

/// The verified identity joins the account with the same email/phone.
pub async fn link_identity(api: &ExperienceApi, verification_id: String) -> Result<String, ApiFailure> {
    switch(api, InteractionEvent::SignIn).await?;
    api.identify_and_link(verification_id).await?;
    api.submit().await
}

/// Sends a verification code for `flow` (a new interaction, except when filling a missing profile field
/// inside the current one) and records where it went.
pub async fn send_code(
    api: &ExperienceApi,
    flow: CodeFlow,
    event: InteractionEvent,
    identifier: Identifier,
) -> Result<FlowState, ApiFailure> {
    if flow != CodeFlow::Continue {
        api.start(event, captcha::token().await?).await?;
        session::remember_social_link(None);
    }
    let verification_id = api.send_code(identifier.clone(), event).await?;
    // Inside the current interaction (missing profile, MFA email/phone binding) the code's event may differ
    // from the interaction's (binding sends `Register` during a sign-in): keep the interaction's.
    let recorded = match (flow, session::flow()) {
        (CodeFlow::Continue, Some(existing)) => existing.event,
        _ => event,
    };
    let state = FlowState { event: recorded, identifier: Some(identifier), verification_id: Some(verification_id) };
    session::save_flow(&state);
    Ok(state)
}

/// After a verified code: finish the flow (docs/experience-api.md, Verification codes). A password reset ends in its
/// next step.
pub async fn after_code(
    api: &ExperienceApi,
    flow: CodeFlow,
    state: &FlowState,
    verified: String,
) -> Result<String, ApiFailure> {
    match flow {
        CodeFlow::Continue => {
            let profile = match state.identifier.as_ref().map(|id| id.kind) {
                Some(IdentifierType::Phone) => ProfileBody::Phone { verification_id: verified },
                _ => ProfileBody::Email { verification_id: verified },
            };
            fill_profile(api, profile, state.event).await
        }
        _ => identify_and_submit(api, Some(verified)).await,
    }
}

/// Adds a profile field the provider asked for, then (registration) identifies the new user, then submits.
pub async fn fill_profile(
    api: &ExperienceApi,
    profile: ProfileBody,
    event: InteractionEvent,
) -> Result<String, ApiFailure> {
    api.add_profile(profile).await?;
    if event == InteractionEvent::Register {
        api.identify(None).await?;
    }
    api.submit().await
}

/// Username registration's first step: `PUT {Register}` → `profile {username}`.
pub async fn register_username(api: &ExperienceApi, username: String) -> Result<(), ApiFailure> {
    // The flow is about this username (the password screen next names the account after it).
    let identifier = Identifier { kind: IdentifierType::Username, value: username.clone() };
    begin_checked(api, FlowState { identifier: Some(identifier), ..FlowState::new(InteractionEvent::Register) })
        .await?;
    api.add_profile(ProfileBody::Username { value: username }).await
}

/// Password reset's last step: `PUT profile/password` → `submit` (204; the interaction stays open).
pub async fn reset_password(api: &ExperienceApi, password: String) -> Result<(), ApiFailure> {
    api.set_new_password(password).await?;
    api.submit_reset().await
}

/// A verified MFA factor: bind it (`profile/mfa {type, verificationId}`) → `submit`.
pub async fn bind_and_submit(
    api: &ExperienceApi,
    factor: MfaFactor,
    verification_id: String,
) -> Result<String, ApiFailure> {
    api.bind_mfa(factor, verification_id).await?;
    api.submit().await
}

/// One of the `profile/mfa/…` choices (enable, skip, skip suggestion, skip passkey) → `submit`.
pub async fn choose_and_submit(api: &ExperienceApi, action: &'static str) -> Result<String, ApiFailure> {
    api.mfa_choice(action).await?;
    api.submit().await
}

/// Why a WebAuthn step failed: the browser's ceremony, or the provider.
pub enum WebAuthnStepFailure {
    Ceremony(WebAuthnFailure),
    Api(ApiFailure),
}

impl From<ApiFailure> for WebAuthnStepFailure {
    fn from(failure: ApiFailure) -> Self {
        Self::Api(failure)
    }
}

impl From<WebAuthnFailure> for WebAuthnStepFailure {
    fn from(failure: WebAuthnFailure) -> Self {
        Self::Ceremony(failure)
    }
}

/// What a new WebAuthn credential becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyUse {
    /// A sign-in passkey (`/create-passkey`): `profile/mfa/passkey`.
    SignIn,
    /// A second factor (`/mfa-binding/WebAuthn`): `profile/mfa {WebAuthn}`.
    Mfa,
}

/// Registers a WebAuthn credential with the options the provider gave, binds it for `use_as` → `submit`.
pub async fn register_webauthn_and_submit(
    api: &ExperienceApi,
    use_as: PasskeyUse,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let payload = webauthn::create(options).await?;
    let verified = api.verify_webauthn_registration(verification_id, payload).await?;
    match use_as {
        PasskeyUse::SignIn => api.bind_passkey(verified).await?,
        PasskeyUse::Mfa => api.bind_mfa(MfaFactor::WebAuthn, verified).await?,
    }
    Ok(api.submit().await?)
}

/// Authenticates with a bound WebAuthn factor (MFA verification) → `submit`.
pub async fn verify_webauthn_and_submit(
    api: &ExperienceApi,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let payload = webauthn::get(options).await?;
    api.verify_webauthn_authentication(verification_id, payload).await?;
    Ok(api.submit().await?)
}

/// Passkey sign-in from the preflight options: the ceremony → `PUT {SignIn}` → verify (no id, the
/// preflight challenge) → identification → submit. The ceremony comes first so a cancelled prompt
/// leaves the interaction as it was (docs/experience-api.md, Passkey sign-in).
pub async fn passkey_sign_in(api: &ExperienceApi, options: &serde_json::Value) -> Result<String, WebAuthnStepFailure> {
    let payload = webauthn::get(options).await?;
    Ok(finish_passkey_sign_in(api, payload).await?)
}

/// After a discoverable passkey answered the preflight challenge (the button's prompt or autofill):
/// `PUT {SignIn}` → verify (no id) → identification → submit.
pub async fn finish_passkey_sign_in(api: &ExperienceApi, payload: serde_json::Value) -> Result<String, ApiFailure> {
    begin(api, FlowState::new(InteractionEvent::SignIn)).await?;
    let verification_id = api.verify_sign_in_passkey(payload).await?;
    identify_and_submit(api, Some(verification_id)).await
}

/// Identifier-first passkey sign-in, first step: `PUT {SignIn}` → `sign-in-passkey/authentication {identifier}`; the
/// flow (with the verification id) is recorded and the request options returned.
/// `session.mfa.webauthn_verification_not_found` means the account has no passkey (docs/experience-api.md, Passkey
/// sign-in).
pub async fn start_identifier_passkey(
    api: &ExperienceApi,
    identifier: Identifier,
) -> Result<serde_json::Value, ApiFailure> {
    begin(api, FlowState { identifier: Some(identifier.clone()), ..FlowState::new(InteractionEvent::SignIn) }).await?;
    let answer = api.sign_in_passkey_authentication(identifier.clone()).await?;
    let verification_id = answer.verification_id.ok_or(ApiFailure::Malformed)?;
    session::save_flow(&FlowState {
        event: InteractionEvent::SignIn,
        identifier: Some(identifier),
        verification_id: Some(verification_id),
    });
    Ok(answer.authentication_options)
}

/// Identifier-first passkey sign-in, second step (`/sign-in/passkey`): the ceremony with that account's
/// options → verify with the id → identification → submit.
pub async fn identifier_passkey_sign_in(
    api: &ExperienceApi,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let payload = webauthn::get(options).await?;
    let verified = api.verify_identified_sign_in_passkey(verification_id, payload).await?;
    Ok(identify_and_submit(api, Some(verified)).await?)
}

/// Password-reset magic link (docs/experience-api.md, Magic links (one-time tokens)): `PUT {ForgotPassword}` →
/// `one-time-token/verify` → identification; the new password is asked next. `Err(Ok(_))` means the token itself was
/// refused.
pub async fn one_time_token_reset(
    api: &ExperienceApi,
    email: String,
    token: String,
) -> Result<(), Result<ApiFailure, ApiFailure>> {
    let identifier = Identifier { kind: IdentifierType::Email, value: email.clone() };
    begin(api, FlowState { identifier: Some(identifier), ..FlowState::new(InteractionEvent::ForgotPassword) })
        .await
        .map_err(Err)?;
    let verified = api.verify_one_time_token(email, token).await.map_err(Ok)?;
    api.identify(Some(verified)).await.map_err(Err)
}

/// How a magic link ended.
pub enum MagicLink {
    /// Signed in (or up): the provider's next URL.
    Done(String),
    /// The token itself was refused (used, expired, unknown, another email).
    Refused,
    /// Nobody has this email, and registering must wait for the terms: the verified token's id.
    NewAccount(String),
    /// A later step failed.
    Failed(ApiFailure),
}

/// Magic-link sign-in (docs/experience-api.md, Magic links (one-time tokens)): `PUT {SignIn}` → `one-time-token/verify`
/// → identification → submit; an unknown email registers instead (allowed even when registration is off) when
/// `may_register`.
pub async fn one_time_token_sign_in(
    api: &ExperienceApi,
    email: String,
    token: String,
    may_register: bool,
) -> MagicLink {
    if let Err(failure) = begin(api, FlowState::new(InteractionEvent::SignIn)).await {
        return MagicLink::Failed(failure);
    }
    let Ok(verified) = api.verify_one_time_token(email, token).await else { return MagicLink::Refused };
    let finished = match identify_and_submit(api, Some(verified.clone())).await {
        Err(failure) if failure.code() == Some("user.user_not_exist") => {
            if !may_register {
                return MagicLink::NewAccount(verified);
            }
            register_identity(api, verified).await
        }
        other => other,
    };
    match finished {
        Ok(redirect_to) => MagicLink::Done(redirect_to),
        Err(failure) => MagicLink::Failed(failure),
    }
}
