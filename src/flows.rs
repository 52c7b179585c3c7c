//! Call sequences of the Experience API (contract §2.3), each ending where the browser goes next.

use crate::api::ExperienceApi;
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent};
use sign_in_core::config::SignInExperience;
use sign_in_core::flow::{self, ApiFailure, Reaction, SocialNext};
use sign_in_core::social::{RoundTrip, SsoChoice};

/// Password sign-in: `PUT {SignIn}` → `verification/password` → `identification` → `submit`.
pub async fn password_sign_in(
    api: &ExperienceApi,
    identifier: Identifier,
    password: String,
) -> Result<String, ApiFailure> {
    api.start(InteractionEvent::SignIn).await?;
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
    AskToLink { verification_id: String, value: String },
    Failed(Reaction),
}

/// After the IdP: `verify` → `identification` → `submit`, registering or linking a new identity as the
/// config and the provider's answer decide (contract §5.2–5.4).
pub async fn social_callback(
    api: &ExperienceApi,
    config: &SignInExperience,
    round_trip: RoundTrip,
    connector_id: &str,
    verification_id: String,
    connector_data: serde_json::Map<String, serde_json::Value>,
) -> SocialOutcome {
    let verified = match api.verify_round_trip(round_trip, connector_id, verification_id, connector_data).await {
        Ok(id) => id,
        Err(failure) => return SocialOutcome::Failed(flow::password_sign_in(&failure)),
    };
    let finished = match api.identify(Some(verified.clone())).await {
        Ok(()) => api.submit().await,
        Err(failure) => match flow::social_identification(&failure, config) {
            SocialNext::Register => register_identity(api, verified).await,
            SocialNext::LinkAutomatically => link_identity(api, verified).await,
            SocialNext::AskToLink { value, .. } => return SocialOutcome::AskToLink { verification_id: verified, value },
            SocialNext::BackToSignIn(reaction) => return SocialOutcome::Failed(reaction),
        },
    };
    match finished {
        Ok(redirect_to) => SocialOutcome::Done(redirect_to),
        Err(failure) => SocialOutcome::Failed(flow::password_sign_in(&failure)),
    }
}

/// A new account from the verified identity: `interaction-event {Register}` → identification → submit.
pub async fn register_identity(api: &ExperienceApi, verification_id: String) -> Result<String, ApiFailure> {
    api.switch_event(InteractionEvent::Register).await?;
    api.identify(Some(verification_id)).await?;
    api.submit().await
}

/// The verified identity joins the account with the same email/phone.
pub async fn link_identity(api: &ExperienceApi, verification_id: String) -> Result<String, ApiFailure> {
    api.switch_event(InteractionEvent::SignIn).await?;
    api.identify_and_link(verification_id).await?;
    api.submit().await
}
