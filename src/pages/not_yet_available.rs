use crate::components::ErrorPage;
use crate::settings::use_settings;
use leptos::prelude::*;

/// Screens the config links to whose flows this page doesn't draw yet (registration, password reset).
#[component]
pub fn NotYetAvailable() -> impl IntoView {
    let settings = use_settings();
    view! {
        <ErrorPage
            title=settings.t("error.something_went_wrong")
            description=settings.t("description.coming_soon")
            action=(settings.t("description.back_to_sign_in"), settings.href("/sign-in"))
        />
    }
}
