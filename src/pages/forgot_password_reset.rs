use crate::components::{BrandingHeader, SetPasswordForm};
use crate::navigation::use_navigate;
use crate::notice::use_notice;
use crate::sequences;
use crate::settings::use_settings;
use crate::submit::{self, Outcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::route::Page;

/// `/forgot-password/reset`: the new password; on success back to sign-in with a confirmation.
#[component]
pub fn ForgotPasswordReset() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let notice = use_notice();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_submit = Callback::new(move |password: String| {
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = match sequences::reset_password(&settings.api(), password).await {
                Ok(()) => {
                    notice.show(settings.t("description.password_changed"));
                    Outcome::Navigate(settings.link(Page::SignIn))
                }
                Err(failure) => Outcome::of_failure(settings, &failure),
            };
            submit::follow(outcome, &navigate, pending, |text, _| error.set(Some(text)));
        });
    });
    view! {
        <BrandingHeader title=settings.t("description.new_password") />
        <SetPasswordForm submit_label=settings.t("action.save_password") error pending on_submit />
    }
}
