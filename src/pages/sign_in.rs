use crate::captcha::CaptchaBox;
use crate::components::{
    terms_check, BrandingHeader, IdentifierField, OtherWays, PasskeyButton, PasskeySignInState, PasswordSignInForm,
    SubmitButton, Terms, TermsGate,
};
use crate::first_screen_actions;
use crate::navigation::Redirect;
use crate::navigation::{use_navigate, use_query_map};
use crate::settings::use_settings;
use crate::submit;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::IdentifierType;
use sign_in_core::config::SignInMode;
use sign_in_core::identifier::{self, FirstFactor, SignInForm};
use sign_in_core::one_tap::OneTapContext;
use sign_in_core::route::Page;
use sign_in_core::terms::TermsScreen;

/// `/sign-in`: the landing screen, drawn from the sign-in experience.
#[component]
pub fn SignIn() -> impl IntoView {
    view! { <SignInScreen focused=false /> }
}

/// `/identifier-sign-in` (`first_screen=identifier:sign_in`): only the identifiers of the landing URL's
/// `identifier` parameter, without social, SSO or registration, and a link to every option.
#[component]
pub fn IdentifierSignIn() -> impl IntoView {
    view! { <SignInScreen focused=true /> }
}

#[component]
fn SignInScreen(focused: bool) -> impl IntoView {
    let settings = use_settings();
    let query = use_query_map();
    // A magic link lands on the first screen with its token: it is consumed on its own screen (docs/experience-api.md,
    // Magic links (one-time tokens)).
    if query.with_untracked(|q| q.get("one_time_token").is_some()) {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        return view! { <Redirect path=format!("/one-time-token{search}") /> }.into_any();
    }
    if settings.config.sign_in_mode == SignInMode::Register {
        return view! { <Redirect path=settings.link(Page::Register) /> }.into_any();
    }
    let wanted = identifier::kinds_from_param(query.with_untracked(|q| q.get("identifier")).as_deref());
    let form = match SignInForm::for_config(&settings.config) {
        form if focused => form.only(&wanted),
        form => form,
    };
    if focused && form == SignInForm::None {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    }
    TermsGate::provide(TermsScreen::SignIn);
    // Passkey sign-in from the full screen (button, autofill): one preflight, shared; set up before the forms.
    if !focused {
        PasskeySignInState::provide();
    }
    let has_form = form != SignInForm::None;
    let form = match form {
        SignInForm::Password { identifiers } => view! { <PasswordSignInForm identifiers /> }.into_any(),
        SignInForm::IdentifierFirst { identifiers } => view! { <IdentifierForm identifiers /> }.into_any(),
        SignInForm::None => ().into_any(),
    };
    if focused {
        return view! {
            <BrandingHeader title=settings.t("description.sign_in_to_your_account") />
            {form}
            <Terms />
            <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("description.all_sign_in_options")}</a>
        }
        .into_any();
    }
    let create_account = settings.config.can_register().then(|| {
        view! {
            <p class="signIn_createAccount">
                {settings.t("description.no_account")} " "
                <a class="page_link" href=settings.link(Page::Register)>{settings.t("action.create_account")}</a>
            </p>
        }
    });
    crate::one_tap::offer(settings, OneTapContext::SignIn);
    // Passkey autofill without the button: what an autofill sign-in failed with shows under the form.
    let autofill_failure =
        PasskeySignInState::from_context().filter(|state| !state.shows_button()).map(|_| view! { <PasskeyButton /> });
    view! {
        <BrandingHeader title=settings.t("description.sign_in_to_your_account") />
        {form}
        {autofill_failure}
        <Terms />
        <OtherWays fallback="sign-in" after_form=has_form single_sign_on=true />
        {create_account}
    }
    .into_any()
}

/// Identifier first; the next screen asks for the password or the code, per the method's primary factor.
#[component]
fn IdentifierForm(identifiers: Vec<IdentifierType>) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let value = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let terms_allow = terms_check();
    // Passkey autofill: the field offers the browser's passkeys while the conditional request waits.
    let passkey = PasskeySignInState::from_context();
    let plain = identifier::autocomplete(&identifiers);
    let autocomplete = match passkey.filter(PasskeySignInState::autofill_enabled) {
        Some(passkey) => {
            passkey.start_autofill();
            let available = passkey.autofill_available();
            Signal::derive(move || if available.get() { with_webauthn(plain) } else { plain })
        }
        None => Signal::stored(plain),
    };
    let on_submit = {
        let identifiers = identifiers.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let id = match identifier::parse(&value.get_untracked(), &identifiers) {
                Ok(id) => id,
                Err(problem) => {
                    return error.set(Some(identifier::problem_message(problem, &identifiers, &settings.phrases)))
                }
            };
            error.set(None);
            if !terms_allow() {
                return;
            }
            pending.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome = first_screen_actions::identifier_submitted(settings, id, passkey).await;
                submit::follow(outcome, &navigate, pending, |text, _| error.set(Some(text)));
            });
        }
    };
    // A code is sent from this form; a password is asked (and the challenge run) on the next screen.
    let sends_code =
        identifiers.iter().any(|kind| identifier::first_factor(&settings.config, *kind) != Some(FirstFactor::Password));
    view! {
        <form class="signIn_form" novalidate on:submit=on_submit>
            <IdentifierField kinds=identifiers value error autocomplete />
            {sends_code.then(|| view! { <CaptchaBox /> })}
            <SubmitButton label=settings.t("action.sign_in") pending />
        </form>
    }
}

/// The identifier field's `autocomplete` with the `webauthn` token (passkey autofill).
fn with_webauthn(autocomplete: &'static str) -> &'static str {
    match autocomplete {
        "email" => "email webauthn",
        "tel" => "tel webauthn",
        _ => "username webauthn",
    }
}
