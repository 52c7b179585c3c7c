use crate::components::{BrandingHeader, InputField, PasskeyButton, PasswordSignInForm, SocialButtons, SubmitButton, TermsLinks};
use crate::flows;
use crate::pages::single_sign_on::go_to_sso;
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::config::SignInMode;
use sign_in_core::identifier::{self, FirstFactor, SignInForm};
use sign_in_core::steps::CodeFlow;

/// `/sign-in`: the landing screen, drawn from the sign-in experience.
#[component]
pub fn SignIn() -> impl IntoView {
    let settings = use_settings();
    if settings.config.sign_in_mode == SignInMode::Register {
        let navigate = use_navigate();
        let to = settings.href("/register");
        request_animation_frame(move || navigate(&to, NavigateOptions { replace: true, ..Default::default() }));
    }
    let form = match SignInForm::for_config(&settings.config) {
        SignInForm::Password { identifiers } => view! { <PasswordSignInForm identifiers /> }.into_any(),
        SignInForm::IdentifierFirst { identifiers } => view! { <IdentifierForm identifiers /> }.into_any(),
        SignInForm::None => ().into_any(),
    };
    let create_account = settings.config.can_register().then(|| {
        view! {
            <p class="signIn_createAccount">
                {settings.t("description.no_account")} " "
                <a class="page_link" href=settings.href("/register")>{settings.t("action.create_account")}</a>
            </p>
        }
    });
    let single_sign_on = (settings.config.single_sign_on_enabled && !settings.config.sso_connectors.is_empty())
        .then(|| {
            view! {
                <a class="button button_secondary signIn_singleSignOn" href=settings.href("/single-sign-on")>
                    {settings.t("action.single_sign_on")}
                </a>
            }
        });
    view! {
        <BrandingHeader title=settings.t("description.sign_in_to_your_account") />
        {form}
        <PasskeyButton />
        {single_sign_on}
        <TermsLinks />
        {create_account}
        <SocialButtons fallback="sign-in" />
    }
}

/// Identifier first; the next screen asks for the password or the code, per the method's primary factor.
#[component]
fn IdentifierForm(identifiers: Vec<IdentifierType>) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let value = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_submit = {
        let settings = settings.clone();
        let identifiers = identifiers.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let id = match identifier::parse(&value.get_untracked(), &identifiers) {
                Ok(id) => id,
                Err(problem) => return error.set(Some(identifier::problem_message(problem, &identifiers, &settings.phrases))),
            };
            error.set(None);
            session::remember_identifier(&id);
            pending.set(true);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                if let Some(choice) = flows::sso_for(&api, &settings.config, &id).await {
                    return go_to_sso(&settings, choice, &navigate);
                }
                match identifier::first_factor(&settings.config, id.kind) {
                    Some(FirstFactor::Password) => navigate(&settings.href("/sign-in/password"), Default::default()),
                    _ => match flows::send_code(&api, CodeFlow::SignIn, InteractionEvent::SignIn, id).await {
                        Ok(_) => navigate(&settings.href(CodeFlow::SignIn.path()), Default::default()),
                        Err(failure) => reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text))),
                    },
                }
                pending.set(false);
            });
        }
    };
    view! {
        <form class="signIn_form" novalidate on:submit=on_submit>
            <InputField
                name="identifier"
                label=identifier::field_label(&identifiers, &settings.phrases)
                value
                error
                autocomplete=identifier::autocomplete(&identifiers)
                autofocus=true
            />
            <SubmitButton label=settings.t("action.sign_in") pending />
        </form>
    }
}
