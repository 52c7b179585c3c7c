use crate::session;
use crate::settings::Settings;
use leptos::prelude::*;
use std::sync::Arc;

/// Where a screen that sent the browser elsewhere (direct sign-in) leaves a phrase key for the next screen.
const NOTICE: &str = "sign-in:notice";

/// The frame of every screen, with Logto's stable hooks for tenant CSS, and the polite notice region.
#[component]
pub fn PageLayout(children: Children) -> impl IntoView {
    // Without settings (boot failed) there is no phrase table to show a notice with.
    let notice = use_context::<Arc<Settings>>().and_then(|settings| {
        let key = session::get(NOTICE)?;
        session::set(NOTICE, None);
        Some(settings.t(&key))
    });
    view! {
        <div class="logto_page-container layout_container">
            <main class="logto_main-content layout_main">{children()}</main>
        </div>
        <div class="notice_region" role="status" aria-live="polite">{notice}</div>
    }
}
