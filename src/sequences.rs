//! Call sequences of the Experience API (docs/experience-api.md, Interaction basics), each ending where the browser
//! goes next.

use crate::api::ExperienceApi;
use crate::captcha;
use crate::session;
use crate::webauthn;
use leptos::prelude::*;
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent, ProfileBody};
use sign_in_core::config::SignInExperience;
use sign_in_core::failures::{self, ApiFailure, Progress, Reaction, ResumableFailure, SocialNext};
use sign_in_core::interaction::{CodeFlow, FlowState, SwitchOffer};
use sign_in_core::mfa::{MfaFactor, WebAuthnFailure};
use sign_in_core::social::{RoundTrip, SsoChoice};
use std::future::Future;
use std::pin::Pin;

/// A screen's [`Progress`], kept across its attempts so a retry resumes where the last one failed.
#[derive(Clone, Copy)]
pub struct Held(StoredValue<Progress>);

impl Held {
    pub fn new() -> Self {
        Self(StoredValue::new(Progress::default()))
    }

    /// Runs one attempt with the progress of the earlier ones, and keeps what it adds.
    pub async fn run<T>(self, attempt: impl AsyncFnOnce(&mut Progress) -> T) -> T {
        let mut progress = self.0.try_get_value().unwrap_or_default();
        let result = attempt(&mut progress).await;
        let _ = self.0.try_set_value(progress);
        result
    }

    /// Whether a verification is held (a retry will not verify again).
    pub fn holds(self) -> bool {
        self.0.try_with_value(|progress| progress.verified().is_some()).unwrap_or(false)
    }

    /// Forgets the earlier attempts (the person changed what is verified, or a new code was sent).
    pub fn reset(self) {
        let _ = self.0.try_set_value(Progress::default());
    }
}

/// The sequence's verification: the id an earlier attempt got, else `verify`'s, recorded in `progress`.
async fn verify_once<E, Fut>(progress: &mut Progress, verify: impl FnOnce() -> Fut) -> Result<String, E>
where
    Fut: Future<Output = Result<String, E>>,
{
    if let Some(verified) = progress.verified() {
        return Ok(verified.to_owned());
    }
    let verified = verify().await?;
    progress.verify(verified.clone());
    Ok(verified)
}

/// A call after a sequence's verification, not made until [`resume`] awaits it. A future per call, not an enum of
/// them: an enum would bring every call into the first screen's module, which only needs identification.
pub type Then<'a> = Pin<Box<dyn Future<Output = Result<(), ApiFailure>> + 'a>>;

/// The calls after the verification, each made once across attempts (`progress` counts those that succeeded), then
/// `submit` (docs/experience-api.md, Retrying a sequence).
pub async fn resume(api: &ExperienceApi, progress: &mut Progress, calls: Vec<Then<'_>>) -> Result<String, ApiFailure> {
    for (index, call) in calls.into_iter().enumerate() {
        if progress.pending(index) {
            call.await.inspect_err(|failure| progress.failed(failure))?;
            progress.did(index);
        }
    }
    api.submit().await.inspect_err(|failure| progress.failed(failure))
}

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
    progress: &mut Progress,
    identifier: Identifier,
    password: String,
) -> Result<String, ApiFailure> {
    let verified = verify_once(progress, || async {
        let state = FlowState { identifier: Some(identifier.clone()), ..FlowState::new(InteractionEvent::SignIn) };
        begin_checked(api, state).await?;
        api.verify_password(identifier, password).await
    })
    .await?;
    resume(api, progress, vec![Box::pin(api.identify(Some(verified)))]).await
}

