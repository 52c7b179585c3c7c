use crate::components::{terms_question_needed, BrandingHeader, PendingTermsQuestion};
use crate::navigation::use_navigate;
use crate::navigation::Redirect;
use crate::notice::use_notice;
use crate::sequences;
use crate::session;
use crate::settings::use_settings;
use crate::submit::{self, Outcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use sign_in_core::route::Page;
use sign_in_core::storage_keys;

/// The question the social callback left: link the new identity (its verification) to the account with the
/// same email/phone (`value`, masked by the provider)?
#[derive(Clone, Serialize, Deserialize)]
pub struct LinkQuestion {
    pub verification_id: String,
    pub value: String,
}

/// The question waits in sessionStorage, so `/social/link/:connectorId` survives a reload.
pub fn ask(question: &LinkQuestion) {
    session::set(storage_keys::SOCIAL_LINK_QUESTION, serde_json::to_string(question).ok().as_deref());
}

/// `/social/link/:connectorId`: the link question (docs/experience-api.md, Social sign-in), or back to `/sign-in`
/// without one.
#[component]
pub fn SocialLink() -> impl IntoView {
    let settings = use_settings();
    match session::get(storage_keys::SOCIAL_LINK_QUESTION).and_then(|json| crate::json::parse_as::<LinkQuestion>(&json))
    {
        Some(question) => view! { <LinkAccount question /> }.into_any(),
        None => view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any(),
    }
}

/// "An account with this email exists: link?" with the choice to create a separate account.
#[component]
fn LinkAccount(question: LinkQuestion) -> impl IntoView {
    let settings = use_settings();
    let notice = use_notice();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let choose = {
        let verification_id = question.verification_id.clone();
        move |link: bool| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let verification_id = verification_id.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                let result = if link {
                    sequences::link_identity(&api, verification_id).await
                } else {
                    sequences::register_identity(&api, verification_id).await
                };
                submit::follow(Outcome::of_finish(settings, result), &navigate, pending, |text, _| notice.show(text));
            });
        }
    };
    // A separate account waits for the terms when the policy asks for them (there is no box to tick here).
    let asking_terms = RwSignal::new(false);
    let register = settings.config.can_register().then(|| {
        let choose = choose.clone();
        view! {
            <button
                class="button button_secondary"
                type="button"
                disabled=move || pending.get()
                on:click=move |_| {
                    if terms_question_needed(&settings.config, true) { asking_terms.set(true) } else { choose(false) }
                }
            >
                {settings.t("action.create_account_without_linking")}
            </button>
        }
    });
    let terms_question = {
        let choose = choose.clone();
        view! { <PendingTermsQuestion asking=asking_terms on_accept=move || choose(false) /> }
    };
    view! {
        <BrandingHeader title=settings.t("description.social_link_title") />
        <p class="signIn_description">
            {settings.phrases.t_with("description.social_link_description", &[("value", &question.value)])}
        </p>
        <button
            class="button button_primary"
            type="button"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| choose(true)
        >
            {settings.t("action.link_account")}
        </button>
        {register}
        {terms_question}
    }
}
