use crate::components::{BrandingHeader, SubmitButton};
use crate::flows;
use crate::pages::mfa_shared::{conclude, conclude_webauthn, load_on_mount, FormError};
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use sign_in_core::api::WebAuthnRegistrationResponse;

/// `/create-passkey` (`user.passkey_preferred`): registration options on opening (the ceremony needs the
/// click's user gesture), Create → `registration/verify` → `profile/mfa/passkey` → submit; Skip →
/// `passkey-skipped` → submit.
#[component]
pub fn CreatePasskey() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let options = load_on_mount(error, |api| async move { api.webauthn_registration().await });
    let create = {
        let settings = settings.clone();
        let navigate = navigate.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let Some(WebAuthnRegistrationResponse { verification_id, registration_options }) = options.get_untracked() else { return };
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                let result = match flows::register_webauthn(&api, verification_id, &registration_options).await {
                    Ok(verified) => async {
                        api.bind_passkey(verified).await?;
                        api.submit().await
                    }
                    .await
                    .map_err(Into::into),
                    Err(failure) => Err(failure),
                };
                conclude_webauthn(&settings, &navigate, result, error, pending);
            });
        }
    };
    let skip = {
        let settings = settings.clone();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = flows::choose_and_submit(&settings.api(), "passkey-skipped").await;
                conclude(&settings, &navigate, result, error, pending);
            });
        }
    };
    let busy = Signal::derive(move || pending.get() || options.with(Option::is_none));
    view! {
        <BrandingHeader title=settings.t("mfa.create_passkey_title") />
        <p class="signIn_description">{settings.t("mfa.create_passkey_description")}</p>
        <form class="mfa_form" novalidate on:submit=create>
            <FormError error />
            <SubmitButton label=settings.t("mfa.create_passkey") pending=busy />
        </form>
        <button class="button button_secondary mfa_skip" type="button" disabled=move || pending.get() on:click=skip>
            {settings.t("mfa.skip")}
        </button>
    }
}
