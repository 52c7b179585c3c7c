use crate::components::ErrorPage;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::route::Page;

/// `/account-suspended`.
#[component]
pub fn AccountSuspended() -> impl IntoView {
    let settings = use_settings();
    view! {
        <ErrorPage
            title=settings.t("error.account_suspended")
            description=settings.t("error.account_suspended_description")
            action=(settings.t("description.back_to_sign_in"), settings.link(Page::SignIn))
        />
    }
}
