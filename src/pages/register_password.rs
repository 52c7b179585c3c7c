use crate::components::{BrandingHeader, SetPasswordForm};
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::prelude::*;
use sign_in_core::api::{InteractionEvent, ProfileBody};

/// `/register/password` and `/continue/password`: the password the new (or incomplete) account needs.
#[component]
pub fn SetPassword() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let held = Held::new();
    let (error, pending) = (step.error, step.pending);
    let event = session::flow().map_or(InteractionEvent::Register, |state| state.event);
    let on_submit = Callback::new(move |password: String| {
        step.run(move |api| {
            held.run(async move |progress| {
                sequences::fill_profile(&api, progress, ProfileBody::Password { value: password }, event).await
            })
        })
    });
    view! {
        <BrandingHeader title=settings.t("description.set_password") />
        <SetPasswordForm submit_label=settings.t("action.save_password") error pending on_submit />
    }
}
