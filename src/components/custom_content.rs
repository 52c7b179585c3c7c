use crate::navigation::use_location;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::sanitize::sanitize_html;

/// The provider's `customContent` for the current path (docs/experience-api.md, Branding and custom content), beside
/// `main` on wide screens (the stylesheet hides it below 1000px). Logto injects that HTML as is; we pass it through the
/// allow-list sanitizer first, so no script, event handler or `javascript:` URL reaches the DOM. Must be rendered
/// below `navigation::provide`.
#[component]
pub fn CustomContent() -> impl IntoView {
    let settings = use_settings();
    let pathname = use_location().pathname;
    let html = Memo::new(move |_| {
        pathname.with(|path| {
            settings.config.custom_content.get(path).filter(|html| !html.trim().is_empty()).map(sanitize_html)
        })
    });
    // `aside` is the landmark (axe `region`); the div keeps Logto's hook and is the box tenant CSS styles.
    move || {
        html.get().map(|html| {
            view! {
                <aside class="layout_aside">
                    <div class="logto_custom-content layout_customContent" dir="auto" inner_html=html></div>
                </aside>
            }
        })
    }
}