/// For an email identifier when the tenant has SSO connectors: the connectors serving its domain, if any.
/// A failed lookup doesn't block password sign-in (the provider still refuses SSO-only domains).
pub async fn sso_for(api: &ExperienceApi, config: &SignInExperience, identifier: &Identifier) -> Option<SsoChoice> {
    if !sign_in_core::identifier::sso_may_serve(config, identifier.kind) {
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
    /// A call failed transiently (docs/experience-api.md, Retrying a sequence): the same outcome can be tried again.
    Interrupted(Reaction),
}

impl SocialOutcome {
    fn of_failure(failure: &ApiFailure) -> Self {
        match failure.is_transient() {
            true => Self::Interrupted(failures::react(failure)),
            false => Self::Failed(failures::react(failure)),
        }
    }
}

/// After the IdP: `verify` → `identification` → `submit`, registering or linking a new identity as the config and the
/// provider's answer decide (docs/experience-api.md, Social sign-in); registering only when `may_register` (the terms
/// are settled), else the page asks first.
/// The IdP's answer is verified once: a retry after a later call failed (`progress` holds the verification) starts at
/// identification.
#[allow(clippy::too_many_arguments)]
pub async fn social_callback(
    api: &ExperienceApi,
    progress: &mut Progress,
    config: &SignInExperience,
    round_trip: RoundTrip,
    connector_id: &str,
    verification_id: Option<String>,
    connector_data: serde_json::Map<String, serde_json::Value>,
    may_register: bool,
) -> SocialOutcome {
    // A One Tap credential (no verification id) is verified in a sign-in the page starts here.
    let verify = || async move {
        if verification_id.is_none() {
            begin(api, FlowState::new(InteractionEvent::SignIn)).await?;
        }
        api.verify_round_trip(round_trip, connector_id, verification_id, connector_data).await
    };
    let verified = match verify_once(progress, verify).await {
        Ok(id) => id,
        Err(failure) => return SocialOutcome::of_failure(&failure),
    };
    // The direct path started a sign-in about this identity: nothing typed earlier in the visit belongs to it.
    session::save_flow(&FlowState::new(InteractionEvent::SignIn));
    // Should sign-up ask for an address that turns out to be someone's, this identity can be linked to it.
    session::remember_social_link((round_trip == RoundTrip::Social).then_some(verified.as_str()));
    let finished = match api.identify(Some(verified.clone())).await {
        Ok(()) => api.submit().await,
        Err(failure) if failure.is_transient() => Err(failure),
        Err(failure) => match failures::social_identification(&failure, config) {
            SocialNext::Register if !may_register => return SocialOutcome::AskTerms { verification_id: verified },
            SocialNext::Register => register_identity(api, verified).await,
            SocialNext::LinkAutomatically => link_identity(api, verified).await,
            SocialNext::AskToLink { value, .. } => {
                return SocialOutcome::AskToLink { verification_id: verified, value }
            }
            SocialNext::BackToSignIn(reaction) => {
                *progress = Progress::default();
                return SocialOutcome::Failed(reaction);
            }
        },
    };
    match finished {
        Ok(redirect_to) => SocialOutcome::Done(redirect_to),
        Err(failure) => {
            progress.failed(&failure);
            SocialOutcome::of_failure(&failure)
        }
    }
}

/// The code screen's offer, accepted once the code is verified (`code_verification`): switch the interaction's event,
/// identify with the code, and for "bind and continue" (docs/experience-api.md, Missing profile (continue)) add the
/// social identity being registered (`social_verification`) to the account; then submit. Each call made once across
/// attempts (`progress`), so a retry after a lost answer resumes at the failed call and never checks the code again.
pub async fn take_switch_offer(
    api: &ExperienceApi,
    progress: &mut Progress,
    offer: SwitchOffer,
    code_verification: String,
    social_verification: Option<String>,
) -> Result<String, ApiFailure> {
    if progress.verified().is_none() {
        progress.verify(code_verification.clone());
    }
    let mut calls: Vec<Then> =
        vec![Box::pin(switch(api, offer.event())), Box::pin(api.identify(Some(code_verification)))];
    let binding = match (offer, social_verification) {
        (SwitchOffer::BindSocial, Some(social)) => {
            calls.push(Box::pin(api.add_profile(ProfileBody::Social { verification_id: social })));
            true
        }
        _ => false,
    };
    let redirect_to = resume(api, progress, calls).await?;
    if binding {
        session::remember_social_link(None);
    }
    Ok(redirect_to)
}

/// A new account from the verified identity: `interaction-event {Register}` → identification → submit.
pub async fn register_identity(api: &ExperienceApi, verification_id: String) -> Result<String, ApiFailure> {
    switch(api, InteractionEvent::Register).await?;
    identify_and_submit(api, Some(verification_id)).await
}

/// [`register_identity`] on a screen that tries again in place (the terms were asked after the verification): each
/// call made once across attempts (`progress`), so a retry resumes at the one that failed.
pub async fn register_verified(
    api: &ExperienceApi,
    progress: &mut Progress,
    verification_id: String,
) -> Result<String, ApiFailure> {
    let calls: Vec<Then> =
        vec![Box::pin(switch(api, InteractionEvent::Register)), Box::pin(api.identify(Some(verification_id)))];
    resume(api, progress, calls).await
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

/// The code sent for `state`: verified once (a retry after a later call failed does not check the used code again),
/// then the flow finishes (docs/experience-api.md, Verification codes). A password reset ends in its next step.
pub async fn finish_code(
    api: &ExperienceApi,
    progress: &mut Progress,
    flow: CodeFlow,
    state: &FlowState,
    code: String,
) -> Result<String, ApiFailure> {
    let identifier = state.identifier.clone().ok_or(ApiFailure::Malformed)?;
    let kind = identifier.kind;
    let sent = state.verification_id.clone().unwrap_or_default();
    let verified = verify_once(progress, || api.verify_code(identifier, sent, code)).await?;
    let calls: Vec<Then> = match flow {
        CodeFlow::Continue => {
            let profile = match kind {
                IdentifierType::Phone => ProfileBody::Phone { verification_id: verified },
                _ => ProfileBody::Email { verification_id: verified },
            };
            let mut calls: Vec<Then> = vec![Box::pin(api.add_profile(profile))];
            if state.event == InteractionEvent::Register {
                calls.push(Box::pin(api.identify(None)));
            }
            calls
        }
        _ => vec![Box::pin(api.identify(Some(verified)))],
    };
    resume(api, progress, calls).await
}

/// Adds a profile field the provider asked for, then (registration) identifies the new user, then submits.
///
/// A retry after a failed `submit` only submits: a registration's identification made the account, whose profile
/// can no longer be added to. Before that, a retry sends the profile again (what the person typed may have changed).
pub async fn fill_profile(
    api: &ExperienceApi,
    progress: &mut Progress,
    profile: ProfileBody,
    event: InteractionEvent,
) -> Result<String, ApiFailure> {
    let profile_and_identification = async move {
        api.add_profile(profile).await?;
        if event == InteractionEvent::Register {
            api.identify(None).await?;
        }
        Ok(())
    };
    resume(api, progress, vec![Box::pin(profile_and_identification)]).await
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

/// An MFA factor verified once (`verify`, skipped when an earlier attempt holds its id) → `submit`.
pub async fn verify_mfa_and_submit<Fut>(
    api: &ExperienceApi,
    progress: &mut Progress,
    verify: impl FnOnce() -> Fut,
) -> Result<String, ApiFailure>
where
    Fut: Future<Output = Result<String, ApiFailure>>,
{
    verify_once(progress, verify).await?;
    resume(api, progress, Vec::new()).await
}

/// A new MFA factor verified once (`verify`) → bound (`profile/mfa {type, verificationId}`) → `submit`.
pub async fn bind_and_submit<Fut>(
    api: &ExperienceApi,
    progress: &mut Progress,
    factor: MfaFactor,
    verify: impl FnOnce() -> Fut,
) -> Result<String, ApiFailure>
where
    Fut: Future<Output = Result<String, ApiFailure>>,
{
    let verified = verify_once(progress, verify).await?;
    resume(api, progress, vec![Box::pin(api.bind_mfa(factor, verified))]).await
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

/// Registers a WebAuthn credential with the options the provider gave, binds it for `use_as` → `submit`. The
/// ceremony and its verification happen once: a retry after a later call failed starts at the binding.
pub async fn register_webauthn_and_submit(
    api: &ExperienceApi,
    progress: &mut Progress,
    use_as: PasskeyUse,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let verified = verify_once(progress, || async {
        let payload = webauthn::create(options).await?;
        Ok::<_, WebAuthnStepFailure>(api.verify_webauthn_registration(verification_id, payload).await?)
    })
    .await?;
    let bind: Then = match use_as {
        PasskeyUse::SignIn => Box::pin(api.bind_passkey(verified)),
        PasskeyUse::Mfa => Box::pin(api.bind_mfa(MfaFactor::WebAuthn, verified)),
    };
    Ok(resume(api, progress, vec![bind]).await?)
}

/// Authenticates with a bound WebAuthn factor (MFA verification) → `submit`; once, like a code.
pub async fn verify_webauthn_and_submit(
    api: &ExperienceApi,
    progress: &mut Progress,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    verify_once(progress, || async {
        let payload = webauthn::get(options).await?;
        Ok::<_, WebAuthnStepFailure>(api.verify_webauthn_authentication(verification_id, payload).await?)
    })
    .await?;
    Ok(resume(api, progress, Vec::new()).await?)
}

/// Passkey sign-in from the preflight options: the ceremony → `PUT {SignIn}` → verify (no id, the
/// preflight challenge) → identification → submit. The ceremony comes first so a cancelled prompt
/// leaves the interaction as it was (docs/experience-api.md, Passkey sign-in); a retry after a later call failed
/// starts at identification, without another prompt.
pub async fn passkey_sign_in(
    api: &ExperienceApi,
    progress: &mut Progress,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let verified = verify_once(progress, || async {
        let payload = webauthn::get(options).await?;
        Ok::<_, WebAuthnStepFailure>(verify_sign_in_passkey(api, payload).await?)
    })
    .await?;
    Ok(resume(api, progress, vec![Box::pin(api.identify(Some(verified)))]).await?)
}

/// After a discoverable passkey answered the preflight challenge (autofill): `PUT {SignIn}` → verify (no id) →
/// identification → submit. A new answer: earlier attempts' progress is dropped.
pub async fn finish_passkey_sign_in(
    api: &ExperienceApi,
    progress: &mut Progress,
    payload: serde_json::Value,
) -> Result<String, ApiFailure> {
    *progress = Progress::default();
    let verified = verify_once(progress, || verify_sign_in_passkey(api, payload)).await?;
    resume(api, progress, vec![Box::pin(api.identify(Some(verified)))]).await
}

/// `PUT {SignIn}` → `sign-in-passkey/authentication/verify` of the preflight challenge.
async fn verify_sign_in_passkey(api: &ExperienceApi, payload: serde_json::Value) -> Result<String, ApiFailure> {
    begin(api, FlowState::new(InteractionEvent::SignIn)).await?;
    api.verify_sign_in_passkey(payload).await
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
/// options → verify with the id → identification → submit (a retry after a later call failed starts at
/// identification).
pub async fn identifier_passkey_sign_in(
    api: &ExperienceApi,
    progress: &mut Progress,
    verification_id: String,
    options: &serde_json::Value,
) -> Result<String, WebAuthnStepFailure> {
    let verified = verify_once(progress, || async {
        let payload = webauthn::get(options).await?;
        Ok::<_, WebAuthnStepFailure>(api.verify_identified_sign_in_passkey(verification_id, payload).await?)
    })
    .await?;
    Ok(resume(api, progress, vec![Box::pin(api.identify(Some(verified)))]).await?)
}

/// Password-reset magic link (docs/experience-api.md, Magic links (one-time tokens)): `PUT {ForgotPassword}` →
/// `one-time-token/verify` → identification; the new password is asked next. The token is sent once across attempts:
/// a retry after identification failed (`progress` holds the verification) starts there.
pub async fn one_time_token_reset(
    api: &ExperienceApi,
    progress: &mut Progress,
    email: String,
    token: String,
) -> Result<(), ResumableFailure> {
    let verified = verify_once(progress, || async {
        let identifier = Identifier { kind: IdentifierType::Email, value: email.clone() };
        let state = FlowState { identifier: Some(identifier), ..FlowState::new(InteractionEvent::ForgotPassword) };
        begin(api, state).await.map_err(|failure| failures::resumable_failure(&failure, false))?;
        api.verify_one_time_token(email, token).await.map_err(|failure| failures::resumable_failure(&failure, true))
    })
    .await?;
    api.identify(Some(verified)).await.map_err(|failure| {
        progress.failed(&failure);
        failures::resumable_failure(&failure, false)
    })
}

/// How a magic link's landing ended.
pub enum MagicLink {
    /// Signed in (or up): the provider's next URL.
    Done(String),
    /// Nobody has this email: an account is made from the verified token (its id), after the terms when they must be
    /// asked ([`one_time_token_register`]).
    NewAccount(String),
    /// A call failed (`failures::resumable_failure`).
    Failed(ResumableFailure),
}

/// Magic-link sign-in (docs/experience-api.md, Magic links (one-time tokens)): `PUT {SignIn}` → `one-time-token/verify`
/// → identification → submit. The token is sent once across attempts: a retry after a later call failed (`progress`
/// holds the verification) resumes at that call.
pub async fn one_time_token_sign_in(
    api: &ExperienceApi,
    progress: &mut Progress,
    email: String,
    token: String,
) -> MagicLink {
    let verify = || async {
        begin(api, FlowState::new(InteractionEvent::SignIn))
            .await
            .map_err(|failure| failures::resumable_failure(&failure, false))?;
        api.verify_one_time_token(email, token).await.map_err(|failure| failures::resumable_failure(&failure, true))
    };
    let verified = match verify_once(progress, verify).await {
        Ok(verified) => verified,
        Err(failure) => return MagicLink::Failed(failure),
    };
    match resume(api, progress, vec![Box::pin(api.identify(Some(verified.clone())))]).await {
        Ok(redirect_to) => MagicLink::Done(redirect_to),
        Err(failure) if failure.code() == Some("user.user_not_exist") => MagicLink::NewAccount(verified),
        Err(failure) => MagicLink::Failed(failures::resumable_failure(&failure, false)),
    }
}

/// A new account from a magic link's verified token (allowed even when registration is otherwise off), as
/// [`register_verified`] (its calls written out: one function used by two lazily loaded screens would move into the
/// first screen's module).
pub async fn one_time_token_register(api: &ExperienceApi, progress: &mut Progress, verified: String) -> MagicLink {
    let calls: Vec<Then> =
        vec![Box::pin(switch(api, InteractionEvent::Register)), Box::pin(api.identify(Some(verified)))];
    match resume(api, progress, calls).await {
        Ok(redirect_to) => MagicLink::Done(redirect_to),
        Err(failure) => MagicLink::Failed(failures::resumable_failure(&failure, false)),
    }
}
