use crate::captcha::CaptchaBox;
use crate::components::{terms_check, AccountNameField, FormError, IdentifierField, InputField, Refusal, SubmitButton};
use crate::first_screen_actions;
use crate::navigation::use_navigate;
use crate::sequences::Held;
use crate::settings::use_settings;
use crate::submit::{self, Outcome};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{Identifier, IdentifierType};
use sign_in_core::identifier;
use sign_in_core::route::Page;

/// The id of the form's error message (the password field points at it when the provider refused the password).
const FORM_ERROR_ID: &str = "form-error";

/// Identifier + password (or password alone for an identifier chosen on the previous screen), sent as
/// Logto's password sign-in. What the user typed survives every failure; one request sequence at a time.
#[component]
pub fn PasswordSignInForm(
    /// Identifier kinds the field accepts; ignored when `fixed` is set.
    identifiers: Vec<IdentifierType>,
    /// The identifier already chosen (identifier-first sign-in): no identifier field then.
    #[prop(optional)]
    fixed: Option<Identifier>,
) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();

    let identifier_text = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let identifier_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    // The provider refused the password (the form's error says so): the password field is marked until edited.
    let refusal = Refusal { id: FORM_ERROR_ID, shown: RwSignal::new(false) };
    let pending = RwSignal::new(false);
    let terms_allow = terms_check();
    let password_ref = NodeRef::<Input>::new();
    // What the last attempt verified, and for which input: a retry with the same input resumes after the password
    // check; another identifier or password starts over.
    let held = Held::new();
    let held_for = StoredValue::new(None::<(Identifier, String)>);

    let on_submit = {
        let identifiers = identifiers.clone();
        let fixed = fixed.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let parsed = match &fixed {
                Some(identifier) => Ok(identifier.clone()),
                None => identifier::parse(&identifier_text.get_untracked(), &identifiers),
            };
            let secret = password.get_untracked();
            identifier_error
                .set(parsed.as_ref().err().map(|p| identifier::problem_message(*p, &identifiers, &settings.phrases)));
            password_error.set(secret.is_empty().then(|| settings.t("error.password_required")));
            form_error.set(None);
            refusal.shown.set(false);
            // What to fix gets the focus (the layout moves it to the first field marked invalid).
            let identifier = match parsed {
                Ok(identifier) if !secret.is_empty() && terms_allow() => identifier,
                _ => return,
            };

            let input = (identifier.clone(), secret.clone());
            if held_for.get_value().as_ref() != Some(&input) {
                held.reset();
                held_for.set_value(Some(input));
            }
            pending.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome = first_screen_actions::password_submitted(settings, held, identifier, secret).await;
                // After a message, back to the password (the usual thing to change).
                let refocus = matches!(outcome, Outcome::Message { .. });
                submit::follow(outcome, &navigate, pending, |text, refused| {
                    form_error.set(Some(text));
                    refusal.shown.set(refused);
                });
                if let Some(input) = password_ref.get_untracked().filter(|_| refocus) {
                    let _ = input.focus();
                }
            });
        }
    };

    let identifier_field = fixed.is_none().then(|| {
        view! {
            <IdentifierField kinds=identifiers.clone() value=identifier_text error=identifier_error />
        }
    });
    // Identifier-first: the identifier of the previous screen, for password managers.
    let account_name = fixed.as_ref().map(|identifier| view! { <AccountNameField value=identifier.value.clone() /> });
    let forgot_password = settings.config.forgot_password.any().then(|| {
        view! { <a class="form_link" href=settings.link(Page::ForgotPassword)>{settings.t("action.forgot_password")}</a> }
    });

    view! {
        <form class="signIn_form" novalidate on:submit=on_submit>
            {identifier_field}
            {account_name}
            <InputField
                name="password"
                label=settings.t("input.password")
                value=password
                error=password_error
                input_type="password"
                autocomplete="current-password"
                revealable=(settings.t("action.show_password"), settings.t("action.hide_password"))
                node_ref=password_ref
                autofocus=fixed.is_some()
                refusal
            />
            {forgot_password}
            <CaptchaBox />
            <FormError error=form_error id=FORM_ERROR_ID />
            <SubmitButton label=settings.t("action.sign_in") pending=pending />
        </form>
    }
}
