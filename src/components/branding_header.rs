use crate::settings::use_settings;
use leptos::prelude::*;

/// Logo (when configured) and the screen's headline.
#[component]
pub fn BrandingHeader(
    /// The headline text.
    title: String,
) -> impl IntoView {
    let settings = use_settings();
    let logo = settings.config.branding.logo_url.clone();
    view! {
        <header class="logto_branding-header brand_header">
            {logo.map(|src| view! { <img class="brand_logo" src=src alt="" /> })}
            <h1 class="brand_title">{title}</h1>
        </header>
    }
}
