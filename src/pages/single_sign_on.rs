use crate::components::{BrandingHeader, EmailForm};
use crate::navigation::use_navigate;
use crate::navigation::NavigateOptions;
use crate::navigation::Redirect;
use crate::reactions;
use crate::session;
use crate::settings::{use_settings, Settings};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::IdentifierType;
use sign_in_core::identifier;
use sign_in_core::route::Page;
use sign_in_core::social::{self, RoundTrip, SsoChoice};
use std::sync::Arc;

/// `/single-sign-on` and `/single-sign-on/email`: a work email picks the organization's SSO connector.
#[component]
pub fn SingleSignOn() -> impl IntoView {
    let settings = use_settings();
    if !settings.config.single_sign_on_enabled {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    }
    let navigate = use_navigate();
    let email = RwSignal::new(settings.visit.login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_submit = {
        let settings = settings.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let kinds = [IdentifierType::Email];
            let address = match identifier::parse(&email.get_untracked(), &kinds) {
                Ok(id) => id.value,
                Err(problem) => {
                    return error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases)))
                }
            };
            error.set(None);
            pending.set(true);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                match settings.api().sso_connectors(&address).await.map(SsoChoice::from_ids) {
                    Ok(SsoChoice::None) => error.set(Some(settings.t("error.sso_not_enabled"))),
                    Ok(choice) => go_to_sso(&settings, choice, &navigate),
                    Err(failure) => reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text))),
                }
                pending.set(false);
            });
        }
    };
    view! {
        <BrandingHeader title=settings.t("action.single_sign_on") />
        <p class="signIn_description">{settings.t("description.single_sign_on_email_form")}</p>
        <EmailForm class="singleSignOn_form" value=email error pending on_submit />
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("description.back_to_sign_in")}</a>
    }
    .into_any()
}

/// Where an email's SSO connectors lead: straight to the only one, or to the chooser.
pub fn go_to_sso(settings: &Arc<Settings>, choice: SsoChoice, navigate: &impl Fn(&str, NavigateOptions)) {
    match choice {
        SsoChoice::One(id) => start_sso(settings, &id),
        SsoChoice::Several(ids) => {
            remember_connectors(&ids);
            navigate(&settings.link(Page::SingleSignOnConnectors), NavigateOptions::default());
        }
        SsoChoice::None => {}
    }
}

/// Leaves for the IdP through the page's own direct sign-in path (the loader makes the two calls).
pub fn start_sso(settings: &Arc<Settings>, connector_id: &str) {
    let href = social::direct_href(RoundTrip::Sso, connector_id, settings.app_id().as_deref(), "single-sign-on");
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&href);
    }
}

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

pub fn remember_connectors(ids: &[String]) {
    session::set(&social::sso_connectors_key(&origin()), serde_json::to_string(ids).ok().as_deref());
}

pub fn remembered_connectors() -> Vec<String> {
    session::get(&social::sso_connectors_key(&origin()))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}
