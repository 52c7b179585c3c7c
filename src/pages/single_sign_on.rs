use crate::components::{BrandingHeader, EmailForm};
use crate::navigation::use_navigate;
use crate::navigation::Redirect;
use crate::session;
use crate::settings::use_settings;
use crate::sso::go_to_sso;
use crate::submit::{self, Outcome};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::IdentifierType;
use sign_in_core::identifier;
use sign_in_core::route::Page;
use sign_in_core::social::SsoChoice;

/// `/single-sign-on` and `/single-sign-on/email`: a work email picks the organization's SSO connector.
#[component]
pub fn SingleSignOn() -> impl IntoView {
    let settings = use_settings();
    if !settings.config.single_sign_on_enabled {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    }
    let navigate = use_navigate();
    // The email typed before: a failed start of the round trip comes back here (docs/experience-api.md, Direct
    // sign-in), from this screen or from `/sign-in`.
    let kinds = [IdentifierType::Email];
    let earlier = session::remembered_identifier();
    let email = RwSignal::new(identifier::prefill(earlier.as_ref(), &kinds, settings.visit.login_hint.as_deref()));
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let address = match identifier::parse(&email.get_untracked(), &kinds) {
            Ok(id) => {
                session::remember_identifier(&id);
                id.value
            }
            Err(problem) => return error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases))),
        };
        error.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = match settings.api().sso_connectors(&address).await.map(SsoChoice::from_ids) {
                Ok(SsoChoice::None) => Outcome::Message { text: settings.t("error.sso_not_enabled"), refused: true },
                Ok(choice) => go_to_sso(settings, choice),
                Err(failure) => Outcome::of_failure(settings, &failure),
            };
            submit::follow(outcome, &navigate, pending, |text, _| error.set(Some(text)));
        });
    };
    view! {
        <BrandingHeader title=settings.t("action.single_sign_on") />
        <p class="signIn_description">{settings.t("description.single_sign_on_email_form")}</p>
        <EmailForm class="singleSignOn_form" value=email error pending on_submit />
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("description.back_to_sign_in")}</a>
    }
    .into_any()
}
