use crate::components::ErrorPage;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::route::Page;

/// Any path the page doesn't know.
#[component]
pub fn NotFound() -> impl IntoView {
    let settings = use_settings();
    view! {
        <ErrorPage
            title=settings.t("description.not_found")
            description=settings.t("description.not_found_description")
            action=(settings.t("description.back_to_sign_in"), settings.link(Page::SignIn))
        />
    }
}
