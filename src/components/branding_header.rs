use crate::settings::use_settings;
use crate::theme::use_theme;
use leptos::prelude::*;
use sign_in_core::color::logo_url;

/// Logo (when configured) and the screen's headline. The logo follows the theme (docs/experience-api.md, Branding and
/// custom content). The headline names the screen: it becomes the document's title, and it takes the focus when the
/// screen puts it nowhere else (a new step is announced instead of leaving focus on the page's body).
#[component]
pub fn BrandingHeader(
    /// The headline text.
    title: String,
) -> impl IntoView {
    let settings = use_settings();
    name_screen(&title);
    let heading = headline_focus();
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
            <h1 class="brand_title" tabindex="-1" node_ref=heading>{title}</h1>
        </header>
    }
}

/// The node of a screen's headline (an `h1` with `tabindex="-1"`), which takes the focus once mounted when the
/// screen put it nowhere else. Effects run in creation order: a field that focuses itself on mount comes later and
/// wins.
pub fn headline_focus() -> NodeRef<leptos::html::H1> {
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        let Some(heading) = heading.get() else { return };
        let focus_is_nowhere = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element().map(|active| Some(active) == d.body().map(Into::into)))
            .unwrap_or(true);
        if focus_is_nowhere {
            let _ = heading.focus();
        }
    });
    heading
}

/// Sets the document's title to the screen's name (tabs, history and screen readers tell screens apart by it).
pub fn name_screen(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}
