use crate::settings::use_settings;
use crate::theme::use_theme;
use leptos::prelude::*;
use sign_in_core::color::logo_url;

/// Logo (when configured) and the screen's headline. The logo follows the theme (contract §7.1).
#[component]
pub fn BrandingHeader(
    /// The headline text.
    title: String,
) -> impl IntoView {
    let settings = use_settings();
    let dark = use_theme().map(|theme| theme.dark);
    let logo = move || {
        let dark = dark.is_some_and(|d| d.get());
        let branding = &settings.config.branding;
        logo_url(branding, settings.config.color.is_dark_mode_enabled, dark)
            .map(|src| view! { <img class="brand_logo" src=src.to_owned() alt="" /> })
    };
    view! {
        <header class="logto_branding-header brand_header">
            {logo}
            <h1 class="brand_title">{title}</h1>
        </header>
    }
}
