use crate::components::FormError;
use crate::components::{BrandingHeader, SubmitButton};
use crate::sequences;
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// `/mfa-onboarding` (`user.suggest_mfa`): turn on 2-step verification (`mfa-enabled` → submit, which then
/// asks to bind a factor) or skip it (`mfa-skipped` → submit).
#[component]
pub fn MfaOnboarding() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let choose = move |action: &'static str| {
        step.run(move |api| async move { sequences::choose_and_submit(&api, action).await })
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
