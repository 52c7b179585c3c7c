use crate::components::FormError;
use crate::navigation::use_navigate;
use crate::settings::use_settings;
use crate::submit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{Identifier, InteractionEvent};
use sign_in_core::failures;
use sign_in_core::interaction::CodeFlow;

/// "Sign in with a code instead": sends a sign-in code to the chosen identifier and opens the code screen;
/// a failure is shown under the button, which stays usable.
#[component]
pub fn SendCodeButton(
    identifier: Identifier,
    /// A link-like switch under a form by default; a full button in a list of methods.
    #[prop(default = "form_link signIn_switch")]
    class: &'static str,
) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let send = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let (navigate, identifier) = (navigate.clone(), identifier.clone());
        spawn_local(async move {
            let outcome = submit::send_code_then_open(
                settings,
                CodeFlow::SignIn,
                InteractionEvent::SignIn,
                identifier,
                failures::react,
            );
            submit::follow(outcome.await, &navigate, pending, |text, _| error.set(Some(text)));
        });
    };
    view! {
        <button class=class type="button" disabled=move || pending.get() on:click=send>
            {settings.t("action.sign_in_via_passcode")}
        </button>
        <FormError error />
    }
}
