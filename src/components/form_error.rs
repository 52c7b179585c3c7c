use leptos::prelude::*;

/// A form-level message (network, provider, WebAuthn), announced when it appears. `id` lets a field point at it
/// (`aria-describedby`).
#[component]
pub fn FormError(error: RwSignal<Option<String>>, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    move || error.get().map(|text| view! { <div class="form_error" role="alert" id=id>{text}</div> })
}
