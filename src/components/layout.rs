use leptos::prelude::*;

/// The frame of every screen, with Logto's stable hooks for tenant CSS.
#[component]
pub fn PageLayout(children: Children) -> impl IntoView {
    view! {
        <div class="logto_page-container layout_container">
            <main class="logto_main-content layout_main">{children()}</main>
        </div>
    }
}
