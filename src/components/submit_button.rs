use leptos::prelude::*;

/// The form's submit button (`button[name=submit]`, as Logto's tests select it); busy while pending.
#[component]
pub fn SubmitButton(label: String, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    view! {
        <button
            class="button button_primary"
            name="submit"
            type="submit"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
        >
            {label}
        </button>
    }
}
