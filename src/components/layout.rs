use crate::notice::Notice;
use leptos::prelude::*;

/// The frame of every screen, with Logto's stable hooks for tenant CSS, and the polite notice region.
#[component]
pub fn PageLayout(children: Children) -> impl IntoView {
    // Without settings (boot failed) there is no notice to show.
    let notice = use_context::<Notice>();
    view! {
        <div class="logto_page-container layout_container">
            <main class="logto_main-content layout_main">{children()}</main>
        </div>
        <div class="notice_region" role="status" aria-live="polite">{move || notice.and_then(Notice::text)}</div>
    }
}
