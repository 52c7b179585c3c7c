use crate::captcha::CaptchaBox;
use crate::components::{terms_check, BrandingHeader, IdentifierField, OtherWays, SubmitButton, Terms, TermsGate};
use crate::first_screen_actions;
use crate::navigation::Redirect;
use crate::navigation::{use_navigate, use_query_map};
use crate::settings::use_settings;
use crate::submit;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::IdentifierType;
use sign_in_core::identifier;
use sign_in_core::interaction;
use sign_in_core::one_tap::OneTapContext;
use sign_in_core::route::Page;
use sign_in_core::terms::TermsScreen;
use sign_in_core::username_policy::UsernamePolicy;

/// `/register`: a username (then a password) or an email/phone (then a code), per `signUp`.
#[component]
pub fn Register() -> impl IntoView {
    view! { <RegisterScreen focused=false /> }
}

/// `/identifier-register` (`first_screen=identifier:register`): only the landing URL's `identifier` kinds.
#[component]
pub fn IdentifierRegister() -> impl IntoView {
    view! { <RegisterScreen focused=true /> }
}

#[component]
fn RegisterScreen(focused: bool) -> impl IntoView {
    let settings = use_settings();
    if !settings.config.shows_register_screen(focused) {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    }
    let navigate = use_navigate();
    let wanted = identifier::kinds_from_param(use_query_map().with_untracked(|q| q.get("identifier")).as_deref());
    let kinds = match interaction::register_kinds(&settings.config) {
        all if focused => identifier::only_wanted(all, &wanted),
        all => all,
    };
    let value = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    TermsGate::provide(TermsScreen::Register);
    let terms_allow = terms_check();

    let on_submit = {
        let kinds = kinds.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let identifier = match identifier::parse(&value.get_untracked(), &kinds) {
                Ok(identifier) => identifier,
                Err(problem) => {
                    return error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases)))
                }
            };
            let username_problem = (identifier.kind == IdentifierType::Username)
                .then(|| {
                    UsernamePolicy::from_config(&settings.config.username_policy)
                        .check(&identifier.value, &settings.phrases)
                })
                .flatten();
            error.set(username_problem.clone());
            if username_problem.is_some() || !terms_allow() {
                return;
            }
            pending.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome = first_screen_actions::register_submitted(settings, identifier).await;
                submit::follow(outcome, &navigate, pending, |text, _| error.set(Some(text)));
            });
        }
    };
    let sign_in_link = settings.config.sign_in_mode.allows_sign_in().then(|| {
        view! {
            <p class="signIn_createAccount">
                {settings.t("description.have_account")} " "
                <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("action.sign_in")}</a>
            </p>
        }
    });
    let form = (!kinds.is_empty()).then(|| {
        view! {
            <form class="register_form" novalidate on:submit=on_submit>
                <IdentifierField kinds=kinds.clone() value error />
                <CaptchaBox />
                <Terms />
                <SubmitButton label=settings.t("action.create_account") pending />
            </form>
        }
    });
    // Without a form the terms checkbox stands on its own, above the social buttons it gates.
    let lone_terms = kinds.is_empty().then(|| view! { <Terms /> });
    let after_form = form.is_some();
    if !focused {
        crate::one_tap::offer(settings, OneTapContext::SignUp);
    }
    view! {
        <BrandingHeader title=settings.t("description.create_your_account") />
        {form}
        {lone_terms}
        {(!focused).then(|| view! { <OtherWays fallback="register" after_form /> })}
        {sign_in_link}
    }
    .into_any()
}
