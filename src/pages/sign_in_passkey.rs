use crate::components::FormError;
use crate::components::{BrandingHeader, SendCodeButton, SubmitButton};
use crate::navigation::Redirect;
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::api::{Identifier, InteractionEvent};
use sign_in_core::identifier::{self, FirstFactor};
use sign_in_core::route::Page;
use sign_in_core::storage_keys;

/// Keeps the options `sign-in-passkey/authentication` answered, for the next screen.
pub fn remember_options(options: &serde_json::Value) {
    session::set(storage_keys::PASSKEY_OPTIONS, serde_json::to_string(options).ok().as_deref());
}

/// The step in progress: verification id, identifier and options, when all three are there.
pub fn remembered() -> Option<(String, Identifier, serde_json::Value)> {
    let flow = session::flow().filter(|flow| flow.event == InteractionEvent::SignIn)?;
    let options = crate::json::parse(&session::get(storage_keys::PASSKEY_OPTIONS)?)?;
    Some((flow.verification_id?, flow.identifier?, options))
}

/// `/sign-in/passkey`: identifier-first passkey sign-in (docs/experience-api.md, Passkey sign-in). "Use my passkey"
/// runs the ceremony with the account's options (a user gesture) → `sign-in-passkey/authentication/verify
/// {verificationId}` → identification → submit; a link switches to the password or a code instead.
#[component]
pub fn SignInPasskey() -> impl IntoView {
    let settings = use_settings();
    let Some((verification_id, chosen, options)) = remembered() else {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    };
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let held = Held::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (id, options) = (verification_id.clone(), options.clone());
        step.run(move |api| {
            held.run(async move |progress| sequences::identifier_passkey_sign_in(&api, progress, id, &options).await)
        });
    };
    let method = settings.t(identifier::description_key(chosen.kind));
    let description =
        settings.phrases.t_with("description.passkey_for", &[("method", &method), ("value", &chosen.value)]);
    view! {
        <BrandingHeader title=settings.t("mfa.webauthn_verify_title") />
        <p class="signIn_description">{description}</p>
        <form class="mfa_form" novalidate on:submit=on_submit>
            <FormError error />
            <SubmitButton label=settings.t("action.verify_via_passkey") pending />
        </form>
        <SwitchMethod chosen />
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}

/// The identifier's other first factors: with one, a link to `/sign-in/password` or a button that sends a
/// code; with both, a link to the list of methods.
#[component]
fn SwitchMethod(chosen: Identifier) -> impl IntoView {
    let settings = use_settings();
    match identifier::first_factors(&settings.config, chosen.kind).as_slice() {
        [FirstFactor::Password] => view! {
            <a class="form_link signIn_switch" href=settings.link(Page::SignInPassword)>
                {settings.t("action.sign_in_via_password")}
            </a>
        }
        .into_any(),
        [FirstFactor::VerificationCode] => view! { <SendCodeButton identifier=chosen /> }.into_any(),
        [] => ().into_any(),
        _ => view! {
            <a class="form_link signIn_switch" href=settings.link(Page::VerificationMethods)>
                {settings.t("mfa.try_another_method")}
            </a>
        }
        .into_any(),
    }
}
