use crate::components::{BrandingHeader, SetPasswordForm};
use crate::flows;
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use sign_in_core::api::{InteractionEvent, ProfileBody};

/// `/register/password` and `/continue/password`: the password the new (or incomplete) account needs.
#[component]
pub fn SetPassword() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let event = session::flow().map_or(InteractionEvent::Register, |state| state.event);
    let on_submit = {
        let settings = settings.clone();
        Callback::new(move |password: String| {
            pending.set(true);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                match flows::fill_profile(&settings.api(), ProfileBody::Password { value: password }, event).await {
                    Ok(redirect_to) => return session::replace_location(&redirect_to),
                    Err(failure) => reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text))),
                }
                pending.set(false);
            });
        })
    };
    view! {
        <BrandingHeader title=settings.t("description.set_password") />
        <SetPasswordForm submit_label=settings.t("action.save_password") error pending on_submit />
    }
}
