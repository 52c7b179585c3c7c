use crate::components::{BrandingHeader, SendCodeForm};
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use sign_in_core::api::InteractionEvent;
use sign_in_core::identifier;
use sign_in_core::steps::{self, CodeFlow};

/// `/forgot-password` (and `/reset-password`): the email/phone to send a reset code to.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let settings = use_settings();
    let kinds = steps::forgot_password_kinds(&settings.config);
    if kinds.is_empty() {
        return view! { <Redirect path=settings.href("/sign-in") /> }.into_any();
    }
    let names: Vec<String> = kinds.iter().map(|k| settings.t(identifier::description_key(*k))).collect();
    view! {
        <BrandingHeader title=settings.t("description.reset_password") />
        <p class="signIn_description">
            {settings.phrases.t_with("description.reset_password_description", &[("types", &settings.phrases.list_or(&names))])}
        </p>
        <SendCodeForm
            flow=CodeFlow::ForgotPassword
            event=InteractionEvent::ForgotPassword
            kinds
            submit_label=settings.t("action.continue")
        />
        <a class="page_link" href=settings.href("/sign-in")>{settings.t("description.back_to_sign_in")}</a>
    }
    .into_any()
}
