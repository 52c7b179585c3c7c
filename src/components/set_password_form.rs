use crate::components::{AccountNameField, InputField, SubmitButton};
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::password_policy::{self, PasswordPolicy};

/// New password + confirmation. `on_submit` gets the password once both match; it reports the
/// provider's verdict through `error`.
#[component]
pub fn SetPasswordForm(
    submit_label: String,
    error: RwSignal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    on_submit: Callback<String>,
) -> impl IntoView {
    let settings = use_settings();
    let policy = PasswordPolicy::from_config(&settings.config.password_policy);
    let requirements = password_policy::requirements(&policy, &settings.phrases);
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let confirm_error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (first, second) = (password.get_untracked(), confirm.get_untracked());
        // Only what Logto's page checks itself; the provider words the rest (`password.rejected`).
        let reasons = policy.fast_check(&first);
        error.set(if first.is_empty() {
            Some(settings.t("error.password_required"))
        } else {
            (!reasons.is_empty()).then(|| reactions::rejection_text(settings, &reasons))
        });
        confirm_error.set((!first.is_empty() && first != second).then(|| settings.t("error.passwords_do_not_match")));
        if error.get_untracked().is_none() && first == second {
            on_submit.run(first);
        }
    };
    let reveal = (settings.t("action.show_password"), settings.t("action.hide_password"));
    // Whose password this is (the identifier the flow started with), so a password manager saves it under that name.
    let account_name = session::flow()
        .and_then(|state| state.identifier)
        .map(|identifier| view! { <AccountNameField value=identifier.value /> });
    view! {
        <form class="setPassword_form" novalidate on:submit=submit>
            {account_name}
            <InputField
                name="newPassword"
                label=settings.t("input.new_password")
                value=password
                error
                input_type="password"
                autocomplete="new-password"
                revealable=reveal.clone()
                autofocus=true
                hint=requirements
            />
            <InputField
                name="confirmPassword"
                label=settings.t("input.confirm_password")
                value=confirm
                error=confirm_error
                input_type="password"
                autocomplete="new-password"
                revealable=reveal
            />
            <SubmitButton label=submit_label pending />
        </form>
    }
}
