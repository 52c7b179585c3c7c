use crate::components::{focus_first_invalid, CustomContent};
use crate::notice::Notice;
use crate::settings::Settings;
use leptos::prelude::*;

/// The frame of every screen, with Logto's stable hooks for tenant CSS, the provider's custom content, the
/// signature, and the polite notice region.
#[component]
pub fn PageLayout(children: Children) -> impl IntoView {
    // Without settings (boot failed) there is no notice, no custom content and no signature (and no `navigation`).
    let notice = use_context::<Notice>();
    let settings = use_context::<&'static Settings>();
    let custom_content = settings.is_some().then(|| view! { <CustomContent /> });
    // A development tenant (Logto Cloud) says so on every screen, so nobody takes it for the real thing.
    let development = settings.filter(|s| s.config.is_development_tenant).map(|settings| {
        // In a landmark of its own, like everything on the page (axe `region`).
        view! {
            <aside class="layout_devTenantRegion">
                <p class="layout_devTenant" role="note">{settings.t("development_tenant.notification")}</p>
            </aside>
        }
    });
    // The signature is plain text in our stylesheet's layer, so tenant CSS can restyle or hide it freely.
    let signature = settings.filter(|s| !s.config.hide_logto_branding).map(|settings| {
        view! { <footer class="layout_signature logto_signature">{settings.t("description.powered_by")}</footer> }
    });
    view! {
        <div class="logto_page-container layout_container">
            {development}
            {custom_content}
            // Every form of every screen: a submit that finds something to fix moves focus to the first field marked
            // invalid.
            <main class="logto_main-content layout_main" on:submit=move |ev| {
                if let Some(main) = ev.current_target() {
                    focus_first_invalid(wasm_bindgen::JsCast::unchecked_into(main));
                }
            }>
                {children()}
            </main>
            {signature}
            // Last in the document (read after the screen), drawn above the card (style/components.css).
            <div class="notice_region" role="status" aria-live="polite">
                {move || notice.and_then(Notice::text).map(|text| view! { <p class="notice_toast">{text}</p> })}
            </div>
        </div>
    }
}
