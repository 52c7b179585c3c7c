use crate::components::ErrorPage;
use crate::settings::use_settings;
use leptos::prelude::*;

/// `/unknown-session`: the provider has no sign-in in progress for this browser.
#[component]
pub fn UnknownSession() -> impl IntoView {
    let settings = use_settings();
    view! { <ErrorPage title=settings.t("error.something_went_wrong") description=settings.t("error.invalid_session") /> }
}
