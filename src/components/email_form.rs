use crate::components::{IdentifierField, SubmitButton};
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::api::IdentifierType;

/// An email field and "Continue" (single sign-on, the password-reset link).
#[component]
pub fn EmailForm(
    /// The form's class (its screen's hook for tenant CSS).
    class: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    let settings = use_settings();
    view! {
        <form class=class novalidate on:submit=on_submit>
            <IdentifierField kinds=vec![IdentifierType::Email] value error />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
    }
}
