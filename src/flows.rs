//! Call sequences of the Experience API (contract §2.3), each ending where the browser goes next.

use crate::api::ExperienceApi;
use sign_in_core::api::{Identifier, InteractionEvent};
use sign_in_core::flow::ApiFailure;

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
