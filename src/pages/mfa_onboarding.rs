use crate::components::{BrandingHeader, SubmitButton};
use crate::flows;
use crate::pages::mfa_shared::{conclude, FormError};
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// `/mfa-onboarding` (`user.suggest_mfa`): turn on 2-step verification (`mfa-enabled` → submit, which then
/// asks to bind a factor) or skip it (`mfa-skipped` → submit).
#[component]
pub fn MfaOnboarding() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let choose = {
        let settings = settings.clone();
        move |action: &'static str| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let settings = settings.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = flows::choose_and_submit(&settings.api(), action).await;
            conclude(&settings, &navigate, result, error, pending);
        });
        }
    };
    let turn_on = {
        let choose = choose.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            choose("mfa-enabled");
        }
    };
    view! {
        <BrandingHeader title=settings.t("mfa.onboarding_title") />
        <p class="signIn_description">{settings.t("mfa.onboarding_description")}</p>
        <form class="mfa_form" novalidate on:submit=turn_on>
            <FormError error />
            <SubmitButton label=settings.t("mfa.turn_on") pending />
        </form>
        <button
            class="button button_secondary mfa_skip"
            type="button"
            disabled=move || pending.get()
            on:click=move |_| choose("mfa-skipped")
        >
            {settings.t("mfa.skip")}
        </button>
    }
}
