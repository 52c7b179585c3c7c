use crate::components::FormError;
use crate::components::{BrandingHeader, SubmitButton};
use crate::pages::mfa_shared::load_on_mount;
use crate::sequences::{self, Held, PasskeyUse};
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::api::WebAuthnRegistrationResponse;

/// `/create-passkey` (`user.passkey_preferred`): Create registers a sign-in passkey; Skip →
/// `passkey-skipped` → submit.
#[component]
pub fn CreatePasskey() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let pending = step.pending;
    let skip = {
        let step = step.clone();
        move |_| step.run(|api| async move { sequences::choose_and_submit(&api, "passkey-skipped").await })
    };
    view! {
        <BrandingHeader title=settings.t("mfa.create_passkey_title") />
        <p class="signIn_description">{settings.t("mfa.create_passkey_description")}</p>
        <RegisterPasskey use_as=PasskeyUse::SignIn step label=settings.t("mfa.create_passkey") />
        <button class="button button_secondary mfa_skip" type="button" disabled=move || pending.get() on:click=skip>
            {settings.t("mfa.skip")}
        </button>
    }
}

/// The WebAuthn registration form shared by `/create-passkey` and `/mfa-binding/WebAuthn`: options are
/// fetched when the screen opens (the ceremony must run inside the click's user gesture), then
/// Create → `registration/verify` → bind for `use_as` → submit. When that fetch failed, Create fetches them and
/// goes on (as the passkey button does). A refused prompt says so, and Create asks again.
#[component]
pub fn RegisterPasskey(use_as: PasskeyUse, step: Step, label: String) -> impl IntoView {
    let error = step.error;
    let pending = step.pending;
    let options = load_on_mount(error, |api| async move { api.webauthn_registration().await });
    let held = Held::new();
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        if options.loading.get_untracked() {
            return;
        }
        step.run(move |api| {
            held.run(async move |progress| {
                let WebAuthnRegistrationResponse { verification_id, registration_options } =
                    options.or_fetch(|| api.webauthn_registration()).await?;
                sequences::register_webauthn_and_submit(&api, progress, use_as, verification_id, &registration_options)
                    .await
            })
        });
    };
    let busy = Signal::derive(move || pending.get() || options.loading.get());
    view! {
        <form class="mfa_form" novalidate on:submit=create>
            <FormError error />
            <SubmitButton label pending=busy />
        </form>
    }
}
