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

/// A button that starts something by a click rather than a form's submit: disabled and `aria-busy` while pending.
/// `name="submit"` for a screen's main action (as Logto's tests select it).
#[component]
pub fn BusyButton(
    class: &'static str,
    label: String,
    #[prop(into)] pending: Signal<bool>,
    on_click: Callback<()>,
    #[prop(optional)] name: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button
            class=class
            name=name
            type="button"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| on_click.run(())
        >
            {label}
        </button>
    }
}
