use crate::components::{terms_question_needed, Resumable, TermsQuestion};
use crate::navigation::use_navigate;
use crate::navigation::NavigateOptions;
use crate::notice::use_notice;
use crate::pages::social_link::{self, LinkQuestion};
use crate::reactions::{self, Shown};
use crate::sequences::{self, Held, SocialOutcome};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::failures::{self, ResumableFailure};
use sign_in_core::one_tap::one_tap_answer;
use sign_in_core::route::Page;
use sign_in_core::social::{self, CallbackParams, CallbackStart, RoundTrip};

/// What the callback waits for once the provider has answered: the terms, before a new account is made from
/// this verified identity.
#[derive(Clone)]
struct TermsFirst(String);

/// `/callback/social/:connector_id`: checks that this browser started the round trip, then verifies
/// the IdP's answer and finishes sign-in (or registration, or linking).
#[component]
pub fn SocialCallback(connector_id: String) -> impl IntoView {
    let settings = use_settings();
    let notice = use_notice();
    let navigate = use_navigate();
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let mut params = CallbackParams::parse(&search, "");
    session::strip_query();
    let question = RwSignal::new(None::<TermsFirst>);
    // The calls that make the account after the terms, across their attempts.
    let registering = Held::new();
    // Verifying the IdP's answer, then (after the terms) making the account; tried again in place after a lost answer.
    let resumable = Resumable::new();

    let go_instead = {
        let navigate = navigate.clone();
        move |href: &str| navigate(href, NavigateOptions { replace: true, ..Default::default() })
    };
    let go = move |href: &str| navigate(href, Default::default());
    let back_to_sign_in = {
        let go = go.clone();
        move |text: String| {
            notice.show(text);
            go(&settings.link(Page::SignIn));
        }
    };
    let fail = {
        let (go, back_to_sign_in) = (go.clone(), back_to_sign_in.clone());
        move |reaction| match reactions::resolve(settings, reaction) {
            Shown::Message(text) => back_to_sign_in(text),
            Shown::Navigate(href) => go(&href),
        }
    };
    // An answer went missing: try again here.
    let interrupt = {
        let go_instead = go_instead.clone();
        move |reaction| match reactions::resolve(settings, reaction) {
            Shown::Message(text) => resumable.interrupt(text),
            Shown::Navigate(href) => go_instead(&href),
        }
    };
    let social_connector = settings.config.social_connectors.iter().find(|c| c.id == connector_id);
    let round_trip = if social_connector.is_some() {
        Some(RoundTrip::Social)
    } else if settings.config.sso_connectors.iter().any(|c| c.id == connector_id) {
        Some(RoundTrip::Sso)
    } else {
        None
    };
    // Google One Tap answers with a credential and no round trip before it: no state; Google's CSRF cookie, or the
    // credential an app passed on its sign-in request, instead.
    let one_tap = one_tap_answer(social_connector.map(|c| c.target.as_str()), &mut params, &session::cookies());
    let started = match one_tap {
        Some(_) => None,
        None => round_trip.and_then(|rt| session::finish_round_trip(rt, &connector_id, params.state.as_deref())),
    };

    match social::callback_start(round_trip, started, &params, one_tap) {
        CallbackStart::Refuse(phrase) => back_to_sign_in(settings.t(phrase)),
        CallbackStart::Verify { round_trip, verification_id } => {
            let (fail, go_instead, interrupt) = (fail.clone(), go_instead.clone(), interrupt.clone());
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let data = params.connector_data(&social::redirect_uri(&origin, &connector_id));
            let held = Held::new();
            resumable.start(move || {
                let (fail, go_instead, interrupt) = (fail.clone(), go_instead.clone(), interrupt.clone());
                let (connector_id, verification_id, data) =
                    (connector_id.clone(), verification_id.clone(), data.clone());
                spawn_local(async move {
                    let api = settings.api();
                    let may_register = !terms_question_needed(&settings.config, true);
                    let outcome = held.run(async |progress| {
                        sequences::social_callback(
                            &api,
                            progress,
                            &settings.config,
                            round_trip,
                            &connector_id,
                            verification_id,
                            data,
                            may_register,
                        )
                        .await
                    });
                    match outcome.await {
                        SocialOutcome::Done(redirect_to) => session::replace_location(&redirect_to),
                        // Its own route, so a reload keeps the question (the callback's query is gone by then).
                        SocialOutcome::AskToLink { verification_id, value } => {
                            social_link::ask(&LinkQuestion { verification_id, value });
                            go_instead(&settings.link(Page::SocialLink(connector_id.clone())));
                        }
                        SocialOutcome::AskTerms { verification_id } => question.set(Some(TermsFirst(verification_id))),
                        // Once the IdP's answer is verified, the retry starts from the call that failed.
                        SocialOutcome::Interrupted(reaction) => interrupt(reaction),
                        SocialOutcome::Failed(reaction) => fail(reaction),
                    }
                });
            });
        }
    }

    move || match question.get() {
        None => resumable.view(Some("description.signing_in")),
        Some(TermsFirst(verification_id)) => {
            let (fail, interrupt, back_to_sign_in) = (fail.clone(), interrupt.clone(), back_to_sign_in.clone());
            let declined = settings.t("error.terms_acceptance_required");
            // The account is made here; a lost answer is tried again in place, from the call that failed (the IdP's
            // answer is verified already: going back to sign-in would mean another round trip).
            let accept = move || {
                question.set(None);
                let (fail, interrupt, verification_id) = (fail.clone(), interrupt.clone(), verification_id.clone());
                resumable.start(move || {
                    let (fail, interrupt, verification_id) = (fail.clone(), interrupt.clone(), verification_id.clone());
                    spawn_local(async move {
                        let api = settings.api();
                        let made = registering
                            .run(async |progress| sequences::register_verified(&api, progress, verification_id).await);
                        match made.await {
                            Ok(redirect_to) => session::replace_location(&redirect_to),
                            Err(failure) => match failures::resumable_failure(&failure, false) {
                                ResumableFailure::Retry(reaction) => interrupt(reaction),
                                _ => fail(failures::react(&failure)),
                            },
                        }
                    });
                });
            };
            view! { <TermsQuestion on_accept=accept on_decline=move || back_to_sign_in(declined.clone()) /> }.into_any()
        }
    }
}
