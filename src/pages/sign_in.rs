use crate::components::{BrandingHeader, InputField, PasswordSignInForm, SubmitButton};
use crate::session;
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use sign_in_core::api::IdentifierType;
use sign_in_core::config::SignInMode;
use sign_in_core::social::{self, RoundTrip};
use sign_in_core::identifier::{self, FirstFactor, SignInForm};

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
    let social: Vec<_> = social::web_connectors(&settings.config)
        .into_iter()
        .map(|c| {
            let name = social::display_name(c, &settings.phrases.language);
            let href = social::direct_href(RoundTrip::Social, &c.target, settings.visit.app_id.as_deref(), "sign-in");
            // `rel="external"`: a full page load, so the loader (not the router) takes the /direct/ path.
            view! {
                <li>
                    <a class="button button_social" href=href rel="external">
                        <img src=c.logo.clone() alt="" width="20" height="20" />
                        <span>{settings.phrases.t_with("action.sign_in_with", &[("name", name)])}</span>
                    </a>
                </li>
            }
        })
        .collect();
    let social = (!social.is_empty()).then(|| {
        view! {
            <div class="signIn_divider" role="separator">{settings.t("description.or")}</div>
            <ul class="signIn_socialLinkList">{social}</ul>
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
        {single_sign_on}
        <Terms />
        {create_account}
        {social}
    }
}

/// Identifier first; the next screen asks for the password (a code flow comes with the identifier flows).
#[component]
fn IdentifierForm(identifiers: Vec<IdentifierType>) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let value = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let on_submit = {
        let settings = settings.clone();
        let identifiers = identifiers.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let parsed = identifier::parse(&value.get_untracked(), &identifiers);
            let outcome = parsed.map_err(|p| identifier::problem_message(p, &identifiers, &settings.phrases));
            match outcome.map(|id| (identifier::first_factor(&settings.config, id.kind), id)) {
                Ok((Some(FirstFactor::Password), id)) => {
                    session::remember_identifier(&id);
                    navigate(&settings.href("/sign-in/password"), Default::default());
                }
                Ok(_) => error.set(Some(settings.t("description.coming_soon"))),
                Err(message) => error.set(Some(message)),
            }
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
            <SubmitButton label=settings.t("action.sign_in") pending=Signal::stored(false) />
        </form>
    }
}

/// Links to the terms of use and privacy policy, where configured.
#[component]
fn Terms() -> impl IntoView {
    let settings = use_settings();
    let links: Vec<_> = [
        (&settings.config.terms_of_use_url, "description.terms_of_use"),
        (&settings.config.privacy_policy_url, "description.privacy_policy"),
    ]
    .into_iter()
    .filter_map(|(url, key)| url.clone().map(|url| (url, settings.t(key))))
    .collect();
    (!links.is_empty()).then(|| {
        let count = links.len();
        let links = links.into_iter().enumerate().map(|(i, (url, label))| {
            let joiner = (i + 1 < count).then(|| format!(" {} ", settings.t("description.and")));
            view! {
                <a class="page_link" href=url target="_blank" rel="noopener noreferrer">{label}</a>
                {joiner}
            }
        });
        view! { <p class="signIn_terms">{settings.t("description.agree_with_terms")} " " {links.collect_view()}</p> }
    })
}
