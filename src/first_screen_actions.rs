//! What the first screens' forms do once submitted (identifier first, identifier + password, registration), each a
//! call sequence ending in an [`Outcome`]. The screens are in the main module; these sequences, and the API client,
//! request bodies and reaction table they reach, are the split group `actions` (with the passkey button's, in
//! `components/passkey_button.rs`, and the settings requests of a visit without usable SSR data, in `boot.rs`),
//! fetched as soon as the first screen is up (xtask/README.md, Lazy screens): the
//! first field never waits for them, and a submit normally finds them loaded.

use crate::components::PasskeySignInState;
use crate::pages::sign_in_passkey;
use crate::reactions;
use crate::screens::ChunkUnavailable;
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::Settings;
use crate::sso::go_to_sso;
use crate::submit::{self, Outcome};
use crate::webauthn;
use leptos::wasm_split::wasm_split;
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent};
use sign_in_core::failures::{self, passkey_falls_back};
use sign_in_core::identifier::{self, AfterIdentifier};
use sign_in_core::interaction::CodeFlow;
use sign_in_core::route::Page;
use std::future::Future;
use std::pin::Pin;

/// A sequence started in the chunk.
pub type Running<T> = Pin<Box<dyn Future<Output = T>>>;

/// Awaits a sequence of the chunk; what the form says when the chunk could not be fetched (what was typed stays).
pub async fn run(
    settings: &'static Settings,
    started: impl Future<Output = Result<Running<Outcome>, ChunkUnavailable>>,
) -> Outcome {
    match started.await {
        Ok(running) => running.await,
        Err(ChunkUnavailable) => Outcome::Message { text: settings.t("error.screen_unavailable"), refused: false },
    }
}

/// Starts fetching the group (the first screen is up).
pub async fn prefetch() {
    let _ = prefetch_actions().await;
}

/// Identifier first: SSO, the passkey, the password screen or a code, as [`identifier::after_identifier`] orders
/// them. The autofill request of `passkey` is aborted for the identifier's own passkey attempt.
pub async fn identifier_submitted(
    settings: &'static Settings,
    identifier: Identifier,
    passkey: Option<PasskeySignInState>,
) -> Outcome {
    run(settings, after_identifier(settings, identifier, passkey)).await
}

/// Identifier (or the one chosen before) + password: SSO for a served email, else password sign-in, resuming what
/// `held` verified in an earlier attempt.
pub async fn password_submitted(
    settings: &'static Settings,
    held: Held,
    identifier: Identifier,
    password: String,
) -> Outcome {
    run(settings, password_sign_in(settings, held, identifier, password)).await
}

/// A new account's identifier: a username registers (then its password screen, or straight on), an email or phone
/// gets a code.
pub async fn register_submitted(settings: &'static Settings, identifier: Identifier) -> Outcome {
    run(settings, register(settings, identifier)).await
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_actions))]
fn after_identifier(
    settings: &'static Settings,
    identifier: Identifier,
    passkey: Option<PasskeySignInState>,
) -> Result<Running<Outcome>, ChunkUnavailable> {
    Ok(Box::pin(async move {
        session::remember_identifier(&identifier);
        let api = settings.api();
        for check in identifier::after_identifier(&settings.config, identifier.kind, webauthn::supported()) {
            match check {
                AfterIdentifier::SingleSignOn => {
                    if let Some(choice) = sequences::sso_for(&api, &settings.config, &identifier).await {
                        return go_to_sso(settings, choice);
                    }
                }
                // docs/experience-api.md, Passkey sign-in: without passkeys the next check follows as if nothing
                // happened.
                AfterIdentifier::Passkey => {
                    if let Some(passkey) = passkey {
                        passkey.abort_autofill();
                    }
                    match sequences::start_identifier_passkey(&api, identifier.clone()).await {
                        Ok(options) => {
                            sign_in_passkey::remember_options(&options);
                            return Outcome::Navigate(settings.link(Page::SignInPasskey));
                        }
                        Err(failure) if passkey_falls_back(&failure) => {}
                        Err(failure) => {
                            if let Some(passkey) = passkey {
                                passkey.resume_autofill();
                            }
                            return Outcome::of_failure(settings, &failure);
                        }
                    }
                }
                AfterIdentifier::PasswordScreen => return Outcome::Navigate(settings.link(Page::SignInPassword)),
                AfterIdentifier::SendCode => {
                    let (kind, event) = (identifier.kind, InteractionEvent::SignIn);
                    let react = |failure: &_| failures::sign_in_code_failure(failure, &settings.config, kind);
                    return submit::send_code_then_open(settings, CodeFlow::SignIn, event, identifier, react).await;
                }
            }
        }
        // Not reached: the last check after an identifier always applies.
        Outcome::Quiet
    }))
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn password_sign_in(
    settings: &'static Settings,
    held: Held,
    identifier: Identifier,
    password: String,
) -> Result<Running<Outcome>, ChunkUnavailable> {
    Ok(Box::pin(async move {
        // The forgot-password screen starts from it (an expired password is reset there).
        session::remember_identifier(&identifier);
        let api = settings.api();
        // docs/experience-api.md, Enterprise SSO.
        if let Some(choice) = sequences::sso_for(&api, &settings.config, &identifier).await {
            return go_to_sso(settings, choice);
        }
        let attempt =
            held.run(async |progress| sequences::password_sign_in(&api, progress, identifier, password).await);
        match attempt.await {
            Ok(redirect_to) => {
                session::replace_location(&redirect_to);
                Outcome::Leaving
            }
            Err(failure) => {
                let reaction = failures::password_sign_in_failure(&failure, &settings.config);
                reactions::outcome(settings, reaction, failures::password_refused(&failure))
            }
        }
    }))
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn register(settings: &'static Settings, identifier: Identifier) -> Result<Running<Outcome>, ChunkUnavailable> {
    Ok(Box::pin(async move {
        if identifier.kind != IdentifierType::Username {
            let event = InteractionEvent::Register;
            return submit::send_code_then_open(settings, CodeFlow::Register, event, identifier, failures::react).await;
        }
        let api = settings.api();
        match sequences::register_username(&api, identifier.value).await {
            // Logto asks for the password on its own screen when nothing else is required first.
            Ok(()) if settings.config.sign_up.password && settings.config.sign_up.secondary_identifiers.is_empty() => {
                Outcome::Navigate(settings.link(Page::SetPassword))
            }
            Ok(()) => Outcome::of_finish(settings, sequences::identify_and_submit(&api, None).await),
            Err(failure) => Outcome::of_failure(settings, &failure),
        }
    }))
}
