use crate::flows::{self, WebAuthnStepFailure};
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use crate::webauthn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// "Continue with passkey" (`passkeySignIn.enabled && showPasskeyButton`, and a browser that can): the
/// discoverable-passkey options are fetched when the screen opens, so the click's user gesture goes straight
/// to the prompt; then `PUT {SignIn}` → `sign-in-passkey/authentication/verify` → identification → submit.
/// A cancelled prompt says nothing.
#[component]
pub fn PasskeyButton() -> impl IntoView {
    let settings = use_settings();
    let passkey = &settings.config.passkey_sign_in;
    if !(passkey.enabled && passkey.show_passkey_button && webauthn::supported()) {
        return ().into_any();
    }
    let navigate = use_navigate();
    let options = RwSignal::new(None::<serde_json::Value>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let preflight = {
        let settings = settings.clone();
        move || {
            let settings = settings.clone();
            spawn_local(async move {
                // A failed preflight only leaves the button without options; the click tries again.
                options.set(settings.api().passkey_preflight().await.ok());
            });
        }
    };
    preflight();
    let sign_in = {
        let settings = settings.clone();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let settings = settings.clone();
            let navigate = navigate.clone();
            let preflight = preflight.clone();
            let prefetched = options.get_untracked();
            spawn_local(async move {
                let api = settings.api();
                let options_now = match prefetched {
                    Some(options) => Ok(options),
                    None => api.passkey_preflight().await,
                };
                let result = match options_now {
                    Ok(options) => flows::passkey_sign_in(&api, &options).await,
                    Err(failure) => Err(WebAuthnStepFailure::Api(failure)),
                };
                match result {
                    Ok(redirect_to) => return session::replace_location(&redirect_to),
                    Err(WebAuthnStepFailure::Ceremony(failure)) => {
                        error.set(failure.phrase_key().map(|key| settings.t(key)))
                    }
                    Err(WebAuthnStepFailure::Api(failure)) => {
                        reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text)))
                    }
                }
                // Each attempt uses up the challenge: fetch a fresh one for the next click.
                options.set(None);
                preflight();
                pending.set(false);
            });
        }
    };
    view! {
        <div class="signIn_passkey">
            <button
                class="button button_secondary signIn_passkeyButton"
                type="button"
                disabled=move || pending.get()
                aria-busy=move || pending.get().then_some("true")
                on:click=sign_in
            >
                {settings.t("mfa.continue_with_passkey")}
            </button>
            {move || error.get().map(|text| view! { <div class="form_error" role="alert">{text}</div> })}
        </div>
    }
    .into_any()
}
