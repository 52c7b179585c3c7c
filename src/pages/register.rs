use crate::captcha::CaptchaBox;
use crate::components::{terms_check, BrandingHeader, IdentifierField, OtherWays, SubmitButton, Terms, TermsGate};
use crate::flows;
use crate::navigation::Redirect;
use crate::navigation::{use_navigate, use_query_map};
use crate::reactions;
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::identifier;
use sign_in_core::route::Page;
use sign_in_core::steps::{self, CodeFlow};
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
    let kinds = match steps::register_kinds(&settings.config) {
        all if focused => identifier::only_wanted(all, &wanted),
        all => all,
    };
    let value = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    TermsGate::provide(TermsScreen::Register);
    let terms_allow = terms_check();

    let on_submit = {
        let settings = settings.clone();
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
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                let result = if identifier.kind == IdentifierType::Username {
                    match flows::register_username(&api, identifier.value).await {
                        // Logto asks for the password on its own screen when nothing else is required first.
                        Ok(())
                            if settings.config.sign_up.password
                                && settings.config.sign_up.secondary_identifiers.is_empty() =>
                        {
                            navigate(&settings.link(Page::SetPassword), Default::default());
                            Ok(())
                        }
                        Ok(()) => {
                            flows::identify_and_submit(&api, None).await.map(|to| crate::session::replace_location(&to))
                        }
                        Err(failure) => Err(failure),
                    }
                } else {
                    flows::send_code(&api, CodeFlow::Register, InteractionEvent::Register, identifier).await.map(|_| {
                        navigate(&settings.link(Page::VerificationCode(CodeFlow::Register)), Default::default())
                    })
                };
                if let Err(failure) = result {
                    reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text)));
                }
                pending.set(false);
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
    view! {
        <BrandingHeader title=settings.t("description.create_your_account") />
        {form}
        {lone_terms}
        {(!focused).then(|| view! { <OtherWays fallback="register" after_form /> })}
        {sign_in_link}
    }
    .into_any()
}
