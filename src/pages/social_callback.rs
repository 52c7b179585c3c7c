use crate::components::{terms_accepted, TermsQuestion};
use crate::flows::{self, SocialOutcome};
use crate::notice::use_notice;
use crate::reactions::{self, Shown};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use sign_in_core::social::{self, CallbackParams, RoundTrip};
use sign_in_core::terms;

/// A question the page must ask before finishing: link the new identity to the existing account?
#[derive(Clone)]
struct LinkQuestion {
    verification_id: String,
    value: String,
}

/// What the callback waits for once the provider has answered.
#[derive(Clone)]
enum Question {
    Link(LinkQuestion),
    /// The terms, before a new account is made from this verified identity.
    Terms(String),
}

/// `/callback/social/:connector_id`: checks that this browser started the round trip, then verifies
/// the IdP's answer and finishes sign-in (or registration, or linking).
#[component]
pub fn SocialCallback(connector_id: String) -> impl IntoView {
    let settings = use_settings();
    let notice = use_notice();
    let navigate = use_navigate();
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let params = CallbackParams::parse(&search, "");
    session::strip_query();
    let question = RwSignal::new(None::<Question>);

    let go = move |href: &str| navigate(href, Default::default());
    let back_to_sign_in = {
        let settings = settings.clone();
        let go = go.clone();
        move |text: String| {
            notice.show(text);
            go(&settings.href("/sign-in"));
        }
    };
    let fail = {
        let (settings, go, back_to_sign_in) = (settings.clone(), go.clone(), back_to_sign_in.clone());
        move |reaction| match reactions::resolve(&settings, reaction) {
            Shown::Message(text) => back_to_sign_in(text),
            Shown::Navigate(href) => go(&href),
        }
    };
    let round_trip = if settings.config.social_connectors.iter().any(|c| c.id == connector_id) {
        Some(RoundTrip::Social)
    } else if settings.config.sso_connectors.iter().any(|c| c.id == connector_id) {
        Some(RoundTrip::Sso)
    } else {
        None
    };
    let verification_id =
        round_trip.and_then(|rt| session::finish_round_trip(rt, &connector_id, params.state.as_deref()));

    match (round_trip, verification_id, params.error.is_some()) {
        (None, _, _) => back_to_sign_in(settings.t("error.invalid_connector_auth")),
        (Some(_), _, true) => back_to_sign_in(settings.t("error.social_cancelled")),
        (Some(_), None, false) => back_to_sign_in(settings.t("error.invalid_connector_auth")),
        (Some(round_trip), Some(verification_id), false) => {
            let (settings, fail) = (settings.clone(), fail.clone());
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let data = params.connector_data(&social::redirect_uri(&origin, &connector_id));
            spawn_local(async move {
                let api = settings.api();
                let may_register = terms_accepted() || !terms::asked_without_form(&settings.config, true);
                let outcome = flows::social_callback(
                    &api,
                    &settings.config,
                    round_trip,
                    &connector_id,
                    verification_id,
                    data,
                    may_register,
                )
                .await;
                match outcome {
                    SocialOutcome::Done(redirect_to) => session::replace_location(&redirect_to),
                    SocialOutcome::AskToLink { verification_id, value } => {
                        question.set(Some(Question::Link(LinkQuestion { verification_id, value })))
                    }
                    SocialOutcome::AskTerms { verification_id } => question.set(Some(Question::Terms(verification_id))),
                    SocialOutcome::Failed(reaction) => fail(reaction),
                }
            });
        }
    }

    move || match question.get() {
        None => view! {
            <div class="page_blank" aria-busy="true">
                <p class="page_blankText">{settings.t("description.signing_in")}</p>
            </div>
        }
        .into_any(),
        Some(Question::Link(question)) => view! { <LinkAccount question /> }.into_any(),
        Some(Question::Terms(verification_id)) => {
            let (settings, fail, back_to_sign_in) = (settings.clone(), fail.clone(), back_to_sign_in.clone());
            let declined = settings.t("error.terms_acceptance_required");
            let accept = move || {
                question.set(None);
                let (settings, fail, verification_id) = (settings.clone(), fail.clone(), verification_id.clone());
                spawn_local(async move {
                    match flows::register_identity(&settings.api(), verification_id).await {
                        Ok(redirect_to) => session::replace_location(&redirect_to),
                        Err(failure) => fail(sign_in_core::flow::react(&failure)),
                    }
                });
            };
            view! { <TermsQuestion on_accept=accept on_decline=move || back_to_sign_in(declined.clone()) /> }.into_any()
        }
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
        let settings = settings.clone();
        let verification_id = question.verification_id.clone();
        move |link: bool| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let settings = settings.clone();
            let verification_id = verification_id.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                let result = if link {
                    flows::link_identity(&api, verification_id).await
                } else {
                    flows::register_identity(&api, verification_id).await
                };
                match result {
                    Ok(redirect_to) => session::replace_location(&redirect_to),
                    Err(failure) => {
                        pending.set(false);
                        reactions::apply(&settings, &failure, &navigate, |text| notice.show(text));
                    }
                }
            });
        }
    };
    let register = settings.config.can_register().then(|| {
        let choose = choose.clone();
        view! {
            <button class="button button_secondary" type="button" disabled=move || pending.get() on:click=move |_| choose(false)>
                {settings.t("action.create_account_without_linking")}
            </button>
        }
    });
    view! {
        <header class="logto_branding-header brand_header">
            <h1 class="brand_title">{settings.t("description.social_link_title")}</h1>
        </header>
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
    }
}
